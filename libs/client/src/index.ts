export * from './kv-client';
export * from './errors';
export * from './schemas';
export { AUDIT_ACTIONS } from './audit-actions';
export { InvalidKeyPathError, encodeKeyPath } from './key-path';
export { compareKeyPaths, levelItemsOf } from './key-order';
export type { LevelItem } from './key-order';
export { retryAfterMs } from './retry';
export type { RetryOptions } from './retry';
export { gatewayOrigin } from './transport';
export type { TransportOptions } from './transport';
export type { ChangeEvent, ChangeType, WatchOptions } from './watch';
export { base64ToBytes, bytesToBase64, inferValueType, parseDecimalNumber } from './values';
export type { Entry, JsonValue, KvValue } from './values';
export {
  EntryFileError,
  dotenvValue,
  fileOfEntries,
  flattenJson,
  formatDotenv,
  formatOfFileName,
  isDotenvKey,
  itemsOfFile,
  keyRelativeTo,
  parseDotenv,
  unflattenJson,
} from './entry-files';
export type { EntryFileFormat, JsonObject } from './entry-files';
