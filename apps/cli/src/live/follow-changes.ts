import {
  KvApiError,
  KvRevisionCompactedError,
  KvTimeoutError,
  type ChangeEvent,
  type KvClient,
  type WatchOptions,
} from '@kv-service/client';

/** What is followed: a namespace's entries under a prefix, from the revision of the read the caller made. */
export interface Followed {
  namespaceId: string;
  prefix?: string;
  /** The revision of the caller's read (`snapshot`): no change after it is missed. Without one, from now. */
  since?: string;
}

export interface FollowOptions {
  /** Changes closer together than this are taken as one burst: `onChange` runs once for them. */
  debounceMs: number;
  signal: AbortSignal;
  /**
   * Re-reads and acts (restart, render). Never runs twice at once: changes meanwhile make one more run after it. A
   * rejection the gateway may not give again (`isTransientFailure`: unreachable, 429, 5xx) runs it again after a
   * backoff, as long as it takes, the changes still due; any other rejection ends the following with it.
   */
  onChange: (changes: ChangeEvent[]) => Promise<void>;
  /** Told when a watch could not go on from its point and went on from now: `onChange` re-reads once it is open. */
  onRestart?: (namespaceId: string, error: unknown) => void;
  /** Told when `onChange` failed for a while and runs again after `delayMs`. */
  onRetry?: (error: unknown, delayMs: number) => void;
  onReconnect?: WatchOptions['onReconnect'];
}

type Watch = Pick<KvClient, 'watch'>['watch'];

/** `--debounce`'s default for `kv run --watch` and `kv render --watch`: one burst is what a deploy script writes at once. */
export const DEFAULT_DEBOUNCE_MS = 250;

/** The longest wait before `onChange` runs again after failing. */
const MAX_RETRY_DELAY_MS = 30_000;

/** A failure that says nothing of the request: the gateway unreachable, silent, busy (429) or failing (5xx). */
export function isTransientFailure(error: unknown): boolean {
  if (error instanceof KvApiError) return error.statusCode === 429 || error.statusCode >= 500;
  // fetch fails with a TypeError when the connection cannot be made or breaks.
  return error instanceof TypeError || error instanceof KvTimeoutError;
}

/**
 * Follows every `followed` namespace until `signal` aborts, running `onChange` once per burst of changes. A point
 * the change log no longer holds (410) is followed on from now, and `onChange` reads again once that watch is open, so
 * that the read covers every change before it. Rejects with any other failure of a watch (an expired token, a
 * namespace gone) or of `onChange` but a transient one; resolves once every watch has finished (its namespace
 * deleted) or the signal aborts.
 */
export async function followChanges(watch: Watch, followed: readonly Followed[], options: FollowOptions): Promise<void> {
  const burst = new Burst(options);
  const stopAll = new AbortController();
  const stop = () => stopAll.abort();
  options.signal.addEventListener('abort', stop, { once: true });
  try {
    const watching = Promise.all(
      followed.map(async (target) => {
        let since = target.since;
        let readAgainOnOpen = false;
        while (!stopAll.signal.aborted) {
          try {
            for await (const change of watch(target.namespaceId, {
              prefix: target.prefix,
              since,
              signal: stopAll.signal,
              onReconnect: options.onReconnect,
              onOpen: () => {
                if (readAgainOnOpen) burst.add(null);
                readAgainOnOpen = false;
              },
            })) {
              since = change.revision;
              burst.add(change);
            }
            // Finished: the namespace was deleted, after its event; or the signal aborted.
            return;
          } catch (error) {
            if (!(error instanceof KvRevisionCompactedError)) throw error;
            options.onRestart?.(target.namespaceId, error);
            since = undefined;
            readAgainOnOpen = true;
          }
        }
      }),
    );
    await Promise.race([watching, burst.failure]);
  } catch (error) {
    stopAll.abort();
    throw error;
  } finally {
    options.signal.removeEventListener('abort', stop);
    await burst.close();
  }
}

/** Collects changes, and runs `onChange` once they have been quiet for `debounceMs`, one run at a time. */
class Burst {
  private changes: ChangeEvent[] = [];
  private due = false;
  private closed = false;
  /** Runs that failed transiently in a row: each waits twice as long as the one before. */
  private failures = 0;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private fail: (error: unknown) => void = () => undefined;
  /** Rejects with the first failure of `onChange` that is not transient. */
  readonly failure = new Promise<never>((_, reject) => (this.fail = reject));

  constructor(private readonly options: FollowOptions) {
    // Awaited in a race that may be over before it rejects.
    this.failure.catch(() => undefined);
  }

  /** A change, or `null` for "read again" with no change to tell of. */
  add(change: ChangeEvent | null): void {
    if (this.closed) return;
    if (change !== null) this.changes.push(change);
    this.due = true;
    // A run waiting out a failure's backoff keeps its wait: more changes do not make it sooner.
    if (this.failures === 0) this.arm(this.options.debounceMs);
  }

  /** No run starts from now on; waits for the run in progress, if any. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    while (this.running !== undefined) await this.running;
  }

  private arm(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.run();
    }, delayMs);
  }

  private run(): void {
    if (this.running !== undefined || !this.due || this.closed || this.options.signal.aborted) return;
    const changes = this.changes;
    this.changes = [];
    this.due = false;
    this.running = this.options.onChange(changes).then(
      () => {
        this.running = undefined;
        this.failures = 0;
        // Changes that came during the run, once quiet for their own debounce, run now.
        if (this.due && this.timer === undefined) this.run();
      },
      (error: unknown) => {
        this.running = undefined;
        if (!isTransientFailure(error)) return this.fail(error);
        // What this run was to act on is still to be acted on, with whatever came meanwhile.
        this.changes = [...changes, ...this.changes];
        this.due = true;
        this.failures += 1;
        const delayMs = Math.min(MAX_RETRY_DELAY_MS, this.options.debounceMs * 2 ** this.failures);
        this.options.onRetry?.(error, delayMs);
        if (!this.closed) this.arm(delayMs);
      },
    );
  }
}
