import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ExpirySweeper, OutboxRelay } from '@app/service-kit';
import type { SecretsEnv } from '../config/secrets.env';
import { SecretEntriesRepository } from '../entries/secret-entries.repository';

/** Deletes expired secrets, with their whole history, on an interval (see ExpirySweeper), each with its event. */
@Injectable()
export class SecretExpirySweeper extends ExpirySweeper {
  constructor(entries: SecretEntriesRepository, relay: OutboxRelay, config: ConfigService<SecretsEnv, true>) {
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
