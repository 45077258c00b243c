/** What the ticker keeps going for an open watch: its heartbeat, and its end once its token expired. */
export interface TickedWatch {
  /** When the watch's token expires (ms since the epoch). */
  readonly expiresAt: number;
  heartbeat(): void;
  expire(): void;
}

/**
 * How often the ticker looks for expired tokens: a token's `exp` is in whole seconds, so a watch ends within a second
 * after its token stopped being valid (never before), as a finer tick would not make it any more exact.
 */
export const EXPIRY_TICK_MS = 1000;

/**
 * The timers of every open watch of this gateway: one interval sends each its heartbeat, another ends each whose token
 * expired. Two timers in all rather than two a watch. Each expiry tick looks at every watch: a few microseconds a
 * second at KV_WATCH_MAX_PER_GATEWAY's scale, and nothing kept per watch but its place in the set.
 */
export class WatchTicker {
  private readonly watches = new Set<TickedWatch>();
  private timers: NodeJS.Timeout[] = [];

  constructor(private readonly heartbeatMs: number) {}

  /**
   * Made at start-up rather than by the first watch: a timer keeps the async context it was made in (nestjs-pino's
   * AsyncLocalStorage, with that request's logger), and no request is to stay in memory for as long as the timer.
   */
  start(): void {
    this.timers = [
      setInterval(() => this.beat(), this.heartbeatMs).unref(),
      setInterval(() => this.expire(Date.now()), EXPIRY_TICK_MS).unref(),
    ];
  }

  stop(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
  }

  add(watch: TickedWatch): void {
    this.watches.add(watch);
  }

  delete(watch: TickedWatch): void {
    this.watches.delete(watch);
  }

  /** Every watch's heartbeat: its first comes within an interval of its opening, the next an interval later. */
  beat(): void {
    for (const watch of this.watches) watch.heartbeat();
  }

  /** Ends every watch whose token expired by `now` (each removes itself as it ends, which the set's iteration allows). */
  expire(now: number): void {
    for (const watch of this.watches) if (watch.expiresAt <= now) watch.expire();
  }
}
