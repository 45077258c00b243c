/**
 * Object keys no body or message may use: `__proto__` reaches the prototype, and class-transformer reads
 * an own `constructor` as the object's class (a value `{"constructor": 1}` made it throw, one with an
 * object there lost the key). Refused wherever JSON comes in, rather than altered.
 */
export const FORBIDDEN_JSON_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** The first forbidden key of a JSON value at any depth, or `undefined`. Iterative: no depth overflows it. */
export function forbiddenJsonKeyOf(value: unknown): string | undefined {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item !== 'object' || item === null) continue;
    if (Array.isArray(item)) {
      pending.push(...item);
      continue;
    }
    for (const key of Object.keys(item)) {
      if (FORBIDDEN_JSON_KEYS.has(key)) return key;
      pending.push((item as Record<string, unknown>)[key]);
    }
  }
  return undefined;
}
