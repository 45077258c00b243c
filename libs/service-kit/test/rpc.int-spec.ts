import { Catch, Controller, INestMicroservice, Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ErrorCode, KvException } from '@app/contracts';
import {
  BrokerUnavailableError,
  DIRECT_REPLY_TO,
  IncompatibleReplyError,
  currentRequestId,
  decodeOutcome,
  RpcClient,
  RpcErrorFilter,
  RpcTimeoutError,
  ServiceRpcServer,
  connectToBroker,
  durableQueueOptions,
} from '@app/service-kit';
import amqplib from 'amqplib';
import { Registry } from 'prom-client';
import { createTestVhost, queueDepth, TestVhost } from '../../../test/support/rabbitmq-vhost';
import { TcpProxy } from '../../../test/support/tcp-proxy';

const QUEUE = 'rpc-test';
const PREFETCH = 2;
const TIMEOUT_MS = 1500;

/** What the handlers saw: how many were being handled at once, at most; the request id the filter saw. */
const seen = { handling: 0, mostAtOnce: 0, filterRequestId: undefined as string | undefined };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

@Controller()
class TestHandlers {
  @MessagePattern('test.echo')
  echo(@Payload() payload: { value: unknown }) {
    return { echoed: payload.value };
  }

  @MessagePattern('test.nothing')
  nothing(): void {}

  @MessagePattern('test.refuse')
  refuse(): never {
    throw new KvException(ErrorCode.ENTRY_NOT_FOUND, 'entry not found');
  }

  @MessagePattern('test.request-id')
  async requestId() {
    await sleep(5);
    return { requestId: currentRequestId() ?? null };
  }

  @MessagePattern('test.bug')
  async bug(): Promise<never> {
    await sleep(5);
    throw new TypeError('a bug');
  }

  @MessagePattern('test.slow')
  async slow(@Payload() payload: { ms: number }) {
    seen.handling += 1;
    seen.mostAtOnce = Math.max(seen.mostAtOnce, seen.handling);
    await sleep(payload.ms);
    seen.handling -= 1;
    return { slept: payload.ms };
  }
}

@Module({ controllers: [TestHandlers] })
class TestHandlersModule {}

/** The services' filter, noting the request id current where it runs (its log lines name it). */
@Catch()
class RequestIdNotingFilter extends RpcErrorFilter {
  override catch(exception: unknown) {
    seen.filterRequestId = currentRequestId();
    return super.catch(exception);
  }
}

async function handledCount(registry: Registry, labels: { pattern: string; outcome: string }): Promise<number> {
  const metric = await registry.getSingleMetric('kv_rpc_handling_seconds')!.get();
  const sample = metric.values.find(
    (value) =>
      (value as { metricName?: string }).metricName === 'kv_rpc_handling_seconds_count' &&
      value.labels.pattern === labels.pattern &&
      value.labels.outcome === labels.outcome,
  );
  return sample?.value ?? 0;
}

/** Polls `probe` until it holds (a reconnection takes about a second). */
async function eventually(probe: () => Promise<boolean> | boolean, what: string, limitMs = 15_000): Promise<void> {
  for (const started = Date.now(); Date.now() - started < limitMs; await sleep(50)) if (await probe()) return;
  throw new Error(`never: ${what}`);
}

