import type { Entry, KvValue, PutEntryOptions, ValueType } from '@kv-service/client';
import { ttlFieldFor, ttlSecondsOf, type TtlField } from './ttl-choices';
import { draftOf, EMPTY_DRAFT, metadataOf, valueOfDraft, type ValueDraft } from './value-codec';

/** The entry form's fields as typed. */
export interface EntryFormState {
  key: string;
  valueType: ValueType;
  draft: ValueDraft;
  ttl: TtlField;
  metadataText: string;
}

export function newEntryForm(folder: string): EntryFormState {
  return { key: folder, valueType: 'STRING', draft: EMPTY_DRAFT, ttl: { choice: 'none', customSeconds: '' }, metadataText: '' };
}

/** The form an entry opens with: its value, its expiry kept, its metadata. */
export function entryForm(entry: Entry, now: number): EntryFormState {
  return {
    key: entry.keyPath,
    valueType: entry.valueType,
    draft: draftOf(entry.valueType, entry.value),
    ttl: ttlFieldFor(entry.expiresAt, now),
    metadataText: entry.metadata === null ? '' : JSON.stringify(entry.metadata, null, 2),
  };
}

/** Another type keeps the text typed; true/false start at false. */
export function withValueType(form: EntryFormState, valueType: ValueType): EntryFormState {
  const text = valueType === 'BOOLEAN' && form.draft.text !== 'true' ? 'false' : form.draft.text;
  return { ...form, valueType, draft: { ...form.draft, text } };
}

export interface EntryFormErrors {
  key?: string;
  value?: string;
  ttl?: string;
  metadata?: string;
}

/** What a save at `now` writes, without its expected version; or each field's problem. */
export type EntryWrite = { key: string; value: KvValue; options: Omit<PutEntryOptions, 'expectedVersion'> };

export function entryWriteOf(form: EntryFormState, now = Date.now()): { write: EntryWrite } | { errors: EntryFormErrors } {
  const key = form.key.trim();
  const value = valueOfDraft(form.valueType, form.draft);
  const ttl = ttlSecondsOf(form.ttl, now);
  const metadata = metadataOf(form.metadataText);
  const errors: EntryFormErrors = {};
  if (key === '' || key.endsWith('/')) errors.key = 'A key, e.g. config/db/host';
  if ('problem' in value) errors.value = value.problem;
  if ('problem' in ttl) errors.ttl = ttl.problem;
  if ('problem' in metadata) errors.metadata = metadata.problem;
  if ('problem' in value || 'problem' in ttl || 'problem' in metadata || errors.key) return { errors };
  return {
    write: { key, value: value.value, options: { valueType: form.valueType, ttlSeconds: ttl.ttlSeconds, metadata: metadata.metadata } },
  };
}
