import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { KvApiError, KvRevisionCompactedError, KvTokenExpiredError } from './errors';
import { namespaceParam } from './key-path';
import type { Transport } from './transport';

/** The `event:` of each change a watch tells of (a namespace's creation precedes any watch of it). */
export type ChangeType =
  'created' | 'updated' | 'deleted' | 'expired' | 'rotated' | 'rolled_back' | 'namespace_updated' | 'namespace_deleted';

/** One change, as the gateway's watch tells of it: the `kv.events` envelope, never a value. */
export interface ChangeEvent {
  type: ChangeType;
  /**
   * Where to resume after this change (`since`). Opaque: a number for a plain namespace, two joined by a dot for a
   * secret one (its entries and its namespace changes are logged by two services).
   */
  revision: string;
  /** The event's own id, as on `kv.events`. */
  id: string;
  occurredAt: string;
  applicationId: string;
  namespaceId: string;
  /** Entry changes only, else null. */
  entryId: string | null;
  keyPath: string | null;
  /** The entry's version after the change (entry changes), else null. */
  version: number | null;
  /** Principal id of the caller, or `system` for expiry. */
  actor: string;
  requestId: string | null;
}

export interface WatchOptions {
  /** Only entries whose key starts with this; the namespace's own changes always come. */
  prefix?: string;
  /**
   * Every change after this point: a read's `revision` (`X-KV-Revision`) or a change's `revision`. Without one, from
   * the moment the watch opens.
   */
  since?: string;
  /** Ends the watch (the iterator finishes); so does leaving a `for await` loop. */
  signal?: AbortSignal;
  /**
   * Without an answer, or a byte of the stream (a heartbeat comes every 15 s), for this long, the connection is taken as
   * dead and opened again. Default 45 s.
   */
  idleTimeoutMs?: number;
  /** Told each time a stream opens, with the revision it starts from (its `X-KV-Revision`). */
  onOpen?: (revision: string | null) => void;
  /** Told of each failed connection before the watch tries again, e.g. to log it. */
  onReconnect?: (event: { attempt: number; error: unknown; since: string | undefined }) => void;
}

const DEFAULT_IDLE_TIMEOUT_MS = 45_000;

/** What the gateway's last frame (`event: end`) says: how the watch goes on. */
type Ending = { then: 'finish' } | { then: 'reopen'; failure: string | null };

/**
 * Every change of a namespace from `since` on, over the gateway's Server-Sent Events. A dropped connection, a
 * gateway that stops or a consumer too slow for it is reopened from the last change's revision, with backoff after
 * a failure: nothing is missed, and a change may come twice (recognise it by type, `keyPath` and `version`).
 * Finishes after `namespace_deleted` (or, without it, when a reopening finds the namespace deleted); throws KvRevisionCompactedError when the point is no longer retained (read
 * again, then watch from that read), KvTokenExpiredError at the token's expiry, and any error answer but 429 and 5xx.
 */
