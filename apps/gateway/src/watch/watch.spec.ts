import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { ChangeSource, ErrorCode, KvEventType, KvException, type ChangeLogPage, type LoggedChange, type MessageMeta } from '@app/contracts';
import { SAMPLE_NS, anEvent } from '../../../../test/support/samples';
import type { ChangeFeed, FeedView } from './change-feed';
import type { ChangeFeeds } from './change-feeds.service';
import { WATCH_RETRY_MS, Watch } from './watch';
import { WatchEndReason } from './watch-events';

const OTHER_NS = '3f0c2a5e-0000-4000-8000-00000000000b';

const change = (revision: number, keyPath = `app/k${revision}`, overrides = {}): LoggedChange => ({
  revision,
  event: anEvent({ keyPath, ...overrides }),
});

/** Node's response as the stream uses it: the frames written, and a socket that takes them or not (`full`). */
class ResponseStandIn extends EventEmitter {
  written: string[] = [];
  ended: string | undefined;
  full = false;
  destroyed = false;
  writableFinished = true;
  writeHead(): void {}
  write(frame: string): boolean {
    this.written.push(frame);
    return !this.full;
  }
  end(frame: string): void {
    this.ended = frame;
  }
  destroy(): void {}

  /** The keys of the changes sent, in order. */
  get keys(): string[] {
    return this.written.flatMap((frame) => /"keyPath":"([^"]*)"/.exec(frame)?.[1] ?? []);
  }
}

/** A feed that holds every change from `start` on, moved by the test. */
class FeedStandIn {
  followers = 0;
  readonly listeners = new Set<() => void>();
  start = 0;
  head = 0;
  recent: LoggedChange[] = [];

  follow(): void {
    this.followers += 1;
  }
  unfollow(): void {
    this.followers -= 1;
  }
  onAdvance(listener: () => void): void {
    this.listeners.add(listener);
  }
  offAdvance(listener: () => void): void {
    this.listeners.delete(listener);
  }
  view(after: number): FeedView {
    if (after > this.head) return { kind: 'ahead' };
    if (after < this.start) return { kind: 'behind' };
    return { kind: 'changes', changes: this.recent.filter((c) => c.revision > after), through: this.head };
  }
  push(...changes: LoggedChange[]): void {
    this.recent.push(...changes);
    this.head = changes.at(-1)!.revision;
    const listeners = [...this.listeners];
    this.listeners.clear();
    for (const listener of listeners) listener();
  }
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('Watch', () => {
  let response: ResponseStandIn;
  let feed: FeedStandIn;
  let reads: Array<{ source: ChangeSource; after: number }>;
  let readLog: (after: number) => Promise<ChangeLogPage>;
  let ends: WatchEndReason[];

  const watchFrom = (first: LoggedChange[], through: number): Watch => {
    const feeds = {
      namespacePage: (source: ChangeSource, _meta: MessageMeta, changes: { after: number }) => {
        reads.push({ source, after: changes.after });
        return readLog(changes.after);
      },
    } as unknown as ChangeFeeds;
    const watch = new Watch(
      response as unknown as ServerResponse,
      { slowConsumerTimeoutMs: 30_000 },
      feeds,
      {} as MessageMeta,
      SAMPLE_NS,
      'app/',
      { entries: 0, secrets: null },
      [{ source: ChangeSource.KV_ENTRY, feed: feed as unknown as ChangeFeed, first: { changes: first, through } }],
      Infinity,
      (reason) => ends.push(reason),
    );
    watch.open({});
    watch.run();
    return watch;
  };

  beforeEach(() => {
    response = new ResponseStandIn();
    feed = new FeedStandIn();
    reads = [];
    readLog = () => Promise.reject(new Error('no read expected'));
    ends = [];
  });

  it('sends the watched changes of its first page, then each the feed brings, in order, with the cursor after each; ended, it leaves nothing with the feed', () => {
    feed.head = 3;
    const watch = watchFrom([change(1), change(2, 'other/k2'), change(3, 'app/k3', { namespaceId: OTHER_NS })], 3);
    expect(response.keys).toEqual(['app/k1']);
    expect(watch.cursor()).toBe('3');
    feed.push(change(4), change(5));
    expect(response.keys).toEqual(['app/k1', 'app/k4', 'app/k5']);
    expect(response.written.at(-1)).toMatch(/^id: 5\n/);
    expect([feed.followers, feed.listeners.size]).toEqual([1, 1]);
    watch.shutDown();
    expect(ends).toEqual([WatchEndReason.SHUTDOWN]);
    expect(response.ended).toMatch(/"reason":"SHUTDOWN","revision":"5"/);
    expect([feed.followers, feed.listeners.size]).toEqual([0, 0]);
  });

  it('sends nothing while the socket is full, even as the feed moves, and goes on from where it stopped once drained', () => {
    response.full = true;
    watchFrom([change(1), change(2)], 2);
    expect(response.keys).toEqual(['app/k1']);
    feed.push(change(3));
    expect(response.keys).toEqual(['app/k1']);
    response.full = false;
    response.emit('drain');
    expect(response.keys).toEqual(['app/k1', 'app/k2', 'app/k3']);
  });

  it('reads the log when it fell behind the feed; after a failed read it pauses, then reads again from where it stood', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate'] });
    try {
      feed.start = 10;
      feed.head = 10;
      readLog = () => Promise.reject(new Error('broker away'));
      watchFrom([change(1)], 2);
      await settle();
      expect(reads).toEqual([{ source: ChangeSource.KV_ENTRY, after: 2 }]);
      readLog = async () => ({ changes: [change(7)], through: 10, head: 10 });
      jest.advanceTimersByTime(WATCH_RETRY_MS);
      await settle();
      expect(reads).toHaveLength(2);
      expect(response.keys).toEqual(['app/k1', 'app/k7']);
      // At the feed's head now: it waits for the feed, not the log.
      expect(feed.listeners.size).toBe(1);
    } finally {
      jest.useRealTimers();
    }
  });

  it('ends with REVISION_COMPACTED when the log no longer holds where it stood', async () => {
    feed.start = 10;
    feed.head = 10;
    readLog = () => Promise.reject(new KvException(ErrorCode.REVISION_COMPACTED, 'pruned'));
    watchFrom([], 2);
    await settle();
    expect(ends).toEqual([WatchEndReason.REVISION_COMPACTED]);
    expect(feed.followers).toBe(0);
  });

  it("ends with the namespace's deletion, after its event", () => {
    watchFrom([change(1), change(2, null as unknown as string, { type: KvEventType.NAMESPACE_DELETED }), change(3)], 3);
    expect(response.written.at(-1)).toMatch(/^id: 2\nevent: namespace_deleted\n/);
    expect(ends).toEqual([WatchEndReason.NAMESPACE_DELETED]);
    expect(response.ended).toMatch(/"reason":"NAMESPACE_DELETED"/);
  });
});
