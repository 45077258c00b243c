import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { HEARTBEAT_FRAME, WatchEndReason, endFrame } from './watch-events';

export interface SseStreamOptions {
  heartbeatMs: number;
  /** How long a write the client does not take may wait before the stream is ended (SLOW_CONSUMER). */
  slowConsumerTimeoutMs: number;
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
    connection: 'keep-alive',
  };
}

/**
 * A Server-Sent Events response on Node's own response: the reply is hijacked from Fastify, as a stream outlives any
 * reply hook. Never buffers without bound: a write the socket does not take is awaited (`send`), and one that waits past
 * the timeout ends the stream; the caller sends nothing meanwhile.
 */
export class SseStream {
  private ended: WatchEndReason | undefined;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly closedSignal: Promise<void>;
  private markClosed!: () => void;

  constructor(
    private readonly response: ServerResponse,
    headers: OutgoingHttpHeaders,
    private readonly options: SseStreamOptions,
    private readonly cursor: () => string,
  ) {
    this.closedSignal = new Promise<void>((resolve) => (this.markClosed = resolve));
    response.on('close', () => this.end(WatchEndReason.CLIENT_CLOSED));
    response.writeHead(200, sseHeaders(headers));
    // The client's reconnection delay; sent first, with the headers, so that a proxy passes the response on at once.
    response.write('retry: 1000\n\n');
    this.heartbeat = setInterval(() => {
      if (this.isOpen) response.write(HEARTBEAT_FRAME);
    }, options.heartbeatMs);
    this.heartbeat.unref();
  }

  get isOpen(): boolean {
    return this.ended === undefined;
  }

  /** Why the stream ended, once it has. */
  get endReason(): WatchEndReason | undefined {
    return this.ended;
  }

  /** Resolves once the stream ended, for whatever reason. */
  get closed(): Promise<void> {
    return this.closedSignal;
  }

  /** Writes a frame; resolves once the socket took it (or the stream ended meanwhile). */
  async send(frame: string): Promise<void> {
    if (!this.isOpen) return;
    if (this.response.write(frame)) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.response.off('drain', done);
        resolve();
      };
      const timer = setTimeout(() => {
        done();
        this.end(WatchEndReason.SLOW_CONSUMER);
      }, this.options.slowConsumerTimeoutMs);
      this.response.on('drain', done);
      void this.closedSignal.then(done);
    });
  }

  /** Ends the stream with its last frame (none when the client is gone); later calls do nothing. */
  end(reason: WatchEndReason): void {
    if (this.ended !== undefined) return;
    this.ended = reason;
    clearInterval(this.heartbeat);
    if (reason !== WatchEndReason.CLIENT_CLOSED && !this.response.destroyed) {
      this.response.end(endFrame(reason, this.cursor()));
      setTimeout(() => {
        if (!this.response.writableFinished) this.response.destroy();
      }, END_FLUSH_MS).unref();
    }
    this.markClosed();
  }
}
