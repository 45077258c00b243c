import type { ConfigService } from '@nestjs/config';
import type { HttpAdapterHost } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { GatewayEnv } from '../config/gateway.env';
import { RefusedCallLimiter } from './refused-call-limiter';

const from = (ip: string) => ({ ip }) as FastifyRequest;

describe('RefusedCallLimiter', () => {
  const config = { get: (name: string) => ({ KV_REFUSED_RATE_LIMIT_REQUESTS: 3, KV_REFUSED_RATE_LIMIT_WINDOW_SECONDS: 10 })[name] };
  const limiter = () => new RefusedCallLimiter(config as unknown as ConfigService<GatewayEnv, true>, {} as HttpAdapterHost);

  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('lets an address through until it has made the limit of refused calls in a window', () => {
    const refused = limiter();
    for (let i = 0; i < 3; i++) {
      expect(refused.turnsAway('10.0.0.1')).toBeNull();
      refused.recordRefusal(from('10.0.0.1'));
    }
    expect(refused.turnsAway('10.0.0.1')).toEqual({ retryAfterSeconds: 10, first: true });
    jest.advanceTimersByTime(4_500);
    expect(refused.turnsAway('10.0.0.1')).toEqual({ retryAfterSeconds: 6, first: false });
  });

  it('counts an IPv6 /64 as one address', () => {
    const refused = limiter();
    for (const address of ['2001:db8:7:7::1', '2001:db8:7:7::2', '2001:db8:7:7:ffff:1:2:3']) refused.recordRefusal(from(address));
    expect(refused.turnsAway('2001:db8:7:7::/64')).toEqual({ retryAfterSeconds: 10, first: true });
  });

  it('counts each address on its own', () => {
    const refused = limiter();
    for (let i = 0; i < 3; i++) refused.recordRefusal(from('10.0.0.1'));
    expect(refused.turnsAway('10.0.0.2')).toBeNull();
  });

  it('starts afresh once the window is over', () => {
    const refused = limiter();
    for (let i = 0; i < 3; i++) refused.recordRefusal(from('10.0.0.1'));
    jest.advanceTimersByTime(10_000);
    expect(refused.turnsAway('10.0.0.1')).toBeNull();
    refused.recordRefusal(from('10.0.0.1'));
    expect(refused.turnsAway('10.0.0.1')).toBeNull();
  });
});
