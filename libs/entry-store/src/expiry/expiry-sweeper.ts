import { Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { ConfigService } from '@nestjs/config';
import type { EntryServiceEnv } from '../config/entry-service-env';
import type { OutboxRelay } from '../outbox/outbox-relay';
import { sweepInBatches } from './sweep';

export interface ExpirySweeperOptions {
  /** Deletes up to `batch` expired entries and says how many it deleted. */
  deleteExpiredBatch: (batch: number) => Promise<number>;
  intervalMs: number;
  batch: number;
}

/**
 * Periodically deletes expired entries. Reads already hide them the moment they expire, so the sweep
 * only reclaims space; a failed sweep is logged and retried on the next tick. Logs counts, never values.
 * Each service subclasses it as an injectable that supplies its repository's batch delete.
 */
export abstract class ExpirySweeper implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('ExpirySweeper');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  protected constructor(private readonly options: ExpirySweeperOptions) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.tick(), this.options.intervalMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    // Let a sweep in flight finish before the connection pool closes.
    await this.running?.catch(() => undefined);
  }

  /** One sweep: batches until nothing more is due. Returns how many entries were deleted. */
  async sweep(): Promise<number> {
    const deleted = await sweepInBatches(this.options.deleteExpiredBatch, this.options.batch);
    if (deleted > 0) this.logger.log(`expiry sweep deleted ${deleted} expired entries`);
    return deleted;
  }

  private async tick(): Promise<void> {
    if (this.running !== undefined) return; // the previous sweep is still going
    this.running = this.sweep();
    try {
      await this.running;
    } catch (error) {
      // The statement carries no values, so its error message cannot quote one.
      this.logger.warn(`expiry sweep failed (${error instanceof Error ? error.message : String(error)}); retrying next tick`);
    } finally {
      this.running = undefined;
    }
  }
}

/**
 * The sweep of an entry service: `deleteExpiredBatch` deletes and records `kv.entry.expired` events in
 * one statement, and the outbox relay is woken whenever a batch deleted something.
 */
export function entryServiceSweep(
  config: ConfigService<EntryServiceEnv, true>,
  deleteExpiredBatch: (batch: number) => Promise<number>,
  relay: Pick<OutboxRelay, 'wake'>,
): ExpirySweeperOptions {
  return {
    deleteExpiredBatch: async (batch) => {
      const deleted = await deleteExpiredBatch(batch);
      if (deleted > 0) relay.wake();
      return deleted;
    },
    intervalMs: config.get('KV_EXPIRY_SWEEP_INTERVAL_MS', { infer: true }),
    batch: config.get('KV_EXPIRY_SWEEP_BATCH', { infer: true }),
  };
}
