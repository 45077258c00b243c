import { ErrorCode, KvException, type ChangeLogPage, type LoggedChange } from '@app/contracts';
import { anEvent } from '../../../../test/support/samples';
import { ChangeFeed } from './change-feed';

const change = (revision: number): LoggedChange => ({ revision, event: anEvent({ keyPath: `k${revision}` }) });

/** A change log in memory, read as the services' query reads it: a page of up to `pageSize` after a revision. */
class LogInMemory {
  changes: LoggedChange[] = [];
  compactedThrough = 0;
  reads: Array<number | null> = [];
  failNext = false;

  constructor(private readonly pageSize = 1000) {}

  get head(): number {
    return this.changes.at(-1)?.revision ?? this.compactedThrough;
  }

  append(count: number): void {
    for (let i = 0; i < count; i += 1) this.changes.push(change(this.head + 1));
  }

  read: (after: number | null) => Promise<ChangeLogPage> = async (after) => {
    this.reads.push(after);
    if (this.failNext) {
      this.failNext = false;
      throw new Error('broker away');
    }
    if (after === null) return { changes: [], through: this.head, head: this.head };
    if (after < this.compactedThrough) throw new KvException(ErrorCode.REVISION_COMPACTED, 'pruned');
    const changes = this.changes.filter((c) => c.revision > after).slice(0, this.pageSize);
    return { changes, through: changes.length === this.pageSize ? changes.at(-1)!.revision : this.head, head: this.head };
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

async function settled(feed: ChangeFeed): Promise<void> {
  for (let i = 0; i < 20; i += 1) await settle();
  void feed;
}

describe('ChangeFeed', () => {
  let log: LogInMemory;
  let feed: ChangeFeed;

  beforeEach(async () => {
    log = new LogInMemory(2);
    log.append(3);
    feed = new ChangeFeed('kv-entry', (after) => log.read(after), { retained: 5, pollIntervalMs: 60_000 });
    feed.follow();
    await settled(feed);
  });

  afterEach(() => feed.unfollow());

  it('starts at the head of the log: what came before is for the log to tell', () => {
    expect(log.reads).toEqual([null]);
    expect(feed.view(3)).toEqual({ kind: 'changes', changes: [], through: 3 });
    expect(feed.view(2)).toEqual({ kind: 'behind' });
    expect(feed.view(4)).toEqual({ kind: 'ahead' });
  });

  it('on a doorbell reads every page to the head and wakes whoever waits; one at the head reads nothing', async () => {
    log.append(3);
    const woken = new Promise<void>((resolve) => feed.onAdvance(resolve));
    feed.ring(6);
    await woken;
    expect(feed.waiting).toBe(0);
    await settled(feed);
    expect(log.reads).toEqual([null, 3, 5]);
    expect(feed.view(4)).toEqual({ kind: 'changes', changes: [change(5), change(6)], through: 6 });
    feed.ring(6);
    await settled(feed);
    expect(log.reads).toHaveLength(3);
  });

  it('hands each page over as it comes, before reading the next', async () => {
    log.append(4);
    let release!: () => void;
    const read = log.read;
    log.read = async (after) => {
      if (after === 5) await new Promise<void>((resolve) => (release = resolve));
      return read(after);
    };
    const woken = new Promise<void>((resolve) => feed.onAdvance(resolve));
    feed.ring(7);
    await woken;
    expect(feed.view(3)).toEqual({ kind: 'changes', changes: [change(4), change(5)], through: 5 });
    release();
    await settled(feed);
    expect(feed.view(5)).toEqual({ kind: 'changes', changes: [change(6), change(7)], through: 7 });
  });

  it('a waiter that stops waiting before the feed moves leaves nothing with it; one waiting again is there once', () => {
    const listeners = Array.from({ length: 5 }, () => () => undefined);
    for (const listener of listeners) feed.onAdvance(listener);
    feed.onAdvance(listeners[0]!);
    expect(feed.waiting).toBe(5);
    for (const listener of listeners) feed.offAdvance(listener);
    expect(feed.waiting).toBe(0);
  });

  it('keeps only the most recent changes: a watch further behind is told to read the log', async () => {
    log.append(7);
    feed.ring(log.head);
    await settled(feed);
    expect(feed.view(10)).toEqual({ kind: 'changes', changes: [], through: 10 });
    expect(feed.view(5)).toEqual({ kind: 'changes', changes: [6, 7, 8, 9, 10].map(change), through: 10 });
    expect(feed.view(4)).toEqual({ kind: 'behind' });
  });

  it('after a failed read, reads again on the next doorbell from where it stood', async () => {
    log.append(1);
    log.failNext = true;
    feed.ring(4);
    await settled(feed);
    expect(feed.view(3)).toEqual({ kind: 'changes', changes: [], through: 3 });
    feed.resync();
    await settled(feed);
    expect(feed.view(3)).toEqual({ kind: 'changes', changes: [change(4)], through: 4 });
  });

  it('starts again from the head when the log was pruned past it, or misses revisions, never passing over a change', async () => {
    log.append(4);
    log.compactedThrough = 5;
    feed.ring(log.head);
    await settled(feed);
    expect(feed.view(3)).toEqual({ kind: 'behind' });
    expect(feed.view(7)).toEqual({ kind: 'changes', changes: [], through: 7 });

    // Revision 8 never shows: the feed does not go on from 9 as if it had.
    log.changes.push(change(9));
    feed.ring(9);
    await settled(feed);
    expect(feed.view(7)).toEqual({ kind: 'behind' });
  });

  it('stops reading once nobody follows, and starts at the head again for the next', async () => {
    feed.unfollow();
    log.append(2);
    feed.ring(5);
    await settled(feed);
    expect(log.reads).toEqual([null]);
    feed.follow();
    await settled(feed);
    expect(log.reads).toEqual([null, null]);
    expect(feed.view(3)).toEqual({ kind: 'behind' });
  });
});
