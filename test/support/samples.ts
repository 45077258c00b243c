/**
 * Values of the contracts that specs pass around without testing them (a namespace's descriptor, an entry
 * a service answers), written once: a spec states only what its case is about, as overrides.
 */
import {
  AuditAction,
  AuditRecordMessage,
  EntryDto,
  ErrorCode,
  KV_EVENT_SCHEMA_VERSION,
  KvEvent,
  KvEventType,
  NamespaceDescriptor,
  ValueType,
} from '@app/contracts';

/** The namespace of the samples, unless a spec names another. */
export const SAMPLE_NS = '3f0c2a5e-0000-4000-8000-00000000000a';

/** A plain namespace of the application `billing`, with no default TTL and no cap on secret versions. */
export function aNamespaceDescriptor(overrides: Partial<NamespaceDescriptor> = {}): NamespaceDescriptor {
  return {
    id: SAMPLE_NS,
    applicationId: 'billing',
    isSecretNamespace: false,
    defaultTtlSeconds: null,
    maxSecretVersions: null,
    ...overrides,
  };
}

/** An entry at version 1: a STRING without metadata or expiry, created and not updated since. */
export function anEntry(overrides: Partial<EntryDto> = {}): EntryDto {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    namespaceId: SAMPLE_NS,
    keyPath: 'k',
    value: 'v',
    valueType: ValueType.STRING,
    version: 1,
    metadata: null,
    expiresAt: null,
    createdAt: '2026-12-01T00:00:00.000Z',
    updatedAt: '2026-12-01T00:00:00.000Z',
    ...overrides,
  };
}

/** The `kv.entry.created` of `anEntry` by `alice`. */
export function anEvent(overrides: Partial<KvEvent> = {}): KvEvent {
  return {
    id: '7a2d1b63-4e66-4a8f-8e1c-1d4c2a3b0f21',
    type: KvEventType.ENTRY_CREATED,
    occurredAt: '2026-12-01T00:00:00.000Z',
    applicationId: 'billing',
    namespaceId: SAMPLE_NS,
    entryId: '00000000-0000-4000-8000-000000000001',
    keyPath: 'k',
    version: 1,
    actor: 'alice',
    requestId: 'req-1',
    schemaVersion: KV_EVENT_SCHEMA_VERSION,
    ...overrides,
  };
}

/** A successful READ by `alice` in `billing` of the key `k`, of a request without a known namespace or address. */
export function anAuditRecord(overrides: Partial<AuditRecordMessage> = {}): AuditRecordMessage {
  return {
    id: '6f1c0a52-3d55-4f7e-9d0b-0c3b1f2a9e10',
    occurredAt: '2026-11-22T12:00:00.000Z',
    action: AuditAction.READ,
    success: true,
    userId: 'alice',
    applicationId: 'billing',
    namespaceId: null,
    entryId: null,
    keyPath: 'k',
    requestId: 'req-1',
    clientAddress: null,
    errorCode: null,
    eventType: null,
    ...overrides,
  };
}

/** The gateway's answer to a value read whose audit record the broker did not confirm: no value, and try again. */
export const WITHHELD_READ_REPLY = {
  statusCode: 503,
  error: 'Service Unavailable',
  code: ErrorCode.SERVICE_UNAVAILABLE,
  message: 'the read could not be audited, so its value is withheld; try again later',
};
