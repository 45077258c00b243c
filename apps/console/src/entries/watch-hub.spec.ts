import { KvApiError, KvRevisionCompactedError, KvTokenExpiredError, type ChangeEvent } from '@kv-service/client';
import { WatchHub, type OpenWatch, type WatchStatus } from './watch-hub';

/** A stream the test feeds by hand: `push` a change, `fail` it, or leave it open. */
class FakeStreams {
  readonly opened: string[] = [];
  readonly aborted: string[] = [];
  private readonly feeds = new Map<string, { push(item: ChangeEvent | Error | 'end'): void }>();

  readonly open: OpenWatch = (namespaceId, { signal, onOpen }) => {
    this.opened.push(namespaceId);
    const queue: Array<ChangeEvent | Error | 'end'> = [];
    let wake: (() => void) | undefined;
    this.feeds.set(namespaceId, {
      push: (item) => {
        queue.push(item);
        wake?.();
      },
    });
    signal.addEventListener('abort', () => {
      this.aborted.push(namespaceId);
      wake?.();
    });
    return (async function* () {
      onOpen();
      while (!signal.aborted) {
        const item = queue.shift();
        if (item === undefined) {
          await new Promise<void>((resolve) => (wake = resolve));
          continue;
        }
        if (item === 'end') return;
        if (item instanceof Error) throw item;
        yield item;
      }
    })();
  };

  push(namespaceId: string, item: ChangeEvent | Error | 'end'): void {
    this.feeds.get(namespaceId)!.push(item);
  }
}

const change = (keyPath: string, version: number): ChangeEvent => ({
  type: 'updated',
  revision: String(version),
  id: `e-${keyPath}-${version}`,
  occurredAt: '2026-01-01T00:00:00Z',
  applicationId: 'app',
  namespaceId: 'ns-1',
  entryId: 'entry',
  keyPath,
  version,
  actor: 'someone',
  requestId: null,
});

// Node's, which Jest runs this in (the console's types are the browser's); kept real under the fake timers.
declare const setImmediate: (callback: () => void) => void;

/** Lets every pending promise of the streams run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('WatchHub', () => {
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['setImmediate'] }));
  afterEach(() => jest.useRealTimers());

  it('reads one stream for every screen of a namespace, and tells each of every change', async () => {
    const streams = new FakeStreams();
    const hub = new WatchHub(streams.open);
    const page: ChangeEvent[] = [];
    const editor: ChangeEvent[] = [];
    hub.subscribe('ns-1', { change: (c) => page.push(c) });
    hub.subscribe('ns-1', { change: (c) => editor.push(c) });
    await settle();
    streams.push('ns-1', change('a', 2));
    await settle();
    expect(streams.opened).toEqual(['ns-1']);
    expect(page).toEqual([change('a', 2)]);
    expect(editor).toEqual([change('a', 2)]);
  });

  it('keeps a stream nobody wants for a moment, then closes it', async () => {
    const streams = new FakeStreams();
    const hub = new WatchHub(streams.open, 1000);
    hub.subscribe('ns-1', { change: () => undefined })();
    await settle();
    // The next screen of the same namespace takes the same stream.
    const unsubscribe = hub.subscribe('ns-1', { change: () => undefined });
    jest.advanceTimersByTime(5000);
    expect(streams.aborted).toEqual([]);
    unsubscribe();
    jest.advanceTimersByTime(1000);
    expect(streams.aborted).toEqual(['ns-1']);
    expect(hub.openStreams).toBe(0);
  });

  it('closes a lingering stream at once when a screen of another namespace opens: one stream a tab', async () => {
    const streams = new FakeStreams();
    const hub = new WatchHub(streams.open, 60_000);
    hub.subscribe('ns-1', { change: () => undefined })();
    await settle();
    hub.subscribe('ns-2', { change: () => undefined });
    await settle();
    expect(streams.aborted).toEqual(['ns-1']);
    expect(hub.openStreams).toBe(1);
  });

  it('says live once open, watches again from now when the log was compacted, and stops on any other error', async () => {
    const streams = new FakeStreams();
    const hub = new WatchHub(streams.open);
    const statuses: Array<[WatchStatus, unknown]> = [];
    hub.subscribe('ns-1', { change: () => undefined, status: (status, error) => statuses.push([status, error]) });
    await settle();
    streams.push('ns-1', new KvRevisionCompactedError());
    await settle();
    expect(streams.opened).toEqual(['ns-1', 'ns-1']);
    const refused = new KvApiError(403, 'FORBIDDEN', 'no');
    streams.push('ns-1', refused);
    await settle();
    // A subscriber is told the state at once (this fake opens at once), then every change of it.
    expect(statuses).toEqual([
      ['live', undefined],
      ['live', undefined],
      ['stopped', refused],
    ]);
    expect(streams.opened).toHaveLength(2);
  });

  it('tells the session once when a stream ends with a 401 (the token expired), and not on a 403', async () => {
    const streams = new FakeStreams();
    const refusedBy: unknown[] = [];
    const hub = new WatchHub(streams.open, 1000, (error) => refusedBy.push(error));
    hub.subscribe('ns-1', { change: () => undefined });
    hub.subscribe('ns-1', { change: () => undefined });
    hub.subscribe('ns-2', { change: () => undefined });
    await settle();
    streams.push('ns-2', new KvApiError(403, 'FORBIDDEN', 'no'));
    const expired = new KvTokenExpiredError();
    streams.push('ns-1', expired);
    await settle();
    expect(refusedBy).toEqual([expired]);
  });
});
