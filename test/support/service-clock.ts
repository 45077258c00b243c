/**
 * Runs `work` with this process's clock (`Date`, and Intl's formatting of "now") set `offsetMs` away from
 * the real one, as on a host whose clock drifted from the database's; timers keep real time. Specs that
 * use it also restore the real clock after each test, should `work` outlive its test's timeout.
 */
export async function withServiceClockOffset<T>(offsetMs: number, work: () => Promise<T>): Promise<T> {
  jest.useFakeTimers({
    now: Date.now() + offsetMs,
    advanceTimers: true,
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'requestAnimationFrame',
      'cancelAnimationFrame',
      'requestIdleCallback',
      'cancelIdleCallback',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
  });
  try {
    return await work();
  } finally {
    jest.useRealTimers();
  }
}
