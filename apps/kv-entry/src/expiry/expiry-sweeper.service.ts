import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { KvEntryEnv } from '../config/kv-entry.env';
import { EntriesRepository } from '../entries/entries.repository';
import { sweepInBatches } from './sweep';

/**
 * Periodically deletes expired entries. Reads already hide them the moment they expire, so the sweep
 * only reclaims space; a failed sweep is logged and retried on the next tick. Logs counts, never values.
 */
@Injectable()
export class ExpirySweeper implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ExpirySweeper.name);
  private readonly intervalMs: number;
  private readonly batch: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly entries: EntriesRepository,
    config: ConfigService<KvEntryEnv, true>,
  ) {
    this.intervalMs = config.get('KV_EXPIRY_SWEEP_INTERVAL_MS', { infer: true });
    this.batch = config.get('KV_EXPIRY_SWEEP_BATCH', { infer: true });
  }

  onModuleInit(): void {
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
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
    const deleted = await sweepInBatches((batch) => this.entries.deleteExpiredBatch(batch), this.batch);
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
