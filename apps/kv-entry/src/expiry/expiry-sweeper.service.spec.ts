import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EntriesRepository } from '../entries/entries.repository';
import { ExpirySweeper } from './expiry-sweeper.service';

describe('ExpirySweeper', () => {
  beforeAll(() => Logger.overrideLogger(false));
  const config = { get: (key: string) => ({ KV_EXPIRY_SWEEP_INTERVAL_MS: 20, KV_EXPIRY_SWEEP_BATCH: 2 })[key] } as unknown as ConfigService;

  it('sweeps in batches of KV_EXPIRY_SWEEP_BATCH until a short batch', async () => {
    const deleteExpiredBatch = jest.fn().mockResolvedValueOnce(2).mockResolvedValueOnce(1);
    const sweeper = new ExpirySweeper({ deleteExpiredBatch } as unknown as EntriesRepository, config as never);
    await expect(sweeper.sweep()).resolves.toBe(3);
    expect(deleteExpiredBatch).toHaveBeenCalledWith(2);
  });

  it('runs on its interval and stops on shutdown, surviving a failed sweep', async () => {
    const deleteExpiredBatch = jest.fn().mockRejectedValueOnce(new Error('connection lost')).mockResolvedValue(0);
    const sweeper = new ExpirySweeper({ deleteExpiredBatch } as unknown as EntriesRepository, config as never);
    sweeper.onModuleInit();
    await new Promise((resolve) => setTimeout(resolve, 110));
    await sweeper.onModuleDestroy();
    const calls = deleteExpiredBatch.mock.calls.length;
    expect(calls).toBeGreaterThanOrEqual(2);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(deleteExpiredBatch.mock.calls.length).toBe(calls);
  });
});
