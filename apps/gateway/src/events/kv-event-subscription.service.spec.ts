import { EventEmitter } from 'node:events';
import type { ConfigService } from '@nestjs/config';
import { KvEventType } from '@app/contracts';
import type { ConsumeMessage } from 'amqplib';
import type { GatewayEnv } from '../config/gateway.env';
import { EntryCache, ReadEntry } from '../entries/entry-cache';
import type { ChangeFeeds } from '../watch/change-feeds.service';
import type { NamespaceDirectory } from '../namespaces/namespace-directory.service';
import { KvEventSubscription, RESUBSCRIBE_DELAY_MS } from './kv-event-subscription.service';
import { SAMPLE_NS as NS, anEntry } from '../../../../test/support/samples';

const ANY_AGE = 60_000;

/** Just enough of an amqplib channel: what set-up calls, and the consumer it registers. */
class FakeChannel extends EventEmitter {
  readonly bindings: Array<[exchange: string, pattern: string]> = [];
  /** By queue, in the order they were declared: kv.events's first, then kv.changes's. */
  readonly consumers: Array<(message: ConsumeMessage | null) => void> = [];
  readonly consumeOptions: unknown[] = [];
  assertExchange = jest.fn(async () => ({}));
  private declared = 0;
  assertQueue = jest.fn(async () => ({ queue: `amq.gen-${++this.declared}` }));
  bindQueue = jest.fn(async (_queue: string, exchange: string, pattern: string) => void this.bindings.push([exchange, pattern]));
  consume = jest.fn(async (_queue: string, consumer: (message: ConsumeMessage | null) => void, options: unknown) => {
    this.consumers.push(consumer);
    this.consumeOptions.push(options);
    return { consumerTag: 'tag' };
  });

  get consumer(): ((message: ConsumeMessage | null) => void) | undefined {
    return this.consumers[0];
  }

  deliver(event: object, queue = 0): void {
    this.consumers[queue]?.({
      content: Buffer.from(JSON.stringify(event)),
      fields: { routingKey: 'x' },
      properties: { messageId: 'm' },
    } as unknown as ConsumeMessage);
  }
}

interface Internals {
  setUp(channel: FakeChannel): Promise<void>;
  connection: { reconnect: jest.Mock } | undefined;
}

const entry = (value: string): ReadEntry => ({ ...anEntry({ value }), revision: 1 });

