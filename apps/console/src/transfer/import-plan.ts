import {
  encodeKeyPath,
  inferValueType,
  InvalidKeyPathError,
  MAX_BULK_ITEMS,
  type BulkSetItem,
  type Entry,
  type KvValue,
  type ValueType,
} from '@kv-service/client';
import { valueText } from '../entries/value-codec';

export type ImportChange = 'create' | 'change' | 'unchanged' | 'invalid';

/** One key of the file, what applying it would do, and (plain namespaces only) the values shown. */
export interface ImportPlanRow {
  key: string;
  change: ImportChange;
  valueType: ValueType;
  /** The type stored now, when it differs from the file's. */
  previousType?: ValueType;
  /** Shown values: absent in a secret namespace, and `before` only for a change. */
  before?: string;
  after?: string;
  /** Why an invalid row cannot be written. */
  problem?: string;
}

export interface ImportPlan {
  rows: ImportPlanRow[];
  counts: Record<ImportChange, number>;
  /** What applying sends: the created and changed items, in the file's order. */
  writes: BulkSetItem[];
}

/** The keys the API can address (the rest are planned as invalid and never sent, so one bad key fails no call). */
export function addressableKeys(items: BulkSetItem[]): string[] {
  return items.filter((item) => keyProblem(item.key) === undefined).map((item) => item.key);
}

function keyProblem(key: string): string | undefined {
  try {
    encodeKeyPath(key);
    return undefined;
  } catch (error) {
    if (error instanceof InvalidKeyPathError) return error.message;
    throw error;
  }
}

function sameValue(a: KvValue, b: KvValue): boolean {
  if (a instanceof Uint8Array || b instanceof Uint8Array) return false;
  return canonicalJson(a) === canonicalJson(b);
}

/** JSON with object properties sorted, so that `{"a":1,"b":2}` and `{"b":2,"a":1}` are the same value. */
function canonicalJson(value: KvValue): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : inner,
  );
}

/**
 * What importing `items` over the namespace's `current` entries would do, key by key: a key not there is created,
 * one whose type and value are the same is left alone (not written: no new version), any other is changed. A secret
 * namespace's plan shows no value, only "changed".
 */
export function planImport(items: BulkSetItem[], current: Entry[], secret: boolean): ImportPlan {
  const byKey = new Map(current.map((entry) => [entry.keyPath, entry]));
  const counts: Record<ImportChange, number> = { create: 0, change: 0, unchanged: 0, invalid: 0 };
  const rows: ImportPlanRow[] = [];
  const writes: BulkSetItem[] = [];
  for (const item of items) {
    const valueType = item.valueType ?? inferValueType(item.value);
    const shown = (type: ValueType, value: KvValue) => (secret ? undefined : valueText(type, value, { oneLine: true }));
    const problem = keyProblem(item.key);
    const existing = byKey.get(item.key);
    let row: ImportPlanRow;
    if (problem !== undefined) row = { key: item.key, change: 'invalid', valueType, problem };
    else if (existing === undefined) row = { key: item.key, change: 'create', valueType, after: shown(valueType, item.value) };
    else if (existing.valueType === valueType && sameValue(existing.value, item.value))
      row = { key: item.key, change: 'unchanged', valueType, after: shown(valueType, item.value) };
    else
      row = {
        key: item.key,
        change: 'change',
        valueType,
        previousType: existing.valueType === valueType ? undefined : existing.valueType,
        before: shown(existing.valueType, existing.value),
        after: shown(valueType, item.value),
      };
    counts[row.change]++;
    rows.push(row);
    if (row.change === 'create' || row.change === 'change') writes.push({ ...item, valueType });
  }
  return { rows, counts, writes };
}

/** The items in bulk calls of at most `size` (the API's limit by default), in order. */
export function batchesOf<T>(items: T[], size = MAX_BULK_ITEMS): T[][] {
  const batches: T[][] = [];
  for (let start = 0; start < items.length; start += size) batches.push(items.slice(start, start + size));
  return batches;
}
