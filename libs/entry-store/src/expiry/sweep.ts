/**
 * Deletes in batches until a batch comes back short (nothing more is due) or `maxBatches` ran, so one
 * sweep never turns into an endless loop while writers keep adding expired rows. Returns the count.
 */
export async function sweepInBatches(deleteBatch: (batch: number) => Promise<number>, batch: number, maxBatches = 1000): Promise<number> {
  let total = 0;
  for (let round = 0; round < maxBatches; round += 1) {
    const deleted = await deleteBatch(batch);
    total += deleted;
    if (deleted < batch) break;
  }
  return total;
}
