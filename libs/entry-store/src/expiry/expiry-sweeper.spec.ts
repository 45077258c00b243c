import { Logger } from '@nestjs/common';
import { ExpirySweeper } from './expiry-sweeper';

class TestSweeper extends ExpirySweeper {
  constructor(deleteExpiredBatch: (batch: number) => Promise<number>) {
    super({ deleteExpiredBatch, intervalMs: 20, batch: 2 });
  }
}

describe('ExpirySweeper', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('sweeps in batches of the configured size until a short batch', async () => {
    const deleteExpiredBatch = jest.fn().mockResolvedValueOnce(2).mockResolvedValueOnce(1);
    await expect(new TestSweeper(deleteExpiredBatch).sweep()).resolves.toBe(3);
    expect(deleteExpiredBatch).toHaveBeenCalledWith(2);
  });

  it('runs on its interval and stops on shutdown, surviving a failed sweep', async () => {
    const deleteExpiredBatch = jest.fn().mockRejectedValueOnce(new Error('connection lost')).mockResolvedValue(0);
    const sweeper = new TestSweeper(deleteExpiredBatch);
    sweeper.onModuleInit();
    await new Promise((resolve) => setTimeout(resolve, 110));
    await sweeper.onModuleDestroy();
    const calls = deleteExpiredBatch.mock.calls.length;
    expect(calls).toBeGreaterThanOrEqual(2);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(deleteExpiredBatch.mock.calls.length).toBe(calls);
  });
});
