import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ExpirySweeper } from '@app/service-kit';
import type { KvEntryEnv } from '../config/kv-entry.env';
import { EntriesRepository } from '../entries/entries.repository';

/** Deletes expired plain entries on an interval (see ExpirySweeper). */
@Injectable()
export class EntryExpirySweeper extends ExpirySweeper {
  constructor(entries: EntriesRepository, config: ConfigService<KvEntryEnv, true>) {
    super({
      deleteExpiredBatch: (batch) => entries.deleteExpiredBatch(batch),
      intervalMs: config.get('KV_EXPIRY_SWEEP_INTERVAL_MS', { infer: true }),
      batch: config.get('KV_EXPIRY_SWEEP_BATCH', { infer: true }),
    });
  }
}
