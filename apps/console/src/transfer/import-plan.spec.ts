import { describe, expect, it } from '@jest/globals';
import type { Entry, KvValue, ValueType } from '@kv-service/client';
import { batchesOf, planImport } from './import-plan';

const entry = (keyPath: string, value: KvValue, valueType: ValueType): Entry => ({
  id: `id-${keyPath}`,
  namespaceId: 'ns',
  keyPath,
  value,
  valueType,
  version: 3,
  metadata: null,
  expiresAt: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

describe('planImport', () => {
  const current = [
    entry('DB_HOST', 'db.internal', 'STRING'),
    entry('DB_PORT', '5432', 'STRING'),
    entry('LIMITS', { rps: 5, burst: 10 }, 'JSON'),
    entry('RETRIES', 3, 'NUMBER'),
  ];

  it('plans each key of the file as created, changed or unchanged, with old and new values in a plain namespace', () => {
    const plan = planImport(
      [
        { key: 'DB_HOST', value: 'db.internal', valueType: 'STRING' },
        { key: 'DB_PORT', value: '6432', valueType: 'STRING' },
        { key: 'NEW_FLAG', value: 'on', valueType: 'STRING' },
        { key: 'LIMITS', value: { burst: 10, rps: 5 }, valueType: 'JSON' },
        { key: 'RETRIES', value: '3', valueType: 'STRING' },
      ],
      current,
      false,
    );
    expect(plan.rows).toEqual([
      { key: 'DB_HOST', change: 'unchanged', valueType: 'STRING', after: 'db.internal' },
      { key: 'DB_PORT', change: 'change', valueType: 'STRING', previousType: undefined, before: '5432', after: '6432' },
      { key: 'NEW_FLAG', change: 'create', valueType: 'STRING', after: 'on' },
      // The same JSON with its properties in another order is the same value.
      { key: 'LIMITS', change: 'unchanged', valueType: 'JSON', after: '{"burst":10,"rps":5}' },
      // The same text as another type is a change (of type).
      { key: 'RETRIES', change: 'change', valueType: 'STRING', previousType: 'NUMBER', before: '3', after: '3' },
    ]);
    expect(plan.counts).toEqual({ create: 1, change: 2, unchanged: 2, invalid: 0 });
    expect(plan.writes.map((item) => item.key)).toEqual(['DB_PORT', 'NEW_FLAG', 'RETRIES']);
  });

  it('shows no value at all in a secret namespace, only what changes', () => {
    const plan = planImport(
      [
        { key: 'DB_HOST', value: 'db.internal', valueType: 'STRING' },
        { key: 'DB_PORT', value: '6432', valueType: 'STRING' },
        { key: 'API_KEY', value: 's3cr3t', valueType: 'STRING' },
      ],
      current,
      true,
    );
    expect(plan.rows.map((row) => row.change)).toEqual(['unchanged', 'change', 'create']);
    expect(JSON.stringify(plan.rows)).not.toMatch(/db\.internal|5432|6432|s3cr3t/);
    expect(plan.writes.map((item) => item.value)).toEqual(['6432', 's3cr3t']);
  });

  it('types the writes as the file does (inferred when it names none), and refuses keys the API cannot address', () => {
    const plan = planImport(
      [
        { key: 'db/port', value: 5432 },
        { key: 'a//b', value: 'x', valueType: 'STRING' },
        { key: 'x/../y', value: 'x', valueType: 'STRING' },
      ],
      [],
      false,
    );
    expect(plan.writes).toEqual([{ key: 'db/port', value: 5432, valueType: 'NUMBER' }]);
    expect(plan.counts).toEqual({ create: 1, change: 0, unchanged: 0, invalid: 2 });
    expect(plan.rows[1]).toMatchObject({ key: 'a//b', change: 'invalid', problem: expect.stringMatching(/empty/) });
  });

  it('an empty file plans nothing', () => {
    expect(planImport([], current, false)).toEqual({ rows: [], counts: { create: 0, change: 0, unchanged: 0, invalid: 0 }, writes: [] });
  });
});

describe('batchesOf', () => {
  it('cuts items into calls of at most the given size, in order', () => {
    expect(batchesOf([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(batchesOf([], 2)).toEqual([]);
    expect(batchesOf(Array.from({ length: 1001 }, (_, i) => i)).map((batch) => batch.length)).toEqual([1000, 1]);
  });
});
