import { ErrorCode, KvException, type IdempotencyDto } from '@app/contracts';

/** What tells one call to a service from any other: the gateway's id for the message, or the HTTP caller's key. */
export interface CallIdentity {
  callId: string;
  /** When the caller stops waiting (epoch ms), if it said. */
  deadline: number | null;
  idempotency: IdempotencyDto | null;
}

/** What a request message says of its call; a caller without a call id (a script, a test) is not deduplicated. */
export interface CallFacts {
  callId?: string | null;
  deadline?: number | null;
  idempotency?: IdempotencyDto | null;
}

export function callIdentityOf(facts: CallFacts): CallIdentity | null {
  if (!facts.callId) return null;
  return { callId: facts.callId, deadline: facts.deadline ?? null, idempotency: facts.idempotency ?? null };
}

/** The id a call's outcome is stored under: a retry with the same key finds it just as a redelivery does. */
export function outcomeIdOf(call: CallIdentity): string {
  return call.idempotency ? `key:${call.idempotency.key}` : `call:${call.callId}`;
}

function callerGone(): KvException {
  return new KvException(ErrorCode.SERVICE_TIMEOUT, 'the caller stopped waiting before the change was applied; nothing was applied');
}

/** A change of a call must not start once its caller was answered 503: SERVICE_TIMEOUT, and nothing applied. */
export function assertBeforeDeadline(deadline: number | null): void {
  if (deadline !== null && Date.now() > deadline) throw callerGone();
}
