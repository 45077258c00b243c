import { KvEventType, type KvEvent, type LoggedChange } from '@app/contracts';

/** The `event:` name of each change a watch tells of; a namespace's creation precedes any watch of it, so it has none. */
export const WATCH_EVENT_NAMES: Readonly<Partial<Record<KvEventType, string>>> = {
  [KvEventType.ENTRY_CREATED]: 'created',
  [KvEventType.ENTRY_UPDATED]: 'updated',
  [KvEventType.ENTRY_DELETED]: 'deleted',
  [KvEventType.ENTRY_EXPIRED]: 'expired',
  [KvEventType.SECRET_ROTATED]: 'rotated',
  [KvEventType.SECRET_ROLLED_BACK]: 'rolled_back',
  [KvEventType.NAMESPACE_UPDATED]: 'namespace_updated',
  [KvEventType.NAMESPACE_DELETED]: 'namespace_deleted',
};

/** Why a watch ended, in its last frame (`event: end`) and in its WATCH_END audit record. */
export const WatchEndReason = {
  TOKEN_EXPIRED: 'TOKEN_EXPIRED',
  NAMESPACE_DELETED: 'NAMESPACE_DELETED',
  /** The client did not take what was sent within KV_WATCH_SLOW_CONSUMER_TIMEOUT_MS: resume from the last id. */
  SLOW_CONSUMER: 'SLOW_CONSUMER',
  /** The gateway is stopping: resume from the last id, through another replica. */
  SHUTDOWN: 'SHUTDOWN',
  /** The change log no longer holds where the watch stood (it fell behind its retention): read again. */
  REVISION_COMPACTED: 'REVISION_COMPACTED',
  /** The gateway could not go on with this watch (a fault of its own, logged): resume from the last id. */
  INTERNAL_ERROR: 'INTERNAL_ERROR',
  /** The client went away (audit only: nobody is left to tell). */
  CLIENT_CLOSED: 'CLIENT_CLOSED',
} as const;
export type WatchEndReason = (typeof WatchEndReason)[keyof typeof WatchEndReason];

/** What a watch of `namespaceId` under `prefix` tells of: its namespace's changes, and its entries' under the prefix. */
export function isWatched(event: KvEvent, namespaceId: string, prefix: string): boolean {
  if (event.namespaceId !== namespaceId || WATCH_EVENT_NAMES[event.type] === undefined) return false;
  return event.keyPath === null || event.keyPath.startsWith(prefix);
}

/** A change's frame: its cursor to resume from, its name, and the event's fields with the cursor as `revision`. Never a value. */
export function changeFrame(change: LoggedChange, cursor: string): string {
  return `id: ${cursor}\nevent: ${WATCH_EVENT_NAMES[change.event.type]}\ndata: ${JSON.stringify({ ...change.event, revision: cursor })}\n\n`;
}

/** The last frame of a stream the gateway ends; its id is where to resume, as the last change's was. */
export function endFrame(reason: WatchEndReason, cursor: string): string {
  return `id: ${cursor}\nevent: end\ndata: ${JSON.stringify({ reason, revision: cursor })}\n\n`;
}

/** A comment line: keeps proxies from timing the stream out, and is ignored by every SSE client. */
export const HEARTBEAT_FRAME = ': heartbeat\n\n';
