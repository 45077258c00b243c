import type { ConfigService } from '@nestjs/config';
import type { GatewayEnv } from '../config/gateway.env';
import { RefusedCallLimiter } from './refused-call-limiter';

describe('RefusedCallLimiter', () => {
  const config = { get: (name: string) => ({ KV_REFUSED_RATE_LIMIT_REQUESTS: 3, KV_REFUSED_RATE_LIMIT_WINDOW_SECONDS: 10 })[name] };
  const limiter = () => new RefusedCallLimiter(config as unknown as ConfigService<GatewayEnv, true>);

  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('lets an address through until it has made the limit of refused calls in a window', () => {
    const refused = limiter();
    for (let i = 0; i < 3; i++) {
      expect(refused.turnsAway('10.0.0.1')).toBeNull();
      refused.recordRefusal('10.0.0.1');
    }
    expect(refused.turnsAway('10.0.0.1')).toEqual({ retryAfterSeconds: 10, first: true });
    jest.advanceTimersByTime(4_500);
    expect(refused.turnsAway('10.0.0.1')).toEqual({ retryAfterSeconds: 6, first: false });
  });

  it('counts each address on its own', () => {
    const refused = limiter();
    for (let i = 0; i < 3; i++) refused.recordRefusal('10.0.0.1');
    expect(refused.turnsAway('10.0.0.2')).toBeNull();
  });

  it('starts afresh once the window is over', () => {
    const refused = limiter();
    for (let i = 0; i < 3; i++) refused.recordRefusal('10.0.0.1');
    jest.advanceTimersByTime(10_000);
    expect(refused.turnsAway('10.0.0.1')).toBeNull();
    refused.recordRefusal('10.0.0.1');
    expect(refused.turnsAway('10.0.0.1')).toBeNull();
  });
});
