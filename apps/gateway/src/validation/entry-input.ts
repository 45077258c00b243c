import {
  BulkKeysBody,
  BulkSetBody,
  EntryWrite,
  ErrorCode,
  KvException,
  Limits,
  SecretRotateBody,
  jsonByteLength,
  keyPathProblem,
  metadataTextProblem,
  valueProblem,
} from '@app/contracts';

/**
 * Checks beyond the DTOs' decorators, made in the gateway so that bad input never reaches the
 * broker (the services make them again). Each returns the error to raise, or `null`.
 */

export function keyError(key: string, label = 'key'): KvException | null {
  const problem = keyPathProblem(key);
  return problem === null ? null : new KvException(ErrorCode.INVALID_KEY, label === 'key' ? problem : `${label}: ${problem}`);
}

export function entryWriteError(write: EntryWrite, maxValueBytes: number, label?: string): KvException | null {
  const prefix = label ? `${label}: ` : '';
  const valueBytes = jsonByteLength(write.value);
  if (valueBytes > maxValueBytes) {
    return new KvException(ErrorCode.VALUE_TOO_LARGE, `${prefix}value is ${valueBytes} bytes; at most ${maxValueBytes} allowed`);
  }
  const problem = valueProblem(write.valueType, write.value);
  if (problem !== null) return new KvException(ErrorCode.INVALID_VALUE, `${prefix}${problem}`);
  const metadataProblem = write.metadata === undefined ? null : metadataTextProblem(write.metadata);
  if (metadataProblem !== null) return new KvException(ErrorCode.INVALID_VALUE, `${prefix}${metadataProblem}`);
  if (write.metadata !== undefined && jsonByteLength(write.metadata) > Limits.MAX_METADATA_BYTES) {
    return new KvException(ErrorCode.VALIDATION_FAILED, `${prefix}metadata must be at most ${Limits.MAX_METADATA_BYTES} bytes`);
  }
  return null;
}

/**
 * A rotation's own value, when it gives one: its size, and its type when it names one (else the
 * entry's current type applies, which only the secrets service knows).
 */
export function rotateError(body: SecretRotateBody, maxValueBytes: number): KvException | null {
  if (body.value === undefined) return null;
  const valueBytes = jsonByteLength(body.value);
  if (valueBytes > maxValueBytes) {
    return new KvException(ErrorCode.VALUE_TOO_LARGE, `value is ${valueBytes} bytes; at most ${maxValueBytes} allowed`);
  }
  const problem = body.valueType === undefined ? null : valueProblem(body.valueType, body.value);
  return problem === null ? null : new KvException(ErrorCode.INVALID_VALUE, problem);
}

export function bulkKeysError(body: BulkKeysBody): KvException | null {
  for (const [index, key] of body.keys.entries()) {
    const error = keyError(key, `keys[${index}]`);
    if (error) return error;
  }
  return null;
}

export function bulkSetError(body: BulkSetBody, maxValueBytes: number): KvException | null {
  const seen = new Set<string>();
  for (const [index, item] of body.entries.entries()) {
    const label = `entries[${index}]`;
    const error = keyError(item.key, `${label}.key`) ?? entryWriteError(item, maxValueBytes, label);
    if (error) return error;
    if (seen.has(item.key)) return new KvException(ErrorCode.DUPLICATE_KEY, `${label}.key: the key appears more than once`);
    seen.add(item.key);
  }
  return null;
}
