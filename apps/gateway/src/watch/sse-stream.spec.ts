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

const OPTIONS = { slowConsumerTimeoutMs: 30_000 };

describe('SseStream', () => {
  let response: ResponseStandIn;
  let ends: WatchEndReason[];
  let stream: SseStream;

  const streamOn = (on: ResponseStandIn): SseStream =>
    new SseStream(on as unknown as ServerResponse, OPTIONS, { cursor: () => '7', ended: (reason) => ends.push(reason) });

  beforeEach(() => {
    jest.useFakeTimers();
    response = new ResponseStandIn();
    ends = [];
    stream = streamOn(response);
    stream.open({ 'x-request-id': 'r1' }, '5');
  });

  afterEach(() => jest.useRealTimers());

  it('opens with the event-stream headers and the reconnection delay; a heartbeat is a comment', () => {
    expect(response.head).toMatchObject({
      status: 200,
      'x-request-id': 'r1',
      'content-type': 'text/event-stream; charset=utf-8',
      'x-accel-buffering': 'no',
    });
    expect(response.written).toEqual(['id: 5\nretry: 1000\n\n']);
    stream.heartbeat();
    expect(response.written.slice(1)).toEqual([': heartbeat\n\n']);
  });

  it('waits for the socket to take a frame before the next, and goes on once it drained', () => {
    expect(stream.send('data: 1\n\n', () => undefined)).toBe(true);
    response.full = true;
    const drained = jest.fn();
    expect(stream.send('data: 2\n\n', drained)).toBe(false);
    expect(stream.isWritable).toBe(false);
    response.emit('drain');
    expect(drained).toHaveBeenCalledTimes(1);
    expect(stream.isWritable).toBe(true);
    // The wait is over: it no longer listens for the socket, nor times out.
    expect(response.listenerCount('drain')).toBe(0);
    jest.advanceTimersByTime(60_000);
    expect(stream.isOpen).toBe(true);
  });

  it('ends a stream whose client takes nothing for the timeout, telling where to resume, and sends nothing more', () => {
    response.full = true;
    const drained = jest.fn();
    stream.send('data: 1\n\n', drained);
    jest.advanceTimersByTime(30_000);
    expect(stream.endReason).toBe(WatchEndReason.SLOW_CONSUMER);
    expect(ends).toEqual([WatchEndReason.SLOW_CONSUMER]);
    expect(response.ended).toBe('id: 7\nevent: end\ndata: {"reason":"SLOW_CONSUMER","revision":"7"}\n\n');
    const before = response.written.length;
    stream.heartbeat();
    response.emit('drain');
    expect(drained).not.toHaveBeenCalled();
    expect(response.written).toHaveLength(before);
    jest.advanceTimersByTime(60_000);
    // A client that still reads nothing loses its connection after a while.
    expect(response.destroyed).toBe(true);
  });

  it('ends quietly when the client goes, tells its owner once, and leaves nothing with the socket', () => {
    response.full = true;
    stream.send('data: 1\n\n', () => undefined);
    response.emit('close');
    expect(ends).toEqual([WatchEndReason.CLIENT_CLOSED]);
    expect(stream.endReason).toBe(WatchEndReason.CLIENT_CLOSED);
    expect(response.listenerCount('drain')).toBe(0);
    stream.end(WatchEndReason.SHUTDOWN);
    expect(ends).toEqual([WatchEndReason.CLIENT_CLOSED]);
    expect(response.ended).toBeUndefined();
  });

  it('ends quietly, once opened, for a client that went while the watch was being opened', () => {
    const gone = new ResponseStandIn();
    gone.destroyed = true;
    const late = streamOn(gone);
    late.open({}, '5');
    // On the next tick: whoever opened it hears of its end once it has.
    expect(late.isOpen).toBe(true);
    jest.runAllTicks();
    expect(late.endReason).toBe(WatchEndReason.CLIENT_CLOSED);
    expect(ends).toEqual([WatchEndReason.CLIENT_CLOSED]);
    expect(gone.ended).toBeUndefined();
  });

  it('leaves a finished response alone after its last frame (its socket may serve the next request)', () => {
    stream.end(WatchEndReason.SHUTDOWN);
    response.writableFinished = true;
    jest.advanceTimersByTime(60_000);
    expect(response.destroyed).toBe(false);
  });
});
