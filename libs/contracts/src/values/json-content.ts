import { ErrorCode } from '../errors/error-codes';

/**
 * Object keys no body or message may use: `__proto__` reaches the prototype, and class-transformer reads
 * an own `constructor` (or `prototype`) as the object's class (a value `{"constructor": 1}` made it throw,
 * one with an object there lost the key). Refused wherever JSON comes in, rather than altered.
 */
export const FORBIDDEN_JSON_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export interface JsonContentProblem {
  code: ErrorCode;
  message: string;
}

/**
 * What JSON as parsed holds that would be misread: a forbidden key, at any depth. Iterative, one child at
 * a time: no depth or array length overflows it.
 */
export function jsonContentProblem(value: unknown): JsonContentProblem | null {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item !== 'object' || item === null) continue;
    if (Array.isArray(item)) {
      for (const child of item) pending.push(child);
      continue;
    }
    for (const key of Object.keys(item)) {
      if (FORBIDDEN_JSON_KEYS.has(key)) return { code: ErrorCode.VALIDATION_FAILED, message: `must not use the object key "${key}"` };
      pending.push((item as Record<string, unknown>)[key]);
    }
  }
  return null;
}

/**
 * Whether every number of a JSON value is finite: `1e400` parses as Infinity, which would be stored and
 * sent back as `null`. Iterative like jsonContentProblem.
 */
export function hasOnlyFiniteNumbers(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item === 'number' && !Number.isFinite(item)) return false;
    if (typeof item !== 'object' || item === null) continue;
    for (const child of Array.isArray(item) ? item : Object.values(item)) pending.push(child);
  }
  return true;
}
