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
  /** Called once when the stream ends; each waiter removes itself when done, so that waits leave nothing behind. */
  private readonly endListeners = new Set<() => void>();

  constructor(
    private readonly response: ServerResponse,
    headers: OutgoingHttpHeaders,
    private readonly options: SseStreamOptions,
    /** Where the stream stands: `start` for its first frame, `current()` for its last. */
    private readonly cursor: { start: string; current: () => string },
  ) {
    response.on('close', () => this.end(WatchEndReason.CLIENT_CLOSED));
    response.writeHead(200, sseHeaders(headers));
    // Where it starts, so that a client reconnecting before any event resumes from there; and its reconnection
    // delay. Sent with the headers, so that a proxy passes the response on at once.
    response.write(`id: ${cursor.start}\nretry: 1000\n\n`);
    this.heartbeat = setInterval(() => {
      if (this.isOpen) response.write(HEARTBEAT_FRAME);
    }, options.heartbeatMs);
    this.heartbeat.unref();
    // The client may have gone while the watch was being opened: its 'close' came before the listener above.
    if (response.destroyed) this.end(WatchEndReason.CLIENT_CLOSED);
  }

  get isOpen(): boolean {
    return this.ended === undefined;
  }

  /** Why the stream ended, once it has. */
  get endReason(): WatchEndReason | undefined {
    return this.ended;
  }

  /** Calls `listener` when the stream ends (at once if it has); the returned function stops that. */
  onEnd(listener: () => void): () => void {
    if (!this.isOpen) {
      listener();
      return () => undefined;
    }
    this.endListeners.add(listener);
    return () => this.endListeners.delete(listener);
  }

  /** Resolves after `ms`, or as soon as the stream ends. */
  pause(ms: number): Promise<void> {
    return this.until((wake) => {
      const timer = setTimeout(wake, ms).unref();
      return () => clearTimeout(timer);
    });
  }

  /**
   * Resolves when `subscribe`'s listener is called, or as soon as the stream ends; either way both subscriptions are
   * taken back, so that a stream that ended leaves nothing with what it waited on.
   */
  until(subscribe: (wake: () => void) => () => void): Promise<void> {
    return new Promise<void>((resolve) => {
      if (!this.isOpen) return resolve();
      let stopEnd = (): unknown => undefined;
      let unsubscribe = (): unknown => undefined;
      const done = (): void => {
        stopEnd();
        unsubscribe();
        resolve();
      };
      stopEnd = this.onEnd(done);
      unsubscribe = subscribe(done);
    });
  }

  /** Writes a frame; resolves once the socket took it (or the stream ended meanwhile). */
  async send(frame: string): Promise<void> {
    if (!this.isOpen) return;
    if (this.response.write(frame)) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.response.off('drain', done);
        stop();
        resolve();
      };
      const timer = setTimeout(() => {
        done();
        this.end(WatchEndReason.SLOW_CONSUMER);
      }, this.options.slowConsumerTimeoutMs);
      this.response.on('drain', done);
      const stop = this.onEnd(done);
    });
  }

  /** Ends the stream with its last frame (none when the client is gone); later calls do nothing. */
  end(reason: WatchEndReason): void {
    if (this.ended !== undefined) return;
    this.ended = reason;
    clearInterval(this.heartbeat);
    if (reason !== WatchEndReason.CLIENT_CLOSED && !this.response.destroyed) {
      this.response.end(endFrame(reason, this.cursor.current()));
      setTimeout(() => {
        if (!this.response.writableFinished) this.response.destroy();
      }, END_FLUSH_MS).unref();
    }
    for (const listener of [...this.endListeners]) listener();
    this.endListeners.clear();
  }
}
