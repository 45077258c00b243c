/** The lines kv tells on standard error while it follows a namespace: what failed and what it does next, never a value. */
import type { WatchOptions } from '@kv-service/client';
import { failureOf } from '../failure';

/** What the client's watch tells of a reconnection. */
type Reconnection = Parameters<NonNullable<WatchOptions['onReconnect']>>[0];

/** A watch whose connection failed, opened again from `since`. */
export function reconnectNote({ attempt, error, since }: Reconnection): string {
  return `the watch's connection failed (${failureOf(error).message}); reconnecting (attempt ${attempt}) from revision ${since ?? 'now'}`;
}

/** A re-read the gateway failed, tried again after `delayMs`: the changes it was for are still to be acted on. */
export function retryNote(error: unknown, delayMs: number): string {
  const seconds = delayMs < 1000 ? `${delayMs} ms` : `${Math.round(delayMs / 100) / 10} s`;
  return `reading the entries again failed (${failureOf(error).message}); trying again in ${seconds}`;
}
