import { KvRevisionCompactedError, KvTokenExpiredError, KvUnavailableError, type ChangeEvent, type WatchOptions } from '@kv-service/client';
import { followChanges, isTransientFailure } from './follow-changes';

const change = (revision: string): ChangeEvent => ({
  type: 'updated',
  revision,
  id: `event-${revision}`,
  occurredAt: '2026-12-04T00:00:00.000Z',
  applicationId: 'app',
  namespaceId: 'ns',
  entryId: 'entry',
  keyPath: 'db/host',
  version: Number(revision),
  actor: 'someone',
  requestId: null,
});

/** A watch whose changes the test pushes, one feed per opening; records each opening's options. */
class FakeWatches {
  readonly opened: WatchOptions[] = [];
  private readonly feeds: Array<{ push: (item: ChangeEvent | Error | 'finish') => void }> = [];

  readonly watch = (_namespaceId: string, options: WatchOptions = {}): AsyncGenerator<ChangeEvent> => {
    this.opened.push(options);
    const queue: Array<ChangeEvent | Error | 'finish'> = [];
    let wake: () => void = () => undefined;
    this.feeds.push({
      push: (item) => {
        queue.push(item);
        wake();
      },
    });
    return (async function* () {
      options.onOpen?.(null);
      for (;;) {
        while (queue.length === 0) {
          if (options.signal?.aborted) return;
          await new Promise<void>((resolve) => {
            wake = resolve;
            options.signal?.addEventListener('abort', () => resolve(), { once: true });
          });
        }
        const item = queue.shift()!;
        if (item === 'finish') return;
        if (item instanceof Error) throw item;
        yield item;
      }
    })();
  };

  push(item: ChangeEvent | Error | 'finish', opening = this.feeds.length - 1): void {
    this.feeds[opening].push(item);
  }
}

// Fake timers: the debounce and the runs' lengths are the test's, whatever the machine's load.
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const elapse = (ms: number) => jest.advanceTimersByTimeAsync(ms);

