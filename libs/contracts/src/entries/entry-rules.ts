import { jsonByteLength } from '../common/json-size';
import { Limits } from '../common/limits';
import { ErrorCode } from '../errors/error-codes';
import { KvException } from '../errors/kv.exception';
import { keyPathProblem } from '../keys/key-path';
import { metadataTextProblem, valueProblem } from '../values/value-codec';
import type { ValueType } from '../values/value-type';
import type { EntryWrite } from './entry.dto';

/**
 * The rules of an entry call's input beyond its shape (the DTOs' decorators): keys, values, metadata and
 * bulk lists. The gateway applies them so that bad input never reaches the broker, and the entry services
 * again for every caller, so both refuse alike. Each gives the first rule broken, or `null`; a message
 * names the rule and its limit, never the value.
 */

/** A broken rule: the code its call is refused with, and a message safe to show the caller. */
export interface EntryProblem {
  code: ErrorCode;
  message: string;
}

/** Throws the problem as the KvException that refuses the call; nothing when there is none. */
export function throwIfProblem(problem: EntryProblem | null): void {
  if (problem !== null) throw new KvException(problem.code, problem.message);
}

/** `label: message` for an item of a bulk call, the bare message for a single one. */
function problem(code: ErrorCode, label: string | undefined, message: string): EntryProblem {
  return { code, message: label === undefined ? message : `${label}: ${message}` };
}

/** A key follows the key-path rules (INVALID_KEY, with the rule it breaks). */
export function entryKeyProblem(key: string, label?: string): EntryProblem | null {
  const broken = keyPathProblem(key);
  return broken === null ? null : problem(ErrorCode.INVALID_KEY, label, broken);
}

/** What is written: the value matches its type, then stays within the size limit; then the metadata likewise. */
export function entryWriteProblem(
  write: Pick<EntryWrite, 'value' | 'valueType' | 'metadata'>,
  maxValueBytes: number,
  label?: string,
): EntryProblem | null {
  const typeProblem = valueProblem(write.valueType, write.value);
  if (typeProblem !== null) return problem(ErrorCode.INVALID_VALUE, label, typeProblem);
  return valueSizeProblem(write.value, maxValueBytes, label) ?? metadataProblem(write.metadata, label);
}

function valueSizeProblem(value: unknown, maxValueBytes: number, label?: string): EntryProblem | null {
  if (jsonByteLength(value) <= maxValueBytes) return null;
  return problem(ErrorCode.VALUE_TOO_LARGE, label, `value must be at most ${maxValueBytes} bytes once JSON-encoded`);
}

function metadataProblem(metadata: Record<string, unknown> | null | undefined, label?: string): EntryProblem | null {
  if (metadata === undefined || metadata === null) return null;
  const textProblem = metadataTextProblem(metadata);
  if (textProblem !== null) return problem(ErrorCode.INVALID_VALUE, label, textProblem);
  if (jsonByteLength(metadata) <= Limits.MAX_METADATA_BYTES) return null;
  return problem(ErrorCode.VALIDATION_FAILED, label, `metadata must be at most ${Limits.MAX_METADATA_BYTES} bytes once JSON-encoded`);
}

/**
 * A rotation's own value, when it gives one: the write rules when it names its type; else only its size,
 * as the entry's current type applies, which only the secrets service knows (it checks the write then).
 */
export function rotationProblem(rotation: { value?: unknown; valueType?: ValueType }, maxValueBytes: number): EntryProblem | null {
  if (rotation.value === undefined) return null;
  if (rotation.valueType === undefined) return valueSizeProblem(rotation.value, maxValueBytes);
  return entryWriteProblem({ value: rotation.value, valueType: rotation.valueType }, maxValueBytes);
}

/** A bulk read or delete: its keys, named `keys[i]`. */
export function bulkKeysProblem(keys: readonly string[]): EntryProblem | null {
  return keyListProblem(keys, (index) => `keys[${index}]`);
}

/** A bulk write, checked whole before anything is written: every key first (`entries[i].key`), then every value (`entries[i]`). */
export function bulkWriteProblem(
  entries: ReadonlyArray<Pick<EntryWrite, 'value' | 'valueType' | 'metadata'> & { key: string }>,
  maxValueBytes: number,
): EntryProblem | null {
  const keysProblem = keyListProblem(
    entries.map((entry) => entry.key),
    (index) => `entries[${index}].key`,
  );
  if (keysProblem !== null) return keysProblem;
  for (const [index, entry] of entries.entries()) {
    const writeProblem = entryWriteProblem(entry, maxValueBytes, `entries[${index}]`);
    if (writeProblem !== null) return writeProblem;
  }
  return null;
}

/** The keys of one bulk call: at most MAX_BULK_KEYS, then each a valid key path, then none twice. */
function keyListProblem(keys: readonly string[], labelOf: (index: number) => string): EntryProblem | null {
  if (keys.length > Limits.MAX_BULK_KEYS) {
    return { code: ErrorCode.TOO_MANY_KEYS, message: `at most ${Limits.MAX_BULK_KEYS} keys a call, got ${keys.length}` };
  }
  for (const [index, key] of keys.entries()) {
    const keyProblem = entryKeyProblem(key, labelOf(index));
    if (keyProblem !== null) return keyProblem;
  }
  const firstIndex = new Map<string, number>();
  for (const [index, key] of keys.entries()) {
    const earlier = firstIndex.get(key);
    if (earlier !== undefined) {
      return problem(ErrorCode.DUPLICATE_KEY, labelOf(index), `key must appear only once a call; it repeats ${labelOf(earlier)}`);
    }
    firstIndex.set(key, index);
  }
  return null;
}
