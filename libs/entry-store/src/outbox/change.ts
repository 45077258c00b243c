import type { KvEvent } from '@app/contracts';
import { CallFacts, CallIdentity, callIdentityOf } from '../deduplication/call-identity';

/** Who caused a change and through which request: what an event and its audit record say about it. */
export interface ChangeOrigin {
  actorId: string;
  requestId: string | null;
  clientAddress: string | null;
  /** The call that asks for it, if it names one: a change is applied once per call. */
  call?: CallIdentity | null;
}

/** Who asks for a change: a service message (its MessageMeta), or an actor without a gateway request (a test, a script). */
export interface ChangeCaller extends CallFacts {
  actor: { id: string };
  requestId?: string | null;
  clientAddress?: string | null;
}

export function changeOriginOf(caller: ChangeCaller): ChangeOrigin {
  return {
    actorId: caller.actor.id,
    requestId: caller.requestId ?? null,
    clientAddress: caller.clientAddress ?? null,
    call: callIdentityOf(caller),
  };
}

/** The origin of a change made without a gateway request (a test, a script): the actor alone. */
export function directOrigin(actor: { id: string }): ChangeOrigin {
  return { actorId: actor.id, requestId: null, clientAddress: null, call: null };
}

/** What a change answers, and the events it leaves in the outbox. */
export interface Change<T> {
  result: T;
  events: KvEvent[];
  /**
   * The `kv.entry.expired` of expired entries the change removed before the sweep did (see `expiredEvent`):
   * the system's, so without the caller's address, and appended before the change's own events.
   */
  expired?: KvEvent[];
}
