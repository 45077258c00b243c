/** Size in UTF-8 bytes of a value's JSON encoding: the one measure used for every size limit. */
export function jsonByteLength(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}
