import { Logger } from '@nestjs/common';
import { ChangeSource, ErrorCode, KvEventType, KvException, type LoggedChange, type MessageMeta } from '@app/contracts';
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { ChangeFeed } from './change-feed';
import type { ChangeFeeds } from './change-feeds.service';
import { SseStream, SseStreamOptions, SseStreamOwner } from './sse-stream';
import { WatchPosition, formatWatchCursor } from './watch-cursor';
import { WatchEndReason, changeFrame, isWatched } from './watch-events';
import type { OpenWatch } from './watch-registry';
import type { TickedWatch } from './watch-ticker';

/** How long a watch waits before it reads the log again after a failed read (a service or the broker away). */
export const WATCH_RETRY_MS = 1000;

/** A source a watch follows, with the first page of its changes (read at open, so that a bad position is an error). */
export interface WatchedSource {
  source: ChangeSource;
  feed: ChangeFeed;
  first: { changes: readonly LoggedChange[]; through: number };
}

/** What a watch does with one source: what is left to send of the changes at hand, and whether it waits for the log. */
interface Followed {
  readonly source: ChangeSource;
  readonly feed: ChangeFeed;
  /** Changes from the feed or the log, sent from `next` on, after which the source stands at `through`. */
  changes: readonly LoggedChange[] | null;
  next: number;
  through: number;
  /** Reading the log, or pausing after a failed read: the source waits for that, not for the feed. */
  busy: boolean;
  retry: NodeJS.Timeout | undefined;
}

/**
 * One open watch of a namespace under a prefix, and its stream: from where it stands, it takes each source's changes
 * from the shared feed while it keeps up, or from the log itself when it fell behind what the feed holds, and sends each
 * in revision order, with the cursor after it. Driven by callbacks (the feed moved, a read came, the socket drained),
 * each of which sends what it can and returns: an open watch is this object, its stream, and one listener on each feed.
 */
export class Watch implements SseStreamOwner, OpenWatch, TickedWatch {
  private static readonly logger = new Logger(Watch.name);
  private readonly stream: SseStream;
  private readonly followed: Followed[];
  private failing = false;
  /** The one listener a watch leaves with its feeds and its socket: each time, it sends whatever can be sent now. */
  private readonly wake = (): void => this.pump();

  constructor(
    response: ServerResponse,
    options: SseStreamOptions,
    private readonly feeds: ChangeFeeds,
    private readonly meta: MessageMeta,
    private readonly namespaceId: string,
    private readonly prefix: string,
    private readonly position: WatchPosition,
    sources: readonly WatchedSource[],
    readonly expiresAt: number,
    private readonly onEnd: (reason: WatchEndReason) => void,
  ) {
    this.stream = new SseStream(response, options, this);
    this.followed = sources.map(({ source, feed, first }) => ({
      source,
      feed,
      changes: first.changes,
      next: 0,
      through: first.through,
      busy: false,
      retry: undefined,
    }));
  }

  get isOpen(): boolean {
    return this.stream.isOpen;
  }

  cursor(): string {
    return formatWatchCursor(this.position);
  }

  /** Follows the feeds and sends the stream's headers, from where the watch stands. */
  open(headers: OutgoingHttpHeaders): void {
    for (const followed of this.followed) followed.feed.follow();
    try {
      this.stream.open(headers, this.cursor());
    } catch (error) {
      for (const followed of this.followed) followed.feed.unfollow();
      throw error;
    }
  }

  /** Sends what each source has, then goes on as each moves, until the stream ends. */
  run(): void {
    this.pump();
  }

  heartbeat(): void {
    this.stream.heartbeat();
  }

  expire(): void {
    this.stream.end(WatchEndReason.TOKEN_EXPIRED);
  }

  shutDown(): void {
    this.stream.end(WatchEndReason.SHUTDOWN);
  }

  /** The stream ended: the watch lets go of its feeds, and its owner of it. */
  ended(reason: WatchEndReason): void {
    for (const followed of this.followed) {
      followed.feed.offAdvance(this.wake);
      followed.feed.unfollow();
      clearTimeout(followed.retry);
    }
    this.onEnd(reason);
  }

  /** Sends what every source has now. A fault of the gateway's own (a bug) ends the stream rather than the process. */
  private pump(): void {
    try {
      for (const followed of this.followed) this.advance(followed);
    } catch (error) {
      Watch.logger.error(`watch of namespace ${this.namespaceId} failed (${(error as Error).message}); ended`);
      this.stream.end(WatchEndReason.INTERNAL_ERROR);
    }
  }

  /** Takes a source as far as it goes now; then it waits for the feed to move, for the log, or for the socket. */
  private advance(followed: Followed): void {
    while (this.stream.isWritable && !followed.busy) {
      if (followed.changes === null) {
        const at = this.at(followed.source);
        const view = followed.feed.view(at);
        if (view.kind === 'behind') {
          this.read(followed, at);
          return;
        }
        if (view.kind === 'ahead' || view.through <= at) {
          followed.feed.onAdvance(this.wake);
          return;
        }
        this.take(followed, view.changes, view.through);
      }
      this.send(followed);
    }
  }

  private take(followed: Followed, changes: readonly LoggedChange[], through: number): void {
    followed.changes = changes;
    followed.next = 0;
    followed.through = through;
  }

  /** A page of the log after `after`; a pruned position ends the watch, another failure pauses the source and reads again. */
  private read(followed: Followed, after: number): void {
    followed.busy = true;
    this.feeds.namespacePage(followed.source, this.meta, { namespaceId: this.namespaceId, prefix: this.prefix, after }).then(
      (page) => {
        this.failing = false;
        followed.busy = false;
        this.take(followed, page.changes, page.through);
        this.pump();
      },
      (error: Error) => {
        if (error instanceof KvException && error.code === ErrorCode.REVISION_COMPACTED) {
          this.stream.end(WatchEndReason.REVISION_COMPACTED);
          return;
        }
        // Once a failure streak: a service away for a minute must not log a line a second for every watch.
        if (!this.failing)
          Watch.logger.warn(`watch of namespace ${this.namespaceId} cannot read the change log (${error.message}); retrying`);
        this.failing = true;
        if (!this.stream.isOpen) return;
        followed.retry = setTimeout(() => {
          followed.retry = undefined;
          followed.busy = false;
          this.pump();
        }, WATCH_RETRY_MS).unref();
      },
    );
  }

  /**
   * Sends the watched changes left at hand, then stands at their `through`; stops at a frame the socket did not take
   * (the drain wakes the watch). A deleted namespace ends the watch with its event.
   */
  private send(followed: Followed): void {
    const changes = followed.changes!;
    while (followed.next < changes.length) {
      const change = changes[followed.next]!;
      followed.next += 1;
      if (change.revision <= this.at(followed.source) || !isWatched(change.event, this.namespaceId, this.prefix)) continue;
      this.moveTo(followed.source, change.revision);
      const taken = this.stream.send(changeFrame(change, this.cursor()), this.wake);
      if (change.event.type === KvEventType.NAMESPACE_DELETED) {
        this.stream.end(WatchEndReason.NAMESPACE_DELETED);
        return;
      }
      if (!taken) return;
    }
    followed.changes = null;
    if (followed.through > this.at(followed.source)) this.moveTo(followed.source, followed.through);
  }

  private at(source: ChangeSource): number {
    return (source === ChangeSource.KV_ENTRY ? this.position.entries : this.position.secrets) ?? 0;
  }

  private moveTo(source: ChangeSource, revision: number): void {
    if (source === ChangeSource.KV_ENTRY) this.position.entries = revision;
    else this.position.secrets = revision;
  }
}