describe('followChanges', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs onChange once for a burst of changes, from the read revision on', async () => {
    const watches = new FakeWatches();
    const runs: string[][] = [];
    const stop = new AbortController();
    const following = followChanges(watches.watch, [{ namespaceId: 'ns', prefix: 'app/', since: '5' }], {
      debounceMs: 30,
      signal: stop.signal,
      onChange: async (changes) => void runs.push(changes.map((c) => c.revision)),
    });
    await elapse(5);
    expect(watches.opened[0]).toMatchObject({ prefix: 'app/', since: '5' });
    watches.push(change('6'));
    watches.push(change('7'));
    watches.push(change('8'));
    await elapse(80);
    expect(runs).toEqual([['6', '7', '8']]);
    stop.abort();
    await expect(following).resolves.toBeUndefined();
  });

  it('never runs twice at once: changes during a run make one more run after it', async () => {
    const watches = new FakeWatches();
    const runs: string[][] = [];
    let inRun = 0;
    let overlapped = false;
    const stop = new AbortController();
    const following = followChanges(watches.watch, [{ namespaceId: 'ns' }], {
      debounceMs: 10,
      signal: stop.signal,
      onChange: async (changes) => {
        overlapped ||= inRun > 0;
        inRun++;
        runs.push(changes.map((c) => c.revision));
        await sleep(60);
        inRun--;
      },
    });
    await elapse(5);
    watches.push(change('1'));
    await elapse(30);
    watches.push(change('2'));
    await elapse(20);
    watches.push(change('3'));
    await elapse(150);
    expect(runs).toEqual([['1'], ['2', '3']]);
    expect(overlapped).toBe(false);
    stop.abort();
    await following;
  });

  it('goes on from now after a compacted point, and runs onChange to read again', async () => {
    const watches = new FakeWatches();
    const runs: string[][] = [];
    const restarts: string[] = [];
    const stop = new AbortController();
    const following = followChanges(watches.watch, [{ namespaceId: 'ns', since: '1' }], {
      debounceMs: 10,
      signal: stop.signal,
      onChange: async (changes) => void runs.push(changes.map((c) => c.revision)),
      onRestart: (namespaceId) => restarts.push(namespaceId),
    });
    await elapse(5);
    watches.push(new KvRevisionCompactedError());
    await elapse(40);
    expect(restarts).toEqual(['ns']);
    expect(watches.opened.map((options) => options.since)).toEqual(['1', undefined]);
    expect(runs).toEqual([[]]);
    stop.abort();
    await following;
  });

  it('rejects with any other failure of a watch, and stops the others', async () => {
    const watches = new FakeWatches();
    const following = followChanges(watches.watch, [{ namespaceId: 'a' }, { namespaceId: 'b' }], {
      debounceMs: 10,
      signal: new AbortController().signal,
      onChange: async () => undefined,
    });
    await elapse(5);
    watches.push(new KvTokenExpiredError(), 0);
    await expect(following).rejects.toBeInstanceOf(KvTokenExpiredError);
    expect(watches.opened[1].signal?.aborted).toBe(true);
  });

  it('runs onChange again after a transient failure, backing off, with the changes it had, until it succeeds', async () => {
    const watches = new FakeWatches();
    const runs: string[][] = [];
    const retries: number[] = [];
    let failuresLeft = 2;
    const stop = new AbortController();
    const following = followChanges(watches.watch, [{ namespaceId: 'ns' }], {
      debounceMs: 10,
      signal: stop.signal,
      onChange: async (changes) => {
        runs.push(changes.map((c) => c.revision));
        if (failuresLeft-- > 0) throw new KvUnavailableError(503, 'SERVICE_UNAVAILABLE', 'away');
      },
      onRetry: (_error, delayMs) => retries.push(delayMs),
    });
    await elapse(5);
    watches.push(change('1'));
    await elapse(15);
    watches.push(change('2'));
    await elapse(100);
    expect(retries).toEqual([20, 40]);
    expect(runs).toEqual([['1'], ['1', '2'], ['1', '2']]);
    stop.abort();
    await following;
  });

  it('tells a transient failure from one that would come again', () => {
    expect(isTransientFailure(new KvUnavailableError(503, 'SERVICE_UNAVAILABLE', 'away'))).toBe(true);
    expect(isTransientFailure(new TypeError('fetch failed'))).toBe(true);
    expect(isTransientFailure(new KvTokenExpiredError())).toBe(false);
    expect(isTransientFailure(new Error('template syntax'))).toBe(false);
  });

  it('starts no run once it has returned', async () => {
    const watches = new FakeWatches();
    const runs: number[] = [];
    const stop = new AbortController();
    const following = followChanges(watches.watch, [{ namespaceId: 'ns' }], {
      debounceMs: 10,
      signal: stop.signal,
      onChange: async (changes) => {
        runs.push(changes.length);
        await sleep(50);
      },
    });
    await elapse(5);
    watches.push(change('1'));
    await elapse(15);
    watches.push(change('2'));
    await elapse(15);
    stop.abort();
    await elapse(100);
    await following;
    expect(runs).toEqual([1]);
  });

  it('rejects with the failure of onChange', async () => {
    const watches = new FakeWatches();
    const following = followChanges(watches.watch, [{ namespaceId: 'ns' }], {
      debounceMs: 5,
      signal: new AbortController().signal,
      onChange: async () => {
        throw new Error('render failed');
      },
    });
    await elapse(5);
    watches.push(change('1'));
    const failed = expect(following).rejects.toThrow('render failed');
    await elapse(10);
    await failed;
  });

  it('resolves once every watch has finished (its namespace deleted)', async () => {
    const watches = new FakeWatches();
    const runs: number[] = [];
    const following = followChanges(watches.watch, [{ namespaceId: 'ns' }], {
      debounceMs: 5,
      signal: new AbortController().signal,
      onChange: async (changes) => void runs.push(changes.length),
    });
    await elapse(5);
    watches.push('finish');
    await expect(following).resolves.toBeUndefined();
  });
});
