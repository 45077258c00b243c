import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { HEARTBEAT_FRAME, WatchEndReason, endFrame } from './watch-events';

export interface SseStreamOptions {
  /** How long a write the client does not take may wait before the stream is ended (SLOW_CONSUMER). */
  slowConsumerTimeoutMs: number;
}

/** Who a stream serves: where it stands, for its last frame, and whom to tell, once, that it ended. */
export interface SseStreamOwner {
  cursor(): string;
  ended(reason: WatchEndReason): void;
}

// After its last frame, a client that still reads nothing loses its connection.
const END_FLUSH_MS = 5000;

/** The headers of an event stream, over the reply's own. */
export function sseHeaders(headers: OutgoingHttpHeaders): OutgoingHttpHeaders {
  return {
    ...headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    // NGINX (and the Ingress controller built on it) would otherwise buffer the stream.
    'x-accel-buffering': 'no',
  };
}

/**
 * A Server-Sent Events response on Node's own response: the reply is hijacked from Fastify, as a stream outlives any
 * reply hook. Never buffers without bound: a frame the socket does not take makes the stream wait for it to drain (the
 * caller sends nothing meanwhile, `isWritable`), and a wait past the timeout ends the stream. Callbacks rather than
 * promises: a stream lives for hours, and a pending await chain would hold its closures and contexts all that time.
 */
export class SseStream {
  private ended: WatchEndReason | undefined;
  /** The wait for the socket to drain, while it is full: its listener and its timeout. */
  private drain: { listener: () => void; timer: NodeJS.Timeout } | undefined;

  constructor(
    private readonly response: ServerResponse,
    private readonly options: SseStreamOptions,
    private readonly owner: SseStreamOwner,
  ) {}

  /** Sends the headers and the first frame, from `start`. */
  open(headers: OutgoingHttpHeaders, start: string): void {
    this.response.on('close', () => this.end(WatchEndReason.CLIENT_CLOSED));
    this.response.writeHead(200, sseHeaders(headers));
    // Where it starts, so that a client reconnecting before any event resumes from there; and its reconnection
    // delay. Sent with the headers, so that a proxy passes the response on at once.
    this.response.write(`id: ${start}\nretry: 1000\n\n`);
    // The client may have gone while the watch was being opened: its 'close' came before the listener above. Ended on
    // the next tick, so that whoever opened the stream has done so (and audited it) before it hears of its end.
    if (this.response.destroyed) process.nextTick(() => this.end(WatchEndReason.CLIENT_CLOSED));
  }

  get isOpen(): boolean {
    return this.ended === undefined;
  }

  /** Open, and not waiting for the socket to drain: a frame may be sent. */
  get isWritable(): boolean {
    return this.ended === undefined && this.drain === undefined;
  }

  /** Why the stream ended, once it has. */
  get endReason(): WatchEndReason | undefined {
    return this.ended;
  }

  /** A comment, so that no proxy takes a quiet stream as dead. */
  heartbeat(): void {
    if (this.isOpen) this.response.write(HEARTBEAT_FRAME);
  }

  /**
   * Writes a frame, when `isWritable`: true if the socket took it; if not, `drained` is called once it has, unless the
   * stream ends first (past the timeout, it ends).
   */
  send(frame: string, drained: () => void): boolean {
    if (this.response.write(frame)) return true;
    const listener = (): void => {
      this.stopWaiting();
      drained();
    };
    this.response.on('drain', listener);
    const timer = setTimeout(() => this.end(WatchEndReason.SLOW_CONSUMER), this.options.slowConsumerTimeoutMs);
    this.drain = { listener, timer };
    return false;
  }

  /** Ends the stream with its last frame (none when the client is gone), then tells its owner; later calls do nothing. */
  end(reason: WatchEndReason): void {
    if (this.ended !== undefined) return;
    this.ended = reason;
    this.stopWaiting();
    if (reason !== WatchEndReason.CLIENT_CLOSED && !this.response.destroyed) {
      this.response.end(endFrame(reason, this.owner.cursor()));
      setTimeout(() => {
        if (!this.response.writableFinished) this.response.destroy();
      }, END_FLUSH_MS).unref();
    }
    this.owner.ended(reason);
  }

  private stopWaiting(): void {
    if (this.drain === undefined) return;
    this.response.off('drain', this.drain.listener);
    clearTimeout(this.drain.timer);
    this.drain = undefined;
  }
}
