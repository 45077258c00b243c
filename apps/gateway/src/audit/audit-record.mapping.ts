import { AuditAction, AuditRecordMessage, NamespaceDescriptor } from '@app/contracts';
import { isUUID } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { entryKeyOf } from '../entries/entry-key';
import { entryOperationOf, isSuffixOperation } from '../entries/entry-operation';
import { AuditedRoute, auditedRouteOf } from './audited.decorator';
import { clientAddressOf } from '../http/client-address';
import { canonicalNamespaceId } from '../http/namespace-id.pipe';

/** The user of a call made without a valid token. */
export const ANONYMOUS_USER_ID = 'anonymous';
/** `AuditRecordMessage.userId`'s limit: a longer token subject must not make the record invalid. */
const MAX_USER_ID_LENGTH = 256;

/** One call, as its audit record describes it whatever its outcome. */
export interface AuditedCall {
  action: AuditAction;
  userId: string;
  requestId: string | null;
  clientAddress: string | null;
  /** From the path; null on a route without one, or when it is no namespace id. */
  namespaceId: string | null;
  /** The entry's key, from the path; null on a route of several entries or none, or when it is no valid key. */
  keyPath: string | null;
  /** The namespace as the call resolved it, if it got that far. */
  namespace: NamespaceDescriptor | null;
}

export type AuditOutcome = { success: true; reply: unknown } | { success: false; errorCode: string };

const CHANGES: ReadonlySet<AuditAction> = new Set([
  AuditAction.WRITE,
  AuditAction.DELETE,
  AuditAction.EXPIRE,
  AuditAction.ROTATE,
  AuditAction.ROLLBACK,
  AuditAction.NAMESPACE_CREATE,
  AuditAction.NAMESPACE_UPDATE,
  AuditAction.NAMESPACE_DELETE,
]);

/**
 * A change's success is recorded by the service that owns the data, by its outbox with the committed
 * event (same id); the gateway records only the changes that failed.
 */
export function isChange(action: AuditAction): boolean {
  return CHANGES.has(action);
}

/**
 * Whether a successful change changed nothing, so that its service wrote no event and no audit record:
 * a bulk delete whose keys were all absent. The gateway records such a call itself.
 */
export function changedNothing(reply: unknown): boolean {
  const deleted = (reply as { deleted?: unknown } | null)?.deleted;
  return Array.isArray(deleted) && deleted.length === 0;
}

type AuditedRequest = Pick<FastifyRequest, 'principal' | 'auditNotes' | 'id' | 'ip' | 'params' | 'method' | 'url'> & {
  socket?: FastifyRequest['socket'];
};

function keyPathOf(request: Pick<FastifyRequest, 'params' | 'method' | 'url'>): string | null {
  const params = request.params as Record<string, unknown> | undefined;
  if (typeof params?.['*'] !== 'string') return null;
  const operation = entryOperationOf(request.method, request.url);
  try {
    return entryKeyOf(params, isSuffixOperation(operation) ? operation : undefined);
  } catch {
    // An invalid key is not recorded (it could be anything, of any length); the record's INVALID_KEY says why.
    return null;
  }
}

export function auditedCallOf(request: AuditedRequest, action: AuditAction): AuditedCall {
  const namespaceId = (request.params as Record<string, unknown> | undefined)?.nsId;
  return {
    action,
    userId: (request.principal?.id ?? ANONYMOUS_USER_ID).slice(0, MAX_USER_ID_LENGTH),
    requestId: String(request.id),
    clientAddress: clientAddressOf(request),
    namespaceId: typeof namespaceId === 'string' && isUUID(namespaceId) ? canonicalNamespaceId(namespaceId) : null,
    keyPath: keyPathOf(request),
    namespace: request.auditNotes?.namespace ?? null,
  };
}

/**
 * The call of a failed request, when it is audited: any request of an audited route (whatever refused
 * it), and any request that matched no route (`REQUEST`). Health and the API documents are not audited.
 */
export function failedCallOf(request: AuditedRequest & Pick<FastifyRequest, 'routeOptions' | 'is404'>): AuditedCall | null {
  const route = auditedRouteOf(request);
  if (route) return auditedCallOf(request, route.action);
  return request.is404 ? auditedCallOf(request, AuditAction.REQUEST) : null;
}

/**
 * Whether a successful reply may leave only once its record is confirmed: it carries values of a secret
 * namespace, or of a namespace the call did not note (fail closed).
 */
export function mustConfirmBeforeReply(route: AuditedRoute, call: AuditedCall): boolean {
  return route.revealsValues && call.namespace?.isSecretNamespace !== false;
}

function stringField(reply: unknown, field: string): string | undefined {
  if (typeof reply !== 'object' || reply === null) return undefined;
  const value = (reply as Record<string, unknown>)[field];
  return typeof value === 'string' ? value : undefined;
}

/** The reply of a one-entry route is the entry: its id is recorded. */
function entryIdOf(call: AuditedCall, outcome: AuditOutcome): string | null {
  if (!outcome.success || call.keyPath === null) return null;
  const id = stringField(outcome.reply, 'id');
  return id !== undefined && isUUID(id) ? id : null;
}

/** From the resolved namespace, or from the reply when it is the path's namespace itself (GET /namespaces/{id}). */
function applicationIdOf(call: AuditedCall, outcome: AuditOutcome): string | null {
  if (call.namespace) return call.namespace.applicationId;
  if (!outcome.success || call.namespaceId === null || stringField(outcome.reply, 'id') !== call.namespaceId) return null;
  return stringField(outcome.reply, 'applicationId') ?? null;
}

/** The record of a call. It names what was touched and by whom, never a value: no field of the reply is copied but ids. */
export function auditRecordOf(
  call: AuditedCall,
  outcome: AuditOutcome,
  identity: { id: string; occurredAt: string } = { id: randomUUID(), occurredAt: new Date().toISOString() },
): AuditRecordMessage {
  return {
    id: identity.id,
    occurredAt: identity.occurredAt,
    action: call.action,
    success: outcome.success,
    userId: call.userId,
    applicationId: applicationIdOf(call, outcome),
    namespaceId: call.namespaceId,
    entryId: entryIdOf(call, outcome),
    keyPath: call.keyPath,
    requestId: call.requestId,
    clientAddress: call.clientAddress,
    errorCode: outcome.success ? null : outcome.errorCode,
    eventType: null,
  };
}

/**
 * The records of a successful read. A list or bulk read of a secret namespace that answered values is a READ of each secret
 * it answered with (its key path and entry id), so that the trail says which secrets a caller saw, as a get of each would;
 * any other read (a keys-only listing or a secret's history, which answer no value, among them) is one record for the call.
 */
export function readRecordsOf(call: AuditedCall, reply: unknown, answersValues: boolean): AuditRecordMessage[] {
  const items = (reply as { items?: unknown } | null)?.items;
  if (!answersValues || call.namespace?.isSecretNamespace !== true || !Array.isArray(items) || items.length === 0) {
    return [auditRecordOf(call, { success: true, reply })];
  }
  return items.map((item: unknown) => {
    const keyPath = stringField(item, 'keyPath') ?? null;
    return auditRecordOf({ ...call, action: AuditAction.READ, keyPath }, { success: true, reply: item });
  });
}
