import { Logger } from '@nestjs/common';
import { ErrorCode, KvException, type ChangeLogPage, type LoggedChange } from '@app/contracts';

/** A page of a service's change log after a revision (null: none, only its head); every namespace's. */
export type ChangeLogReader = (after: number | null) => Promise<ChangeLogPage>;

export interface ChangeFeedOptions {
  /** The most recent changes kept in memory for the watches that keep up; one further behind reads the log itself. */
  retained: number;
  /** How often the log is read while anyone watches, should a doorbell (kv.changes) be lost. */
  pollIntervalMs: number;
}

/** What a watch standing at a revision is to do next. */
export type FeedView =
  /** The feed has not read this far yet: wait for it. */
  | { kind: 'ahead' }
  /** The feed no longer holds what follows: read the log. */
  | { kind: 'behind' }
  /** Every change after the revision up to `through` (none: caught up). */
  | { kind: 'changes'; changes: readonly LoggedChange[]; through: number };

/**
 * One service's change log as this gateway follows it, for all its watches: one read of the log per change however many
 * watch, then each takes what concerns it from memory. Read when the relay's doorbell rings, on an interval while anyone
 * watches, and at once after the doorbell's subscription was lost (`resync`). The log is the truth: a lost doorbell
 * or a failed read only delays what a watch gets, and a revision missing from a read of every namespace (the log
 * has no gaps but those pruning leaves) makes the feed start again from the head rather than pass over it.
 */
export class ChangeFeed {
  private readonly logger: Logger;
  private head: number | null = null;
  /** `recent` holds every change after `start` up to `head`, oldest first. */
  private start = 0;
  private recent: LoggedChange[] = [];
  /** Called once at the feed's next move; each waiter removes itself if it stops waiting first. */
  private readonly advanceListeners = new Set<() => void>();
  private reading: Promise<void> | undefined;
  private readAgain = false;
  private watchers = 0;
  private pollTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    readonly name: string,
    private readonly readLog: ChangeLogReader,
    private readonly options: ChangeFeedOptions,
  ) {
    this.logger = new Logger(`ChangeFeed(${name})`);
  }

  /** A watch follows the feed until it calls `unfollow`, once; the feed reads the log while anyone does. */
  follow(): void {
    this.watchers += 1;
    if (this.watchers === 1 && !this.stopped) {
      this.pollTimer = setInterval(() => this.read(), this.options.pollIntervalMs);
      this.pollTimer.unref();
      this.read();
    }
  }

  unfollow(): void {
    this.watchers -= 1;
    if (this.watchers === 0) this.stop();
  }

  view(after: number): FeedView {
    if (this.head === null || after > this.head) return { kind: 'ahead' };
    if (after < this.start) return { kind: 'behind' };
    return { kind: 'changes', changes: this.recent.slice(firstAfter(this.recent, after)), through: this.head };
  }

  /**
   * Calls `listener` once when the feed next moves on (or starts again); adding the same one again while it waits adds
   * nothing. A wait that can be taken back (`offAdvance`), unlike a promise's reaction: a watch that ends while the feed
   * stands still leaves nothing here.
   */
  onAdvance(listener: () => void): void {
    this.advanceListeners.add(listener);
  }

  offAdvance(listener: () => void): void {
    this.advanceListeners.delete(listener);
  }

  /** How many wait for the feed to move on. */
  get waiting(): number {
    return this.advanceListeners.size;
  }

  /** The doorbell: the log goes up to `revision` now. */
  ring(revision: number): void {
    if (this.watchers > 0 && (this.head === null || revision > this.head)) this.read();
  }

  /** Doorbells may have been missed: read the log now. */
  resync(): void {
    if (this.watchers > 0) this.read();
  }

  /** Reads the log up to its head; reads never overlap, and one asked for meanwhile runs once this one is done. */
  read(): void {
    if (this.stopped) return;
    if (this.reading !== undefined) {
      this.readAgain = true;
      return;
    }
    this.reading = this.readToHead()
      .catch((error: Error) => this.logger.warn(`change log not read (${error.message}); retrying`))
      .finally(() => {
        this.reading = undefined;
        if (this.readAgain && this.watchers > 0) {
          this.readAgain = false;
          this.read();
        }
      });
  }

  private async readToHead(): Promise<void> {
    if (this.head === null) {
      const page = await this.readLog(null);
      if (this.watchers > 0) this.restartAt(page.head);
      return;
    }
    for (;;) {
      let page: ChangeLogPage;
      try {
        page = await this.readLog(this.head);
        // Nobody follows any more (see stop): what was read is nobody's.
        if (this.watchers === 0 || this.head === null) return;
      } catch (error) {
        if (!(error instanceof KvException && error.code === ErrorCode.REVISION_COMPACTED)) throw error;
        this.logger.warn(`the change log was pruned past this feed's revision ${this.head}; starting again from its head`);
        this.head = null;
        return this.readToHead();
      }
      const first = page.changes[0];
      if (first !== undefined && first.revision !== this.head + 1) {
        this.logger.warn(
          `revisions ${this.head + 1} to ${first.revision - 1} are missing from the change log; starting again from its head`,
        );
        this.restartAt(page.head);
        return;
      }
      // Each page is announced as it comes: watches waiting take it before the next trims the window past them.
      if (page.changes.length > 0 || page.through > this.head) {
        this.append(page.changes, page.through);
        this.announce();
      }
      if (page.through >= page.head) break;
    }
  }

  private append(changes: readonly LoggedChange[], through: number): void {
    this.recent.push(...changes);
    this.head = through;
    const excess = this.recent.length - this.options.retained;
    if (excess > 0) {
      this.start = this.recent[excess - 1]!.revision;
      this.recent = this.recent.slice(excess);
    }
  }

  /** Nothing before `head` is in memory: a watch standing earlier reads the log itself. */
  private restartAt(head: number): void {
    this.head = head;
    this.start = head;
    this.recent = [];
    this.announce();
  }

  private announce(): void {
    const listeners = [...this.advanceListeners];
    this.advanceListeners.clear();
    for (const listener of listeners) listener();
  }

  /** Stops reading for good (the gateway is stopping): later follows and doorbells read nothing. */
  stopReading(): void {
    this.stopped = true;
    this.stop();
  }

  private stop(): void {
    clearInterval(this.pollTimer);
    this.pollTimer = undefined;
    // Without watchers the feed stops reading; whoever follows next starts from the head again.
    this.head = null;
    this.recent = [];
  }
}

/** The index of the first change after `revision` (binary search: the ring is in revision order). */
function firstAfter(ring: readonly LoggedChange[], revision: number): number {
  let low = 0;
  let high = ring.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (ring[middle]!.revision <= revision) low = middle + 1;
    else high = middle;
  }
  return low;
}
