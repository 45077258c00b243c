import {
  base64ToBytes,
  parseDecimalNumber,
  type Entry,
  type KvValue,
  type RotateOptions,
  type SecretAlphabet,
  type ValueType,
} from '@kv-service/client';
import { valueText } from '../entries/value-codec';

/** What a masked value shows in its place. */
export const MASK = '••••••••••••';

/** A secret's value as text, to show or copy: the value itself (BINARY as base64), JSON indented. */
export const secretText = (entry: Pick<Entry, 'valueType' | 'value'>): string =>
  valueText(entry.valueType, entry.value, { bytes: 'base64' });

/** A value typed as text, as the API takes it for `valueType`; or why it is not one. */
export function parseValueText(text: string, valueType: ValueType): { value: KvValue } | { error: string } {
  switch (valueType) {
    case 'STRING':
    case 'DATETIME':
    case 'DATE':
    case 'DURATION':
      return text === '' ? { error: 'Enter the new value' } : { value: text };
    case 'NUMBER': {
      const number = parseDecimalNumber(text.trim());
      return number === null ? { error: 'Enter a number in decimal notation, e.g. 42 or -1.5' } : { value: number };
    }
    case 'BOOLEAN':
      return text.trim() === 'true' ? { value: true } : text.trim() === 'false' ? { value: false } : { error: 'Enter true or false' };
    case 'JSON':
      try {
        return { value: JSON.parse(text) as KvValue };
      } catch (error) {
        return { error: `Not JSON: ${error instanceof Error ? error.message : String(error)}` };
      }
    case 'BINARY':
      return /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text.trim())
        ? { value: base64ToBytes(text.trim()) }
        : { error: 'Enter the bytes as base64' };
  }
}

export const SECRET_ALPHABETS: readonly SecretAlphabet[] = ['alphanumeric', 'ascii-printable', 'hex', 'base64url'];
export const GENERATED_LENGTH = { min: 8, max: 4096, default: 32 } as const;

/** The rotation dialog's fields as typed (Mantine's NumberInput gives `''` when empty). */
export interface RotationForm {
  source: 'given' | 'generated';
  value: string;
  length: number | string;
  alphabet: SecretAlphabet;
  reason: string;
}

export const EMPTY_ROTATION_FORM: RotationForm = {
  source: 'generated',
  value: '',
  length: GENERATED_LENGTH.default,
  alphabet: 'alphanumeric',
  reason: '',
};

/** The API's rotation for the form, in the secret's current type; or why the form is not one yet. */
export function rotateOptionsOf(form: RotationForm, valueType: ValueType): { options: RotateOptions } | { error: string } {
  const reason = form.reason.trim() || undefined;
  if (form.source === 'given') {
    const parsed = parseValueText(form.value, valueType);
    return 'error' in parsed ? parsed : { options: { value: parsed.value, valueType, reason } };
  }
  const { length } = form;
  if (typeof length !== 'number' || !Number.isInteger(length) || length < GENERATED_LENGTH.min || length > GENERATED_LENGTH.max)
    return { error: `A length from ${GENERATED_LENGTH.min} to ${GENERATED_LENGTH.max}` };
  return { options: { length, alphabet: form.alphabet, reason } };
}

/** What a rotation leaves on screen: its version, and a generated value to be shown once (never a given one). */
export interface RotationOutcome {
  version: number;
  generated: string | null;
}

export function rotationOutcomeOf(source: RotationForm['source'], entry: Entry): RotationOutcome {
  return { version: entry.version, generated: source === 'generated' ? secretText(entry) : null };
}
