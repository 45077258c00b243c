import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ExpirySweeper, OutboxRelay } from '@app/service-kit';
import type { KvEntryEnv } from '../config/kv-entry.env';
import { EntriesRepository } from '../entries/entries.repository';

/** Deletes expired plain entries on an interval (see ExpirySweeper), each with its `kv.entry.expired` event. */
@Injectable()
export class EntryExpirySweeper extends ExpirySweeper {
  constructor(entries: EntriesRepository, relay: OutboxRelay, config: ConfigService<KvEntryEnv, true>) {
    super({
      deleteExpiredBatch: async (batch) => {
        const deleted = await entries.deleteExpiredBatch(batch);
        if (deleted > 0) relay.wake();
        return deleted;
      },
      intervalMs: config.get('KV_EXPIRY_SWEEP_INTERVAL_MS', { infer: true }),
      batch: config.get('KV_EXPIRY_SWEEP_BATCH', { infer: true }),
    });
  }
}
