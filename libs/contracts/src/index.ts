// First: the contracts' class-transformer decorators read metadata at import time.
import 'reflect-metadata';

export * from './changes/change-log.messages';
export * from './common/json-size';
export * from './common/limits';
export * from './common/message-meta';
export * from './common/page.dto';
export * from './entries/entry.dto';
export * from './entries/entry.messages';
export * from './entries/entry-rules';
export * from './errors/error-codes';
export * from './errors/kv.exception';
export * from './idempotency/idempotency-key';
export * from './keys/key-path';
export * from './namespaces/namespace.dto';
export * from './namespaces/namespace.messages';
export * from './pagination/cursor';
export * from './queues';
export * from './text/text-rule';
export * from './values/json-content';
export * from './values/value-codec';
export * from './values/value-type';
export * from './secrets/secret.dto';
export * from './secrets/secret.messages';
export * from './audit/audit-record';
export * from './audit/audit-record-check';
export * from './audit/audit.messages';
export * from './events/kv-event';
