import { durableQueueOptions } from './queue-types';

describe('durableQueueOptions', () => {
  it('declares a classic queue as before the setting existed, whatever only a quorum queue would take', () => {
    expect(durableQueueOptions('classic', { 'x-overflow': 'reject-publish' })).toEqual({ durable: true });
  });

  it('declares a quorum queue by its type, with the arguments only it takes', () => {
    expect(durableQueueOptions('quorum')).toEqual({ durable: true, arguments: { 'x-queue-type': 'quorum' } });
    expect(durableQueueOptions('quorum', { 'x-overflow': 'reject-publish' })).toEqual({
      durable: true,
      arguments: { 'x-queue-type': 'quorum', 'x-overflow': 'reject-publish' },
    });
  });
});