/** RpcClient and ServiceRpcServer against the real broker, on a vhost of this run; the client through a proxy it can be cut off by. */
describe('request/reply over RabbitMQ (RpcClient, ServiceRpcServer)', () => {
  let vhost: TestVhost;
  let proxy: TcpProxy;
  let server: INestMicroservice;
  let listener: ServiceRpcServer;
  let client: RpcClient;
  let clientConnection: ReturnType<typeof connectToBroker>;
  const registry = new Registry();

  beforeAll(async () => {
    vhost = createTestVhost('kv_rpc');
    listener = new ServiceRpcServer({
      url: vhost.url,
      queue: QUEUE,
      queueType: 'classic',
      prefetchCount: PREFETCH,
      consumerTag: 'rpc-test',
      registry,
    });
    server = await NestFactory.createMicroservice(TestHandlersModule, {
      strategy: listener,
      logger: false,
    });
    server.useGlobalFilters(new RequestIdNotingFilter());
    await server.listen();
    const url = new URL(vhost.url);
    proxy = await TcpProxy.start(url.hostname, Number(url.port || 5672));
    url.host = `127.0.0.1:${proxy.port}`;
    clientConnection = connectToBroker(url.toString(), new Logger('rpc-test-client'));
    client = new RpcClient(clientConnection, { queue: QUEUE, queueOptions: durableQueueOptions('classic'), timeoutMs: TIMEOUT_MS });
    await client.open();
  });

  afterAll(async () => {
    await client?.close();
    await clientConnection?.close();
    await server?.close();
    await proxy?.close();
    vhost?.delete();
  });

  it("answers with the handler's value, nothing for none, and the service's { code, message } for a refusal", async () => {
    await expect(client.request('test.echo', { value: { nested: ['ü', 1] } })).resolves.toEqual({ echoed: { nested: ['ü', 1] } });
    await expect(client.request('test.nothing', {})).resolves.toBeUndefined();
    await expect(client.request('test.refuse', {})).rejects.toEqual({ code: ErrorCode.ENTRY_NOT_FOUND, message: 'entry not found' });
  });

  it("makes the message's request id current for its handler, what it awaits and the filters after it", async () => {
    await expect(client.request('test.request-id', { requestId: 'req-42' })).resolves.toEqual({ requestId: 'req-42' });
    await expect(client.request('test.request-id', {})).resolves.toEqual({ requestId: null });
    seen.filterRequestId = undefined;
    await expect(client.request('test.bug', { requestId: 'req-43' })).rejects.toMatchObject({ code: ErrorCode.INTERNAL_ERROR });
    expect(seen.filterRequestId).toBe('req-43');
  });

  it("refuses a message past its caller's deadline without handling it", async () => {
    seen.mostAtOnce = 0;
    await expect(client.request('test.slow', { ms: 1, deadline: Date.now() - 1 })).rejects.toMatchObject({
      code: ErrorCode.SERVICE_TIMEOUT,
      message: 'test.slow arrived after its caller stopped waiting; it was not applied',
    });
    expect(seen.mostAtOnce).toBe(0);
  });

  it('counts each message by pattern and by the code its caller is answered with, an unknown pattern under one label', async () => {
    const before = {
      ok: await handledCount(registry, { pattern: 'test.echo', outcome: 'ok' }),
      refused: await handledCount(registry, { pattern: 'test.refuse', outcome: ErrorCode.ENTRY_NOT_FOUND }),
      bug: await handledCount(registry, { pattern: 'test.bug', outcome: ErrorCode.INTERNAL_ERROR }),
      unknown: await handledCount(registry, { pattern: '(unknown)', outcome: ErrorCode.VALIDATION_FAILED }),
    };
    await client.request('test.echo', { value: 1 });
    await client.request('test.refuse', {}).catch(() => undefined);
    await client.request('test.bug', {}).catch(() => undefined);
    await client.request('test.made-up-pattern', {}).catch(() => undefined);
    expect(await handledCount(registry, { pattern: 'test.echo', outcome: 'ok' })).toBe(before.ok + 1);
    expect(await handledCount(registry, { pattern: 'test.refuse', outcome: ErrorCode.ENTRY_NOT_FOUND })).toBe(before.refused + 1);
    expect(await handledCount(registry, { pattern: 'test.bug', outcome: ErrorCode.INTERNAL_ERROR })).toBe(before.bug + 1);
    expect(await handledCount(registry, { pattern: '(unknown)', outcome: ErrorCode.VALIDATION_FAILED })).toBe(before.unknown + 1);
    expect(await handledCount(registry, { pattern: 'test.made-up-pattern', outcome: ErrorCode.VALIDATION_FAILED })).toBe(0);
  });

  it('keeps concurrent calls apart by their correlation', async () => {
    const values = Array.from({ length: 50 }, (_, i) => `value-${i}`);
    await expect(Promise.all(values.map((value) => client.request('test.echo', { value })))).resolves.toEqual(
      values.map((value) => ({ echoed: value })),
    );
  });

  it('handles at most the prefetch at once, and acknowledges each once handled', async () => {
    seen.mostAtOnce = 0;
    await Promise.all(Array.from({ length: 6 }, () => client.request('test.slow', { ms: 100 })));
    expect(seen.mostAtOnce).toBe(PREFETCH);
    expect(queueDepth(vhost.url, QUEUE)).toBe(0);
  });

  it('refuses a message of an unknown pattern or not JSON with VALIDATION_FAILED, and does not leave it in the queue', async () => {
    await expect(client.request('test.no-such-pattern', {})).rejects.toMatchObject({ code: ErrorCode.VALIDATION_FAILED });
    // A caller that is not RpcClient: a body that is no JSON object.
    const connection = await amqplib.connect(vhost.url);
    try {
      const channel = await connection.createChannel();
      const reply = new Promise<unknown>(
        (resolve) =>
          void channel.consume(DIRECT_REPLY_TO, (message) => resolve(message && decodeOutcome(message.content)), { noAck: true }),
      );
      channel.sendToQueue(QUEUE, Buffer.from('{"truncated'), { type: 'test.echo', replyTo: DIRECT_REPLY_TO, correlationId: 'x' });
      await expect(reply).resolves.toEqual({ error: { code: ErrorCode.VALIDATION_FAILED, message: 'request is not a JSON object' } });
    } finally {
      await connection.close();
    }
    await eventually(() => queueDepth(vhost.url, QUEUE) === 0, 'the refused messages acknowledged');
  });

  it('handles and acknowledges a request without a reply-to, and refuses one without a pattern', async () => {
    const connection = await amqplib.connect(vhost.url);
    try {
      const channel = await connection.createChannel();
      seen.mostAtOnce = 0;
      channel.sendToQueue(QUEUE, Buffer.from(JSON.stringify({ ms: 1 })), { type: 'test.slow' });
      await eventually(() => seen.mostAtOnce === 1, 'the request without a reply-to handled');
      const reply = new Promise<unknown>(
        (resolve) =>
          void channel.consume(DIRECT_REPLY_TO, (message) => resolve(message && decodeOutcome(message.content)), { noAck: true }),
      );
      channel.sendToQueue(QUEUE, Buffer.from('{}'), { replyTo: DIRECT_REPLY_TO, correlationId: 'y' });
      await expect(reply).resolves.toEqual({ error: { code: ErrorCode.VALIDATION_FAILED, message: 'no handler for pattern undefined' } });
    } finally {
      await connection.close();
    }
    await eventually(() => queueDepth(vhost.url, QUEUE) === 0, 'both acknowledged');
  });

  it('takes a reply of another protocol (an older service) for one, not for a reply of nothing', async () => {
    const impostorQueue = 'rpc-test-impostor';
    const impostor = new RpcClient(clientConnection, {
      queue: impostorQueue,
      queueOptions: durableQueueOptions('classic'),
      timeoutMs: TIMEOUT_MS,
    });
    await impostor.open();
    const connection = await amqplib.connect(vhost.url);
    try {
      const channel = await connection.createChannel();
      // As Nest's ServerRMQ answered a pattern it did not know.
      await channel.consume(impostorQueue, (message) => {
        if (message === null) return;
        channel.sendToQueue(message.properties.replyTo as string, Buffer.from('{"err":"no handler","status":"error"}'), {
          correlationId: message.properties.correlationId as string,
        });
        channel.ack(message);
      });
      await expect(impostor.request('test.echo', { value: 1 })).rejects.toBeInstanceOf(IncompatibleReplyError);
    } finally {
      await impostor.close();
      await connection.close();
    }
  });

  it('gives up after its time with RpcTimeoutError, and drops the late reply', async () => {
    const started = Date.now();
    await expect(client.request('test.slow', { ms: TIMEOUT_MS + 300 })).rejects.toBeInstanceOf(RpcTimeoutError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(TIMEOUT_MS);
    await sleep(500);
    await expect(client.request('test.echo', { value: 'after' })).resolves.toEqual({ echoed: 'after' });
  });

  it('lets a request nobody takes in time expire in the queue instead of being handled later', async () => {
    const idle = new RpcClient(clientConnection, { queue: 'rpc-test-idle', queueOptions: durableQueueOptions('classic'), timeoutMs: 300 });
    await idle.open();
    try {
      await expect(idle.request('test.echo', { value: 'late' })).rejects.toBeInstanceOf(RpcTimeoutError);
      await eventually(() => queueDepth(vhost.url, 'rpc-test-idle') === 0, 'the expired request dropped by the broker');
    } finally {
      await idle.close();
    }
  });

  it('fails the calls in flight and new ones at once while the broker is away, and works again once it is back', async () => {
    const inFlight = client.request('test.slow', { ms: 1000 });
    await sleep(100);
    proxy.cut();
    await expect(inFlight).rejects.toBeInstanceOf(BrokerUnavailableError);
    await eventually(() => !client.connected, 'the client noticing the lost connection');
    const started = Date.now();
    await expect(client.request('test.echo', { value: 'away' })).rejects.toBeInstanceOf(BrokerUnavailableError);
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS);
    proxy.restore();
    await eventually(() => client.connected, 'the client reconnected');
    await expect(client.request('test.echo', { value: 'back' })).resolves.toEqual({ echoed: 'back' });
  });

  // Last: the listener stops for good.
  it('on drain, answers the messages in hand and takes no more, and reports its link down', async () => {
    expect(listener.connected).toBe(true);
    const inHand = client.request('test.slow', { ms: 500 });
    await eventually(() => seen.handling === 1, 'the slow request in hand');
    await listener.drain();
    // Readiness goes down as the instance stops: it takes no more requests.
    expect(listener.connected).toBe(false);
    await expect(inHand).resolves.toEqual({ slept: 500 });
    await expect(client.request('test.echo', { value: 'after drain' })).rejects.toBeInstanceOf(RpcTimeoutError);
  });
});
