import type { Entry } from '@kv-service/client';
import { entryForm, entryWriteOf, newEntryForm, withValueType } from './entry-form-state';

const entry: Entry = {
  id: 'e1',
  namespaceId: 'ns',
  keyPath: 'config/db/port',
  value: 5432,
  valueType: 'NUMBER',
  version: 3,
  metadata: { owner: 'team' },
  expiresAt: '2026-01-01T01:00:00Z',
  createdAt: '2025-12-31T00:00:00Z',
  updatedAt: '2025-12-31T00:00:00Z',
};

describe('the entry form', () => {
  it('opens an entry with its value, expiry kept and metadata, and saves the same back (the TTL left at the save)', () => {
    const opened = Date.parse('2026-01-01T00:00:00Z');
    const form = entryForm(entry, opened);
    expect(form).toMatchObject({
      key: 'config/db/port',
      valueType: 'NUMBER',
      draft: { text: '5432' },
      ttl: { choice: 'keep', keptExpiresAt: entry.expiresAt },
    });
    expect(entryWriteOf(form, opened + 60_000)).toEqual({
      write: { key: 'config/db/port', value: 5432, options: { valueType: 'NUMBER', ttlSeconds: 3540, metadata: { owner: 'team' } } },
    });
  });

  it('starts a new entry in its folder, and refuses to save it without a key of its own', () => {
    const form = newEntryForm('config/');
    expect(entryWriteOf(form)).toEqual({ errors: { key: 'A key, e.g. config/db/host' } });
    expect(entryWriteOf({ ...form, key: ' config/name ' })).toEqual({
      write: { key: 'config/name', value: '', options: { valueType: 'STRING', ttlSeconds: undefined, metadata: undefined } },
    });
  });

  it('says what is wrong with each field at once', () => {
    const form = { ...newEntryForm(''), key: 'k', valueType: 'JSON' as const, draft: { text: '{', bytes: null } };
    const result = entryWriteOf({ ...form, ttl: { choice: 'custom', customSeconds: 0 }, metadataText: '[]' });
    expect(result).toEqual({
      errors: { value: expect.stringMatching(/^Not JSON/), ttl: expect.any(String), metadata: expect.any(String) },
    });
  });

  it('keeps the text typed when the type changes, and starts true/false at false', () => {
    const form = { ...newEntryForm(''), draft: { text: '42', bytes: null } };
    expect(withValueType(form, 'NUMBER').draft.text).toBe('42');
    expect(withValueType(form, 'BOOLEAN').draft.text).toBe('false');
    expect(withValueType({ ...form, draft: { text: 'true', bytes: null } }, 'BOOLEAN').draft.text).toBe('true');
  });
});
