import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ExpirySweeper, OutboxRelay, entryServiceSweep } from '@app/entry-store';
import type { SecretsEnv } from '../config/secrets.env';
import { SecretEntriesRepository } from '../entries/secret-entries.repository';

/** Deletes expired secrets, with their whole history, on an interval (see ExpirySweeper), each with its event. */
@Injectable()
export class SecretExpirySweeper extends ExpirySweeper {
  constructor(entries: SecretEntriesRepository, relay: OutboxRelay, config: ConfigService<SecretsEnv, true>) {
    super(entryServiceSweep(config, (batch) => entries.deleteExpiredBatch(batch), relay));
  }
}
