import { platformState } from './api';
import { eventually } from './workload';

/** One frame of an event stream, as its fields came. */
export interface SseEvent {
  id: string | undefined;
  event: string;
  data: any;
}

/**
 * A watch as a client sees it on the wire: fetch's streaming body, split into frames by the rules of the SSE spec (fields
 * `id`, `event`, `data`; comment lines apart). The test reads the wire itself, so that frames, heartbeats and headers are
 * checked as a proxy or a browser would get them.
 */
export class WatchStream {
  readonly events: SseEvent[] = [];
  comments = 0;
  /** The text received, whole: searched for values that must never be there. */
  raw = '';
  done = false;
  private readonly abort = new AbortController();

  private constructor(
    readonly status: number,
    readonly headers: Headers,
    readonly body: any,
  ) {}

  static async open(
    path: string,
    token: string,
    options: { baseUrl?: string; headers?: Record<string, string> } = {},
  ): Promise<WatchStream> {
    const watch = new AbortController();
    const response = await fetch(`${options.baseUrl ?? platformState().gatewayUrl}${path}`, {
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream', ...options.headers },
      signal: watch.signal,
    });
    if (!response.headers.get('content-type')?.startsWith('text/event-stream')) {
      const text = await response.text();
      return new WatchStream(response.status, response.headers, text ? JSON.parse(text) : undefined);
    }
    const stream = new WatchStream(response.status, response.headers, undefined);
    stream.abort.signal.addEventListener('abort', () => watch.abort());
    void stream.read(response.body!);
    return stream;
  }

  /** The change events so far (not the final `end`). */
  get changes(): SseEvent[] {
    return this.events.filter((event) => event.event !== 'end');
  }

  get end(): SseEvent | undefined {
    return this.events.find((event) => event.event === 'end');
  }

  /** Waits until `check` holds of the events (up to `timeoutMs`); whether it did. */
  waitFor(check: (events: SseEvent[]) => boolean, timeoutMs = 15_000): Promise<boolean> {
    return eventually(async () => check(this.events), timeoutMs, 50);
  }

  close(): void {
    this.abort.abort();
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let pending = '';
    try {
      for await (const chunk of body) {
        const text = decoder.decode(chunk, { stream: true });
        this.raw += text;
        pending += text;
        let boundary: number;
        while ((boundary = pending.indexOf('\n\n')) >= 0) {
          this.frame(pending.slice(0, boundary));
          pending = pending.slice(boundary + 2);
        }
      }
    } catch {
      // aborted by the test, or the connection was cut
    }
    this.done = true;
  }

  private frame(text: string): void {
    const fields: Record<string, string> = {};
    for (const line of text.split('\n')) {
      if (line.startsWith(':')) this.comments += 1;
      else {
        const colon = line.indexOf(':');
        fields[line.slice(0, colon)] = line.slice(colon + 1).replace(/^ /, '');
      }
    }
    if (fields.data === undefined) return;
    this.events.push({ id: fields.id, event: fields.event ?? 'message', data: JSON.parse(fields.data) });
  }
}

/** What tells a change from another: a repeat after a resume has the same. */
export const changeIdentity = (event: SseEvent): string => `${event.event}|${event.data.keyPath}|${event.data.version}`;
