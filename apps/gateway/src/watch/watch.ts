import { Logger } from '@nestjs/common';
import { ChangeSource, ErrorCode, KvEventType, KvException, type ChangeLogPage, type LoggedChange } from '@app/contracts';
import type { ChangeFeed } from './change-feed';
import type { SseStream } from './sse-stream';
import { WatchPosition, formatWatchCursor } from './watch-cursor';
import { WatchEndReason, changeFrame, isWatched } from './watch-events';

/** How long a watch waits before it reads the log again after a failed read (a service or the broker away). */
export const WATCH_RETRY_MS = 1000;

/** What a watch follows: each source its namespace's changes are logged by, with the page it starts with. */
export interface WatchedSource {
  source: ChangeSource;
  feed: ChangeFeed;
  first: ChangeLogPage;
  /** This namespace's changes after a revision, read from the log. */
  readPage: (after: number) => Promise<ChangeLogPage>;
}

/**
 * One open watch of a namespace under a prefix: from where it stands, it takes each source's changes from the shared feed
 * while it keeps up, or from the log itself when it fell behind what the feed holds, and sends each on its stream
 * in revision order, with the cursor after it. Sends one frame at a time and waits for the socket to take it.
 */
export class Watch {
  private readonly logger = new Logger(Watch.name);
  private failing = false;

  constructor(
    readonly stream: SseStream,
    private readonly namespaceId: string,
    private readonly prefix: string,
    private readonly position: WatchPosition,
  ) {}

  cursor(): string {
    return formatWatchCursor(this.position);
  }

  /** Follows every source until the stream ends; the reason it ended. A loop that fails ends the stream for the others. */
  async run(sources: readonly WatchedSource[]): Promise<WatchEndReason> {
    await Promise.all(
      sources.map((source) =>
        this.follow(source).catch((error: Error) => {
          this.logger.error(`watch of namespace ${this.namespaceId} failed (${error.message}); ended`);
          this.stream.end(WatchEndReason.INTERNAL_ERROR);
        }),
      ),
    );
    return this.stream.endReason ?? WatchEndReason.CLIENT_CLOSED;
  }

  private async follow({ source, feed, first, readPage }: WatchedSource): Promise<void> {
    const unfollow = feed.follow();
    try {
      await this.send(source, first.changes, first.through);
      while (this.stream.isOpen) {
        const at = this.at(source);
        const view = feed.view(at);
        if (view.kind === 'behind') {
          const page = await this.readOrWait(readPage, at);
          if (page !== null) await this.send(source, page.changes, page.through);
        } else if (view.kind === 'changes' && view.through > at) {
          await this.send(source, view.changes, view.through);
        } else {
          await this.stream.until((wake) => feed.onAdvance(wake));
        }
      }
    } finally {
      unfollow();
    }
  }

  /** A page of the log, or null after a failed read and a pause; a pruned position ends the watch. */
  private async readOrWait(readPage: (after: number) => Promise<ChangeLogPage>, after: number): Promise<ChangeLogPage | null> {
    try {
      const page = await readPage(after);
      this.failing = false;
      return page;
    } catch (error) {
      if (error instanceof KvException && error.code === ErrorCode.REVISION_COMPACTED) {
        this.stream.end(WatchEndReason.REVISION_COMPACTED);
        return null;
      }
      // Once a failure streak: a service away for a minute must not log a line a second for every watch.
      if (!this.failing)
        this.logger.warn(`watch of namespace ${this.namespaceId} cannot read the change log (${(error as Error).message}); retrying`);
      this.failing = true;
      await this.stream.pause(WATCH_RETRY_MS);
      return null;
    }
  }

  /** Sends the watched changes among `changes`, then stands at `through`; a deleted namespace ends the watch with its event. */
  private async send(source: ChangeSource, changes: readonly LoggedChange[], through: number): Promise<void> {
    for (const change of changes) {
      if (!this.stream.isOpen) return;
      if (change.revision <= this.at(source) || !isWatched(change.event, this.namespaceId, this.prefix)) continue;
      this.moveTo(source, change.revision);
      await this.stream.send(changeFrame(change, this.cursor()));
      if (change.event.type === KvEventType.NAMESPACE_DELETED) {
        this.stream.end(WatchEndReason.NAMESPACE_DELETED);
        return;
      }
    }
    if (this.stream.isOpen && through > this.at(source)) this.moveTo(source, through);
  }

  private at(source: ChangeSource): number {
    return (source === ChangeSource.KV_ENTRY ? this.position.entries : this.position.secrets) ?? 0;
  }

  private moveTo(source: ChangeSource, revision: number): void {
    if (source === ChangeSource.KV_ENTRY) this.position.entries = revision;
    else this.position.secrets = revision;
  }
}
