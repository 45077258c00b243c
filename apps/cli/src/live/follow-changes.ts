import { KvRevisionCompactedError, type ChangeEvent, type KvClient, type WatchOptions } from '@kv-service/client';

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
   * rejection ends the following with it.
   */
  onChange: (changes: ChangeEvent[]) => Promise<void>;
  /** Told when a watch could not go on from its point and went on from now: `onChange` re-reads after it. */
  onRestart?: (namespaceId: string, error: unknown) => void;
  onReconnect?: WatchOptions['onReconnect'];
}

type Watch = Pick<KvClient, 'watch'>['watch'];

/**
 * Follows every `followed` namespace until `signal` aborts, running `onChange` once per burst of changes. A point
 * the change log no longer holds (410) is followed on from now, with a run of `onChange` to read again. Rejects with
 * any other failure of a watch (an expired token, a namespace gone) or of `onChange`; resolves once every watch has
 * finished (its namespace deleted) or the signal aborts.
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
        while (!stopAll.signal.aborted) {
          try {
            for await (const change of watch(target.namespaceId, {
              prefix: target.prefix,
              since,
              signal: stopAll.signal,
              onReconnect: options.onReconnect,
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
            burst.add(null);
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
    await burst.settled();
  }
}

/** Collects changes, and runs `onChange` once they have been quiet for `debounceMs`, one run at a time. */
class Burst {
  private changes: ChangeEvent[] = [];
  private due = false;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private fail: (error: unknown) => void = () => undefined;
  /** Rejects with the first failure of `onChange`. */
  readonly failure = new Promise<never>((_, reject) => (this.fail = reject));

  constructor(private readonly options: FollowOptions) {
    // Awaited in a race that may be over before it rejects.
    this.failure.catch(() => undefined);
  }

  /** A change, or `null` for "read again" with no change to tell of. */
  add(change: ChangeEvent | null): void {
    if (change !== null) this.changes.push(change);
    this.due = true;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.run();
    }, this.options.debounceMs);
  }

  /** Waits for the run in progress, if any, and drops what was still to come. */
  async settled(): Promise<void> {
    clearTimeout(this.timer);
    await this.running;
  }

  private run(): void {
    if (this.running !== undefined || !this.due || this.options.signal.aborted) return;
    const changes = this.changes;
    this.changes = [];
    this.due = false;
    this.running = this.options.onChange(changes).then(
      () => {
        this.running = undefined;
        // Changes that came during the run, once quiet for their own debounce, run now.
        if (this.due && this.timer === undefined) this.run();
      },
      (error: unknown) => {
        this.running = undefined;
        this.fail(error);
      },
    );
  }
}
