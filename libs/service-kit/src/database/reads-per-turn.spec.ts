import { READS_PER_STATEMENT, answersByPosition, readsPerTurn } from './reads-per-turn';

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('readsPerTurn', () => {
  it('answers the reads of one turn with one call, each its own answer, and the next turn with another', async () => {
    const readMany = jest.fn(async (keys: readonly string[]) => keys.map((key) => `value of ${key}`));
    const read = readsPerTurn(readMany);
    const first = Promise.all([read('a'), read('b'), read('a')]);
    await expect(first).resolves.toEqual(['value of a', 'value of b', 'value of a']);
    await nextTurn();
    await expect(read('c')).resolves.toBe('value of c');
    expect(readMany.mock.calls).toEqual([[['a', 'b', 'a']], [['c']]]);
  });

  it('never answers from an earlier turn: every read asks again', async () => {
    let version = 0;
    const read = readsPerTurn(async (keys: readonly string[]) => keys.map(() => ++version));
    const earlier = await read('k');
    await expect(read('k')).resolves.toBeGreaterThan(earlier);
  });

  it('fails every read of a turn whose call fails, and only those', async () => {
    const readMany = jest.fn(async (keys: readonly string[]) => [...keys]);
    readMany.mockRejectedValueOnce(new Error('database away'));
    const read = readsPerTurn(readMany);
    const failed = await Promise.allSettled([read('a'), read('b')]);
    expect(failed.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    await expect(read('c')).resolves.toBe('c');
  });

  it(`sends at most ${READS_PER_STATEMENT} reads a call`, async () => {
    const readMany = jest.fn(async (keys: readonly number[]) => [...keys]);
    const read = readsPerTurn(readMany);
    await Promise.all(Array.from({ length: READS_PER_STATEMENT + 1 }, (_, i) => read(i)));
    expect(readMany.mock.calls.map(([keys]) => keys.length)).toEqual([READS_PER_STATEMENT, 1]);
  });

  it('answers each read from the row at its WITH ORDINALITY position (from 1, as text), absent where none answers', () => {
    const rows = [
      { position: '3', value: 'c' },
      { position: '1', value: 'a' },
      { position: '2', value: null },
    ];
    expect(
      answersByPosition(
        4,
        rows,
        () => 'absent',
        (row) => row.value ?? undefined,
      ),
    ).toEqual(['a', 'absent', 'c', 'absent']);
  });
});
