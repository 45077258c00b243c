import { ServiceRmqServer, serviceRmqStrategy } from './service-rmq.server';

describe('ServiceRmqServer', () => {
  const server = () => {
    const { strategy } = serviceRmqStrategy({
      url: 'amqp://127.0.0.1:1',
      queue: 'svc',
      queueType: 'classic',
      prefetchCount: 8,
      consumerTag: 'svc-tag',
    });
    return strategy;
  };

  it('finds the handler of a string pattern without parsing it as JSON', () => {
    const rmq = server();
    const handler = Object.assign(jest.fn(), { isEventHandler: false });
    rmq.addHandler('svc.thing.get', handler);
    const parse = jest.spyOn(JSON, 'parse');
    try {
      expect(rmq.getHandlerByPattern('svc.thing.get')).toBe(handler);
      expect(parse).not.toHaveBeenCalled();
    } finally {
      parse.mockRestore();
    }
  });

  it('still resolves object patterns as Nest does, and answers null for an unknown one', () => {
    const rmq = server();
    const handler = Object.assign(jest.fn(), { isEventHandler: false });
    rmq.addHandler({ cmd: 'sum', role: 'math' }, handler);
    expect(rmq.getHandlerByPattern(JSON.stringify({ role: 'math', cmd: 'sum' }))).toBe(handler);
    expect(rmq.getHandlerByPattern('svc.unknown')).toBeNull();
  });

  it('listens with the services’ options: manual acknowledgement, durable queue, the consumer tag', () => {
    const rmq = server() as unknown as { options: Record<string, unknown> };
    expect(rmq).toBeInstanceOf(ServiceRmqServer);
    expect(rmq.options).toMatchObject({
      queue: 'svc',
      noAck: false,
      prefetchCount: 8,
      consumerTag: 'svc-tag',
      queueOptions: { durable: true },
    });
  });

  it('declares a quorum request queue when told to', () => {
    const { strategy } = serviceRmqStrategy({
      url: 'amqp://127.0.0.1:1',
      queue: 'svc',
      queueType: 'quorum',
      prefetchCount: 8,
      consumerTag: 'svc-tag',
    });
    expect((strategy as unknown as { options: Record<string, unknown> }).options.queueOptions).toEqual({
      durable: true,
      arguments: { 'x-queue-type': 'quorum' },
    });
  });
});
