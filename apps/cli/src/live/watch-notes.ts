/** The lines kv tells on standard error while it follows a namespace: what failed and what it does next, never a value. */
import { failureOf } from '../failure';

/** A watch whose connection failed, opened again from `since`. */
export function reconnectNote(attempt: number, error: unknown, since: string | undefined): string {
  return `the watch's connection failed (${failureOf(error).message}); reconnecting (attempt ${attempt}) from revision ${since ?? 'now'}`;
}

/** A re-read the gateway failed, tried again after `delayMs`: the changes it was for are still to be acted on. */
export function retryNote(error: unknown, delayMs: number): string {
  const seconds = delayMs < 1000 ? `${delayMs} ms` : `${Math.round(delayMs / 100) / 10} s`;
  return `reading the entries again failed (${failureOf(error).message}); trying again in ${seconds}`;
}
