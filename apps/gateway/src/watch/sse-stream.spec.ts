import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { SseStream } from './sse-stream';
import { WatchEndReason } from './watch-events';

/** Node's response as the stream uses it: what was written, and a socket that takes writes or not (`full`). */
class ResponseStandIn extends EventEmitter {
  written: string[] = [];
  ended: string | undefined;
  head: Record<string, unknown> | undefined;
  full = false;
  destroyed = false;
  writableFinished = false;
  writeHead(status: number, headers: Record<string, unknown>): void {
    this.head = { status, ...headers };
  }
  write(frame: string): boolean {
    this.written.push(frame);
    return !this.full;
  }
  end(frame: string): void {
    this.ended = frame;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

describe('SseStream', () => {
  let response: ResponseStandIn;
  let stream: SseStream;

  beforeEach(() => {
    jest.useFakeTimers();
    response = new ResponseStandIn();
    stream = new SseStream(
      response as unknown as ServerResponse,
      { 'x-request-id': 'r1' },
      { heartbeatMs: 15_000, slowConsumerTimeoutMs: 30_000 },
      { start: '5', current: () => '7' },
    );
  });

  afterEach(() => jest.useRealTimers());

  it('opens with the event-stream headers and the reconnection delay, then sends a heartbeat comment every interval', () => {
    expect(response.head).toMatchObject({
      status: 200,
      'x-request-id': 'r1',
      'content-type': 'text/event-stream; charset=utf-8',
      'x-accel-buffering': 'no',
    });
    expect(response.written).toEqual(['id: 5\nretry: 1000\n\n']);
    jest.advanceTimersByTime(30_000);
    expect(response.written.slice(1)).toEqual([': heartbeat\n\n', ': heartbeat\n\n']);
  });

  it('waits for the socket to take a frame before the next, and goes on once it drained', async () => {
    response.full = true;
    let sent = false;
    const sending = stream.send('data: 1\n\n').then(() => (sent = true));
    await Promise.resolve();
    expect(sent).toBe(false);
    response.emit('drain');
    await sending;
    expect(stream.isOpen).toBe(true);
  });

  it('ends a stream whose client takes nothing for the timeout, telling where to resume, and sends nothing more', async () => {
    response.full = true;
    const sending = stream.send('data: 1\n\n');
    jest.advanceTimersByTime(30_000);
    await sending;
    expect(stream.endReason).toBe(WatchEndReason.SLOW_CONSUMER);
    expect(response.ended).toBe('id: 7\nevent: end\ndata: {"reason":"SLOW_CONSUMER","revision":"7"}\n\n');
    const before = response.written.length;
    await stream.send('data: 2\n\n');
    jest.advanceTimersByTime(60_000);
    expect(response.written).toHaveLength(before);
    // A client that still reads nothing loses its connection after a while.
    expect(response.destroyed).toBe(true);
  });

  it('ends quietly when the client goes, and only once', async () => {
    const ended = jest.fn();
    stream.onEnd(ended);
    response.emit('close');
    expect(ended).toHaveBeenCalledTimes(1);
    expect(stream.endReason).toBe(WatchEndReason.CLIENT_CLOSED);
    stream.end(WatchEndReason.SHUTDOWN);
    expect(stream.endReason).toBe(WatchEndReason.CLIENT_CLOSED);
    expect(response.ended).toBeUndefined();
  });

  it('waits leave nothing behind: a wait that is over no longer listens for the end', async () => {
    for (let i = 0; i < 1000; i += 1) await stream.until((wake) => (void Promise.resolve().then(wake), () => undefined));
    const listeners = (stream as unknown as { endListeners: Set<unknown> }).endListeners;
    expect(listeners.size).toBe(0);
  });

  it('a wait the stream ends takes back its subscription: what it waited on keeps nothing of it', async () => {
    const waiting = new Set<() => void>();
    const waits = Array.from({ length: 3 }, () =>
      stream.until((wake) => {
        waiting.add(wake);
        return () => waiting.delete(wake);
      }),
    );
    expect(waiting.size).toBe(3);
    response.emit('close');
    await Promise.all(waits);
    expect(waiting.size).toBe(0);
    await stream.until(() => {
      throw new Error('an ended stream subscribes to nothing');
    });
  });

  it('ends at once, quietly, for a client that went while the watch was being opened', () => {
    const gone = new ResponseStandIn();
    gone.destroyed = true;
    const late = new SseStream(
      gone as unknown as ServerResponse,
      {},
      { heartbeatMs: 15_000, slowConsumerTimeoutMs: 30_000 },
      {
        start: '5',
        current: () => '7',
      },
    );
    expect(late.endReason).toBe(WatchEndReason.CLIENT_CLOSED);
    expect(gone.ended).toBeUndefined();
  });

  it('leaves a finished response alone after its last frame (its socket may serve the next request)', () => {
    stream.end(WatchEndReason.SHUTDOWN);
    response.writableFinished = true;
    jest.advanceTimersByTime(60_000);
    expect(response.destroyed).toBe(false);
  });
});
