import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ExpirySweeper, OutboxRelay, entryServiceSweep } from '@app/entry-store';
import type { KvEntryEnv } from '../config/kv-entry.env';
import { EntriesRepository } from '../entries/entries.repository';

/** Deletes expired plain entries on an interval (see ExpirySweeper), each with its `kv.entry.expired` event. */
@Injectable()
export class EntryExpirySweeper extends ExpirySweeper {
  constructor(entries: EntriesRepository, relay: OutboxRelay, config: ConfigService<KvEntryEnv, true>) {
    super(entryServiceSweep(config, (batch) => entries.deleteExpiredBatch(batch), relay));
  }
}
