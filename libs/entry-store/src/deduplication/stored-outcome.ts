import { KvException, type RpcErrorPayload, type Replayed } from '@app/contracts';

/**
 * What a change answered, as `request_outcome` keeps it: the reply itself, the rows a one-statement write
 * returned (mapped again as the first time), a reply sealed by the service (one that holds secret values),
 * or the domain error it failed with (kept for idempotency keys only).
 */
export type StoredOutcome = { reply: unknown } | { rows: unknown[] } | { sealed: string } | { error: RpcErrorPayload };

/** How a change's result is stored and read back: as it is, unless it holds what must not be stored in clear. */
export interface OutcomeCodec<T> {
  encode(result: T): StoredOutcome;
  decode(stored: StoredOutcome): T;
}

export const PLAIN_OUTCOME: OutcomeCodec<unknown> = {
  encode: (result) => ({ reply: result }),
  decode: (stored) => {
    if ('reply' in stored) return stored.reply;
    throw new Error('a stored outcome of another form');
  },
};

/** The domain error a stored outcome holds, marked as a replay; `null` for a success. */
export function replayedError(stored: StoredOutcome): KvException | null {
  return 'error' in stored ? new KvException(stored.error.code, stored.error.message, true) : null;
}

/** A reply answered again from its stored outcome. */
export function markReplayed<T>(reply: T): Replayed<T> {
  return typeof reply === 'object' && reply !== null ? { ...reply, replayed: true } : (reply as Replayed<T>);
}

/** A domain error raised again while answering from a stored outcome. */
export function markReplayedError(error: KvException): KvException {
  return error.replayed ? error : new KvException(error.code, error.message, true);
}
