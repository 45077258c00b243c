import DataLoader from 'dataloader';

/** Reads sent in one statement at most. */
export const READS_PER_STATEMENT = 100;

/**
 * The single reads of one turn (a burst of deliveries) in one `readMany` call, one answer per read in order: one round trip
 * to Postgres instead of one each. Nothing is cached between turns, so each read sees the database as of its statement; a
 * failed statement fails every read of the batch (503, callers retry), as it would each alone. Not for reads in a transaction.
 */
export function readsPerTurn<Read, Answer>(readMany: (reads: readonly Read[]) => Promise<Answer[]>): (read: Read) => Promise<Answer> {
  const loader = new DataLoader<Read, Answer>(readMany, {
    cache: false,
    maxBatchSize: READS_PER_STATEMENT,
    batchScheduleFn: (send) => setImmediate(send),
  });
  return (read) => loader.load(read);
}

/**
 * One answer per read, in the reads' order, from the rows of a `WITH ORDINALITY` statement: each row
 * answers the read at its `position` (counted from 1, and given back as text), through `answer`, which
 * may say the row answers nothing (undefined); reads without such a row get `absent()`.
 */
export function answersByPosition<Row extends { position: string }, Answer>(
  readCount: number,
  rows: readonly Row[],
  absent: () => Answer,
  answer: (row: Row) => Answer | undefined,
): Answer[] {
  const answers = Array.from({ length: readCount }, absent);
  for (const row of rows) {
    const answered = answer(row);
    if (answered !== undefined) answers[Number(row.position) - 1] = answered;
  }
  return answers;
}
