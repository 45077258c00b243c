import {
  EntryWrite,
  ErrorCode,
  KvException,
  Limits,
  jsonByteLength,
  keyPathProblem,
  metadataTextProblem,
  valueProblem,
} from '@app/contracts';

/** `label: problem` for an item of a bulk call, the bare problem for a single write. */
function withLabel(label: string | undefined, problem: string): string {
  return label === undefined ? problem : `${label}: ${problem}`;
}

/** A key must follow the key-path rules: INVALID_KEY with the rule it breaks. */
export function assertValidKey(key: string, label?: string): void {
  const problem = keyPathProblem(key);
  if (problem !== null) throw new KvException(ErrorCode.INVALID_KEY, withLabel(label, problem));
}

/**
 * What is written must match its type and stay within the size limits. The messages name the
 * rule and the limit, never the value.
 */
export function assertValidWrite(write: EntryWrite, maxValueBytes: number, label?: string): void {
  const problem = valueProblem(write.valueType, write.value);
  if (problem !== null) throw new KvException(ErrorCode.INVALID_VALUE, withLabel(label, problem));
  if (jsonByteLength(write.value) > maxValueBytes) {
    throw new KvException(ErrorCode.VALUE_TOO_LARGE, withLabel(label, `value must be at most ${maxValueBytes} bytes once JSON-encoded`));
  }
  if (write.metadata === undefined || write.metadata === null) return;
  const metadataProblem = metadataTextProblem(write.metadata);
  if (metadataProblem !== null) throw new KvException(ErrorCode.INVALID_VALUE, withLabel(label, metadataProblem));
  if (jsonByteLength(write.metadata) > Limits.MAX_METADATA_BYTES) {
    throw new KvException(
      ErrorCode.VALIDATION_FAILED,
      withLabel(label, `metadata must be at most ${Limits.MAX_METADATA_BYTES} bytes once JSON-encoded`),
    );
  }
}

/**
 * The keys of one bulk call: at most MAX_BULK_KEYS, each a valid key path, none twice.
 * `field` names the list in messages (`keys[3]`, `entries[3].key`).
 */
export function assertValidBulkKeys(keys: readonly string[], labelOf: (index: number) => string): void {
  if (keys.length > Limits.MAX_BULK_KEYS) {
    throw new KvException(ErrorCode.TOO_MANY_KEYS, `at most ${Limits.MAX_BULK_KEYS} keys a call, got ${keys.length}`);
  }
  keys.forEach((key, index) => assertValidKey(key, labelOf(index)));
  const firstIndex = new Map<string, number>();
  keys.forEach((key, index) => {
    const earlier = firstIndex.get(key);
    if (earlier !== undefined) {
      throw new KvException(ErrorCode.DUPLICATE_KEY, `${labelOf(index)} repeats ${labelOf(earlier)}`);
    }
    firstIndex.set(key, index);
  });
}

/** A bulk read or delete: `keys[i]`. */
export function assertValidKeyList(keys: readonly string[]): void {
  assertValidBulkKeys(keys, (index) => `keys[${index}]`);
}

/** A bulk write, checked whole before anything is written: keys first, then every value. */
export function assertValidBulkWrite(entries: ReadonlyArray<EntryWrite & { key: string }>, maxValueBytes: number): void {
  assertValidBulkKeys(
    entries.map((entry) => entry.key),
    (index) => `entries[${index}].key`,
  );
  entries.forEach((entry, index) => assertValidWrite(entry, maxValueBytes, `entries[${index}]`));
}
