import { randomUUID } from 'node:crypto';
import { ApiResponse, CallOptions, call } from './api';

/** One call of a workload: what was asked, under which request id, and what came back. */
export interface WorkloadCall {
  requestId: string;
  method: string;
  path: string;
  status: number;
  body: any;
  /** When the call was sent and answered (ms since the epoch): which calls a moment of the test fell into. */
  startedAt: number;
  endedAt: number;
}

/**
 * Runs `workers` loops, each calling `next(worker, i)` one request after another until `stop()` says so,
 * and keeps every call with its own `x-request-id`, so that each can be found in the audit trail.
 * Transport errors (the gateway answering nothing) count as status 0.
 */
export async function runWorkload(
  workers: number,
  next: (worker: number, index: number) => { method: string; path: string; options: CallOptions },
  stop: () => boolean,
): Promise<WorkloadCall[]> {
  const calls: WorkloadCall[] = [];
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      for (let index = 0; !stop(); index++) {
        const { method, path, options } = next(worker, index);
        const requestId = randomUUID();
        const startedAt = Date.now();
        let response: ApiResponse | undefined;
        try {
          response = await call(method, path, { ...options, headers: { ...options.headers, 'x-request-id': requestId } });
        } catch {
          response = undefined;
        }
        calls.push({ requestId, method, path, status: response?.status ?? 0, body: response?.body, startedAt, endedAt: Date.now() });
      }
    }),
  );
  return calls;
}

export const acknowledged = (calls: readonly WorkloadCall[]): WorkloadCall[] => calls.filter((c) => c.status >= 200 && c.status < 300);

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it holds or `timeoutMs` passes; returns whether it held. */
export async function eventually(check: () => Promise<boolean>, timeoutMs: number, intervalMs = 200): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await sleep(intervalMs);
  }
}