describe('KvEventSubscription', () => {
  let cache: EntryCache;
  let evict: jest.Mock;
  let subscription: Internals;
  let load: jest.Mock<Promise<ReadEntry>, []>;
  let feeds: { ring: jest.Mock; resync: jest.Mock };
  /** Reads `k` twice accepting a copy; how many of the two reached the service. */
  const loadsForTwoReads = async (): Promise<number> => {
    load.mockClear();
    await cache.read(NS, 'k', ANY_AGE, load);
    await cache.read(NS, 'k', ANY_AGE, load);
    return load.mock.calls.length;
  };

  beforeEach(() => {
    cache = new EntryCache({ maxBytes: 1024 * 1024, maxAgeMs: ANY_AGE });
    evict = jest.fn();
    const config = { get: () => 'amqp://unused' } as unknown as ConfigService<GatewayEnv, true>;
    feeds = { ring: jest.fn(), resync: jest.fn() };
    subscription = new KvEventSubscription(
      config,
      { evict } as unknown as NamespaceDirectory,
      cache,
      feeds as unknown as ChangeFeeds,
    ) as unknown as Internals;
    subscription.connection = { reconnect: jest.fn() };
    load = jest.fn(async () => entry('v1'));
  });

  it('binds entry and namespace events, consumes without acknowledgements, and only then serves copies', async () => {
    expect(await loadsForTwoReads()).toBe(2);
    const channel = new FakeChannel();
    await subscription.setUp(channel);
    expect(channel.bindings).toEqual([
      ['kv.events', 'kv.entry.*'],
      ['kv.events', 'kv.namespace.*'],
      ['kv.changes', ''],
    ]);
    expect(channel.consumeOptions).toEqual([{ noAck: true }, { noAck: true }]);
    expect(await loadsForTwoReads()).toBe(1);
  });

  it('passes kv.changes doorbells to the watch feeds, and has them read the logs once subscribed (doorbells were missed)', async () => {
    const channel = new FakeChannel();
    await subscription.setUp(channel);
    expect(feeds.resync).toHaveBeenCalledTimes(1);
    channel.deliver({ source: 'kv-entry', revision: 7 }, 1);
    expect(feeds.ring).toHaveBeenCalledWith(Buffer.from(JSON.stringify({ source: 'kv-entry', revision: 7 })));
  });

  it('evicts what events name', async () => {
    const channel = new FakeChannel();
    await subscription.setUp(channel);
    await loadsForTwoReads();
    channel.deliver({ type: KvEventType.ENTRY_UPDATED, namespaceId: NS, keyPath: 'k' });
    channel.deliver({ type: KvEventType.NAMESPACE_UPDATED, namespaceId: NS, keyPath: null });
    expect(await loadsForTwoReads()).toBe(1);
    expect(evict).toHaveBeenCalledWith(NS);
  });

  it('stops serving copies when its channel closes, and starts empty on the next set-up', async () => {
    const first = new FakeChannel();
    await subscription.setUp(first);
    await loadsForTwoReads();
    first.emit('close');
    expect(await loadsForTwoReads()).toBe(2);
    await subscription.setUp(new FakeChannel());
    expect(await loadsForTwoReads()).toBe(1);
  });

  it('ignores a late close of a channel it no longer consumes on', async () => {
    const old = new FakeChannel();
    await subscription.setUp(old);
    await subscription.setUp(new FakeChannel());
    await loadsForTwoReads();
    old.emit('close');
    expect(await loadsForTwoReads()).toBe(0);
  });

  it('when the broker cancels its consumer, stops serving copies and reconnects', async () => {
    const channel = new FakeChannel();
    await subscription.setUp(channel);
    await loadsForTwoReads();
    channel.consumer?.(null);
    expect(subscription.connection?.reconnect).toHaveBeenCalled();
    expect(await loadsForTwoReads()).toBe(2);
  });

  it('after a set-up that failed with the connection up, subscribes again on a new connection, later', async () => {
    jest.useFakeTimers();
    try {
      const refused = new FakeChannel();
      refused.bindQueue.mockRejectedValueOnce(new Error('ACCESS_REFUSED'));
      await expect(subscription.setUp(refused)).rejects.toThrow('ACCESS_REFUSED');
      expect(await loadsForTwoReads()).toBe(2);
      jest.advanceTimersByTime(RESUBSCRIBE_DELAY_MS - 1);
      expect(subscription.connection!.reconnect).not.toHaveBeenCalled();
      jest.advanceTimersByTime(1);
      expect(subscription.connection!.reconnect).toHaveBeenCalledTimes(1);

      // A set-up that succeeds meanwhile (the connection came back by itself) cancels the pending retry.
      const again = new FakeChannel();
      again.bindQueue.mockRejectedValueOnce(new Error('connection closed'));
      await expect(subscription.setUp(again)).rejects.toThrow();
      await subscription.setUp(new FakeChannel());
      jest.advanceTimersByTime(RESUBSCRIBE_DELAY_MS);
      expect(subscription.connection!.reconnect).toHaveBeenCalledTimes(1);
      expect(await loadsForTwoReads()).toBe(1);
    } finally {
      jest.useRealTimers();
    }
  });

  it('does not reconnect after closing, even for a set-up that fails while it closes, and never throws from its timer', async () => {
    jest.useFakeTimers();
    try {
      const connection = Object.assign(subscription.connection!, { close: jest.fn(async () => undefined) });
      connection.reconnect.mockImplementation(() => {
        throw new Error('cannot reconnect after close');
      });
      const failing = new FakeChannel();
      failing.bindQueue.mockRejectedValueOnce(new Error('Channel ended'));
      await expect(subscription.setUp(failing)).rejects.toThrow();
      // Armed before closing: the timer's reconnect throws, and is logged instead.
      expect(() => jest.advanceTimersByTime(RESUBSCRIBE_DELAY_MS)).not.toThrow();
      expect(connection.reconnect).toHaveBeenCalledTimes(1);

      await (subscription as unknown as KvEventSubscription).onModuleDestroy();
      const late = new FakeChannel();
      late.bindQueue.mockRejectedValueOnce(new Error('Channel ended'));
      await expect(subscription.setUp(late)).rejects.toThrow();
      jest.advanceTimersByTime(RESUBSCRIBE_DELAY_MS);
      expect(connection.reconnect).toHaveBeenCalledTimes(1);
    } finally {
      jest.useRealTimers();
    }
  });
});
