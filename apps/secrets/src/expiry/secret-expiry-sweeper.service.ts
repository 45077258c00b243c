import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ExpirySweeper } from '@app/service-kit';
import type { SecretsEnv } from '../config/secrets.env';
import { SecretEntriesRepository } from '../entries/secret-entries.repository';

/** Deletes expired secrets, with their whole history, on an interval (see ExpirySweeper). */
@Injectable()
export class SecretExpirySweeper extends ExpirySweeper {
  constructor(entries: SecretEntriesRepository, config: ConfigService<SecretsEnv, true>) {
    super({
      deleteExpiredBatch: (batch) => entries.deleteExpiredBatch(batch),
      intervalMs: config.get('KV_EXPIRY_SWEEP_INTERVAL_MS', { infer: true }),
      batch: config.get('KV_EXPIRY_SWEEP_BATCH', { infer: true }),
    });
  }
}
