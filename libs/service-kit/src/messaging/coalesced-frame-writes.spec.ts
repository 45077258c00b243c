import { PassThrough, Writable } from 'node:stream';
import { coalesceBrokerFrameWrites } from './coalesced-frame-writes';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- amqplib ships no types for its internals
const { Mux } = require('amqplib/lib/mux') as { Mux: new (out: Writable) => { pipeFrom(readable: PassThrough): void } };

/** A socket stand-in that records how many frames each of its writes carried. */
function recordingSocket(): { socket: Writable; writes: number[]; bytes: () => string } {
  const writes: number[] = [];
  const received: Buffer[] = [];
  const socket = new Writable({
    write(chunk: Buffer, _encoding, done) {
      writes.push(1);
      received.push(chunk);
      done();
    },
    writev(chunks, done) {
      writes.push(chunks.length);
      received.push(...chunks.map(({ chunk }) => chunk as Buffer));
      done();
    },
  });
  return { socket, writes, bytes: () => Buffer.concat(received).toString() };
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('coalesceBrokerFrameWrites', () => {
  it('finds the amqplib internals it patches (an upgrade that moves them must update it)', () => {
    expect(typeof (Mux.prototype as unknown as Record<string, unknown>)._readIncoming).toBe('function');
  });

  // Before the patch is installed (tests run in order): if amqplib ever batches on its own, the patch is
  // no longer needed and this says so.
  it('without it, amqplib writes each queued frame on its own: what the patch is for', async () => {
    const { socket, writes, bytes } = recordingSocket();
    const mux = new Mux(socket);
    const channel = new PassThrough({ objectMode: true });
    mux.pipeFrom(channel);
    for (let i = 0; i < 5; i += 1) channel.write(Buffer.from(`a${i};`));
    await nextTurn();
    await nextTurn();
    expect(writes).toEqual([1, 1, 1, 1, 1]);
    expect(bytes()).toBe('a0;a1;a2;a3;a4;');
  });

  it('sends the frames amqplib queued in one turn, from every channel, in one write and in order', async () => {
    coalesceBrokerFrameWrites();
    coalesceBrokerFrameWrites();
    const { socket, writes, bytes } = recordingSocket();
    const mux = new Mux(socket);
    const [first, second] = [new PassThrough({ objectMode: true }), new PassThrough({ objectMode: true })];
    mux.pipeFrom(first);
    mux.pipeFrom(second);
    for (let i = 0; i < 10; i += 1) first.write(Buffer.from(`a${i};`));
    second.write(Buffer.from('b0;'));
    await nextTurn();
    await nextTurn();
    expect(writes).toEqual([11]);
    expect(bytes()).toBe('a0;b0;a1;a2;a3;a4;a5;a6;a7;a8;a9;');
  });
});
