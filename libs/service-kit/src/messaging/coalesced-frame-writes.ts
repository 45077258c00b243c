import { Logger } from '@nestjs/common';
import type { Writable } from 'node:stream';

/** The part of amqplib's (internal) Mux this relies on: the loop that writes queued frames to the socket. */
interface MuxPrototype {
  _readIncoming(this: { out: Writable }): void;
}

const COALESCED = Symbol.for('kv-service.coalescedFrameWrites');

function muxPrototype(): (MuxPrototype & { [COALESCED]?: true }) | undefined {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- amqplib ships no types for its internals
  const prototype = (require('amqplib/lib/mux') as { Mux?: { prototype?: MuxPrototype } }).Mux?.prototype;
  return typeof prototype?._readIncoming === 'function' ? prototype : undefined;
}

/**
 * Patches amqplib's private Mux: it writes each queued frame with its own `write`, with noDelay a syscall and a TCP segment
 * each; corked around that loop, a turn's frames leave in one `writev`, in the same order and with the same back-pressure
 * (measured: docs/benchmark.md). amqplib is pinned (package.json): should an upgrade move these internals, the process warns
 * and runs uncoalesced, and the spec (with and without the patch) fails. Idempotent; call before the first connection.
 */
export function coalesceBrokerFrameWrites(): void {
  const prototype = muxPrototype();
  if (prototype === undefined) {
    new Logger('coalesceBrokerFrameWrites').warn(
      'amqplib has no Mux.prototype._readIncoming any more: broker frames go out one write each',
    );
    return;
  }
  if (prototype[COALESCED]) return;
  const writeQueuedFrames = prototype._readIncoming;
  prototype._readIncoming = function (this: { out: Writable }) {
    this.out.cork();
    try {
      writeQueuedFrames.call(this);
    } finally {
      this.out.uncork();
    }
  };
  prototype[COALESCED] = true;
}