export async function* watchChanges(transport: Transport, namespaceId: string, options: WatchOptions = {}): AsyncGenerator<ChangeEvent> {
  const stopped = new AbortController();
  const stop = () => stopped.abort();
  if (options.signal?.aborted) return;
  options.signal?.addEventListener('abort', stop, { once: true });
  let since = options.since;
  let failures = 0;
  let opened = false;
  try {
    while (!stopped.signal.aborted) {
      const connection = new AbortController();
      const endConnection = () => connection.abort();
      stopped.signal.addEventListener('abort', endConnection, { once: true });
      try {
        const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
        // A gateway (or proxy) that never answers is as dead as one that stops talking.
        const unanswered = setTimeout(() => connection.abort(), idleTimeoutMs);
        let response: Response;
        try {
          response = await transport.stream(
            {
              method: 'GET',
              path: '/api/v1/kv/{nsId}/watch',
              params: namespaceParam(namespaceId),
              query: { prefix: options.prefix, since },
            },
            connection.signal,
          );
        } finally {
          clearTimeout(unanswered);
        }
        // Where the stream starts, so that a reconnection before any change resumes from there.
        const start = response.headers.get('x-kv-revision');
        since = start ?? since;
        opened = true;
        options.onOpen?.(start);
        let ending: Ending = { then: 'reopen', failure: 'the stream ended without its last frame' };
        for await (const message of messagesOf(response, connection, idleTimeoutMs)) {
          if (message.id) since = message.id;
          if (message.event === 'end') {
            ending = endingOf(message);
            break;
          }
          // A stream that delivers is a working one: a later failure backs off from the start again.
          failures = 0;
          yield changeOf(message);
        }
        if (ending.then === 'finish') return;
        if (ending.failure !== null) throw new Error(ending.failure);
        failures = 0;
      } catch (error) {
        if (stopped.signal.aborted) return;
        // Deleted while the watch was reopening: its namespace_deleted was not seen, but the watch is as over.
        if (opened && isNamespaceGone(error)) return;
        if (!isTransient(error)) throw error;
        failures += 1;
        options.onReconnect?.({ attempt: failures, error, since });
        await transport.backoff(failures, stopped.signal);
      } finally {
        stopped.signal.removeEventListener('abort', endConnection);
        connection.abort();
      }
    }
  } finally {
    options.signal?.removeEventListener('abort', stop);
  }
}

function endingOf(message: EventSourceMessage): Ending {
  const { reason } = parseData(message) as { reason?: unknown };
  switch (reason) {
    case 'NAMESPACE_DELETED':
      return { then: 'finish' };
    case 'TOKEN_EXPIRED':
      throw new KvTokenExpiredError();
    case 'REVISION_COMPACTED':
      throw new KvRevisionCompactedError();
    case 'SHUTDOWN':
    case 'SLOW_CONSUMER':
      return { then: 'reopen', failure: null };
    default:
      return { then: 'reopen', failure: `the gateway ended the stream (${JSON.stringify(reason)})` };
  }
}

function changeOf(message: EventSourceMessage): ChangeEvent {
  return { ...(parseData(message) as Omit<ChangeEvent, 'type'>), type: message.event as ChangeType };
}

function parseData(message: EventSourceMessage): unknown {
  try {
    return JSON.parse(message.data);
  } catch {
    throw new WatchProtocolError(`the watch sent a frame whose data is not JSON (event ${JSON.stringify(message.event)})`);
  }
}

/** A stream that is not the gateway's watch: opening it again would give the same. */
class WatchProtocolError extends Error {
  override readonly name = 'WatchProtocolError';
}

function isNamespaceGone(error: unknown): boolean {
  return error instanceof KvApiError && error.statusCode === 404 && error.code === 'NAMESPACE_NOT_FOUND';
}

/**
 * No answer, a broken or silent connection (fetch's TypeError, an AbortError), 429 or a 5xx: worth opening again. Any
 * other answer, or a stream that is not a watch, would come again.
 */
function isTransient(error: unknown): boolean {
  if (error instanceof KvApiError) return error.statusCode === 429 || error.statusCode >= 500;
  return !(error instanceof WatchProtocolError);
}

/** The stream's events as they come; a silence past `idleTimeoutMs` aborts the connection. */
async function* messagesOf(response: Response, connection: AbortController, idleTimeoutMs: number): AsyncGenerator<EventSourceMessage> {
  if (response.body === null) return;
  const pending: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (message) => pending.push(message) });
  let idle = setTimeout(() => connection.abort(), idleTimeoutMs);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      clearTimeout(idle);
      idle = setTimeout(() => connection.abort(), idleTimeoutMs);
      parser.feed(value);
      while (pending.length > 0) yield pending.shift()!;
    }
  } finally {
    clearTimeout(idle);
    reader.releaseLock();
  }
}
