import { KvRevisionCompactedError, type ChangeEvent } from '@kv-service/client';
import { isUnauthenticated } from '../auth/session-end';

export type WatchStatus = 'connecting' | 'live' | 'stopped';

export interface WatchSubscriber {
  change(change: ChangeEvent): void;
  /** The stream's state; with 'stopped', the error that ended it (a 403, an expired token...). */
  status?(status: WatchStatus, error?: unknown): void;
}

/** Opens one namespace's change stream (KvClient.watch), telling `onOpen` each time a connection is made. */
export type OpenWatch = (namespaceId: string, options: { signal: AbortSignal; onOpen: () => void }) => AsyncIterable<ChangeEvent>;

interface Stream {
  subscribers: Set<WatchSubscriber>;
  controller: AbortController;
  status: WatchStatus;
  error?: unknown;
  closing?: ReturnType<typeof setTimeout>;
}

/**
 * The tab's change streams, shared by its screens: the namespace page and an entry's editor of one namespace read one
 * stream. A stream no screen wants lingers a moment (a screen replaced by the next one of the same namespace keeps it),
 * and is closed at once when a screen of another namespace opens, so that a tab holds one stream.
 */
export class WatchHub {
  private readonly streams = new Map<string, Stream>();

  constructor(
    private readonly open: OpenWatch,
    private readonly lingerMs = 2000,
    /** Told when a stream ends with a 401 (KvTokenExpiredError at the token's expiry): the session is over. */
    private readonly onTokenRefused: (error: unknown) => void = () => {},
  ) {}

  subscribe(namespaceId: string, subscriber: WatchSubscriber): () => void {
    for (const [id, other] of this.streams) if (id !== namespaceId && other.subscribers.size === 0) this.close(id);
    const stream = this.streams.get(namespaceId) ?? this.start(namespaceId);
    clearTimeout(stream.closing);
    stream.subscribers.add(subscriber);
    subscriber.status?.(stream.status, stream.error);
    return () => {
      stream.subscribers.delete(subscriber);
      if (stream.subscribers.size === 0) stream.closing = setTimeout(() => this.close(namespaceId), this.lingerMs);
    };
  }

  /** How many streams are open (one per tab at most, but for a moment while screens change). */
  get openStreams(): number {
    return this.streams.size;
  }

  private start(namespaceId: string): Stream {
    const stream: Stream = { subscribers: new Set(), controller: new AbortController(), status: 'connecting' };
    this.streams.set(namespaceId, stream);
    void this.run(namespaceId, stream);
    return stream;
  }

  private async run(namespaceId: string, stream: Stream): Promise<void> {
    const { signal } = stream.controller;
    const tell = (status: WatchStatus, error?: unknown) => {
      stream.status = status;
      stream.error = error;
      for (const subscriber of stream.subscribers) subscriber.status?.(status, error);
    };
    while (!signal.aborted) {
      try {
        for await (const change of this.open(namespaceId, { signal, onOpen: () => tell('live') })) {
          for (const subscriber of stream.subscribers) subscriber.change(change);
        }
        // The namespace was deleted (or the watch stopped): nothing more will come.
        if (!signal.aborted) tell('stopped');
        return;
      } catch (error) {
        if (signal.aborted) return;
        // Fallen behind what the log keeps: watching again from now misses nothing a screen shows, as each reads again
        // once a stream opens.
        if (error instanceof KvRevisionCompactedError) continue;
        tell('stopped', error);
        if (isUnauthenticated(error)) this.onTokenRefused(error);
        return;
      }
    }
  }

  private close(namespaceId: string): void {
    const stream = this.streams.get(namespaceId);
    if (!stream) return;
    clearTimeout(stream.closing);
    stream.controller.abort();
    this.streams.delete(namespaceId);
  }
}
