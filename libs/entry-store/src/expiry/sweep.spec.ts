import { sweepInBatches } from './sweep';

describe('sweepInBatches', () => {
  it('repeats full batches and stops after a short one', async () => {
    const results = [10, 10, 3, 99];
    const deleteBatch = jest.fn(async () => results.shift()!);
    await expect(sweepInBatches(deleteBatch, 10)).resolves.toBe(23);
    expect(deleteBatch).toHaveBeenCalledTimes(3);
    expect(deleteBatch).toHaveBeenCalledWith(10);
  });

  it('runs once when nothing is due', async () => {
    const deleteBatch = jest.fn(async () => 0);
    await expect(sweepInBatches(deleteBatch, 10)).resolves.toBe(0);
    expect(deleteBatch).toHaveBeenCalledTimes(1);
  });

  it('stops after maxBatches even if every batch is full', async () => {
    const deleteBatch = jest.fn(async (batch: number) => batch);
    await expect(sweepInBatches(deleteBatch, 5, 4)).resolves.toBe(20);
    expect(deleteBatch).toHaveBeenCalledTimes(4);
  });
});
