import { Provider } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { SecretsEnv } from '../config/secrets.env';
import { MasterKeyring, parseMasterKeyring } from '../crypto/master-keyring';

export const MASTER_KEYRING = Symbol('MASTER_KEYRING');

/** The keyring from KV_MASTER_KEY or KV_MASTER_KEYS; without a valid one the service does not start. */
export function masterKeyringFrom(env: Pick<SecretsEnv, 'KV_MASTER_KEY' | 'KV_MASTER_KEYS'>): MasterKeyring {
  try {
    return parseMasterKeyring({ masterKey: env.KV_MASTER_KEY, masterKeys: env.KV_MASTER_KEYS });
  } catch (error) {
    throw new Error(
      `the secrets service needs a master key: ${(error as Error).message}. ` +
        'Generate one with `openssl rand -base64 32` and keep it in your secret store (see README, "Keys").',
      { cause: error },
    );
  }
}

export const masterKeyringProvider: Provider = {
  provide: MASTER_KEYRING,
  inject: [ConfigService],
  useFactory: (config: ConfigService<SecretsEnv, true>): MasterKeyring =>
    masterKeyringFrom({
      KV_MASTER_KEY: config.get('KV_MASTER_KEY', { infer: true }),
      KV_MASTER_KEYS: config.get('KV_MASTER_KEYS', { infer: true }),
    }),
};
