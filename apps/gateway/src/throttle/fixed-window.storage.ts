import type { ThrottlerStorage } from '@nestjs/throttler';

interface Window {
  hits: number;
  resetsAt: number;
  blockedUntil: number;
}

/** Seconds until `at`, rounded up, never negative: what the guard puts in `Retry-After`. */
const secondsUntil = (at: number, now: number): number => Math.max(0, Math.ceil((at - now) / 1000));

/**
 * Rate-limit counters in fixed windows, a map lookup and an addition per request: the throttler's own storage keeps a
 * timestamp per request and scans them all on each (measured: docs/benchmark.md). A client may spend up to twice the limit
 * across a window boundary, the accepted trade for a guard against runaway clients.
 */
export class FixedWindowThrottlerStorage implements ThrottlerStorage {
  private readonly windows = new Map<string, Window>();
  private nextSweepAt = 0;

  constructor(private readonly now: () => number = Date.now) {}

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string) {
    const now = this.now();
    this.sweep(now);
    const id = `${throttlerName}:${key}`;
    let window = this.windows.get(id);
    if (window === undefined || (now >= window.resetsAt && now >= window.blockedUntil)) {
      window = { hits: 0, resetsAt: now + ttl, blockedUntil: 0 };
      this.windows.set(id, window);
    }
    if (now >= window.resetsAt) Object.assign(window, { hits: 0, resetsAt: now + ttl });
    const blocked = now < window.blockedUntil;
    if (!blocked) {
      window.hits += 1;
      if (window.hits > limit) window.blockedUntil = now + (blockDuration > 0 ? blockDuration : window.resetsAt - now);
    }
    const isBlocked = now < window.blockedUntil;
    return {
      totalHits: window.hits,
      timeToExpire: secondsUntil(window.resetsAt, now),
      isBlocked,
      timeToBlockExpire: isBlocked ? secondsUntil(window.blockedUntil, now) : 0,
    };
  }

  /** Forgets windows that are over, at most once a second, so that idle principals cost no memory. */
  private sweep(now: number): void {
    if (now < this.nextSweepAt) return;
    this.nextSweepAt = now + 1000;
    for (const [id, window] of this.windows) if (now >= window.resetsAt && now >= window.blockedUntil) this.windows.delete(id);
  }
}
