export interface RetryOptions {
  /** Attempts in all, the first included; 1 never retries. Default 4. */
  attempts?: number;
  /** The first backoff; each further one doubles. Default 200 ms. */
  baseDelayMs?: number;
  /** No backoff, nor any Retry-After, waits longer than this. Default 10 s. */
  maxDelayMs?: number;
}

/** Only these answers say "try again later"; any other 4xx would fail the same way again. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 503]);

/**
 * How long to wait before retry number `retry` (1 for the first): the server's Retry-After when it
 * gave one, else exponential backoff with full jitter (a random wait up to the doubled delay), so
 * that many clients turned away together do not come back together.
 */
export function retryDelayMs(
  retry: number,
  retryAfter: string | null,
  options: Required<RetryOptions>,
  random: () => number = Math.random,
  now: () => number = Date.now,
): number {
  const serverDelay = retryAfterMs(retryAfter, now);
  if (serverDelay !== null) return Math.min(serverDelay, options.maxDelayMs);
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (retry - 1));
  return Math.round(random() * ceiling);
}

/** Retry-After is either seconds or an HTTP date. */
export function retryAfterMs(header: string | null, now: () => number = Date.now): number | null {
  if (header === null || header.trim() === '') return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - now());
}
