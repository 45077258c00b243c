import type { OutcomeCodec, StoredOutcome } from '@app/entry-store';
import { ValueBinding } from './envelope';
import { openSecretValue, sealSecretValue } from './secret-value';

// No value lives at a key path holding U+0000 (the text rule), nor at version 0: no value's ciphertext opens here.
const OUTCOME_BINDING_KEY_PATH = '\u0000request-outcome';

/**
 * A change's answer that holds secret values, stored sealed with the namespace's data key like the
 * values themselves: the deduplication table never holds one in clear.
 */
export function sealedOutcome<T>(dataKey: Buffer, namespaceId: string): OutcomeCodec<T> {
  const binding: ValueBinding = { namespaceId, keyPath: OUTCOME_BINDING_KEY_PATH, version: 0 };
  return {
    encode: (result): StoredOutcome => ({ sealed: sealSecretValue(dataKey, result, binding).toString('base64') }),
    decode: (stored) => {
      if (!('sealed' in stored)) throw new Error('a stored outcome of another form');
      return openSecretValue(dataKey, Buffer.from(stored.sealed, 'base64'), binding) as T;
    },
  };
}
