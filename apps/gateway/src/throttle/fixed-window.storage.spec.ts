import { FixedWindowThrottlerStorage } from './fixed-window.storage';

describe('FixedWindowThrottlerStorage', () => {
  let now = 1_000_000;
  const storage = () => new FixedWindowThrottlerStorage(() => now);
  beforeEach(() => {
    now = 1_000_000;
  });

  it('counts hits per key and window, and blocks past the limit until the window ends', async () => {
    const limiter = storage();
    for (let hit = 1; hit <= 3; hit++)
      await expect(limiter.increment('alice', 60_000, 3, 0, 'default')).resolves.toMatchObject({ totalHits: hit, isBlocked: false });
    now += 10_000;
    await expect(limiter.increment('alice', 60_000, 3, 0, 'default')).resolves.toEqual({
      totalHits: 4,
      timeToExpire: 50,
      isBlocked: true,
      timeToBlockExpire: 50,
    });
    await expect(limiter.increment('bob', 60_000, 3, 0, 'default')).resolves.toMatchObject({ totalHits: 1, isBlocked: false });
    now += 50_000;
    await expect(limiter.increment('alice', 60_000, 3, 0, 'default')).resolves.toMatchObject({
      totalHits: 1,
      isBlocked: false,
      timeToExpire: 60,
    });
  });

  it('keeps a block for its own duration when one is set', async () => {
    const limiter = storage();
    await limiter.increment('alice', 1000, 1, 30_000, 'default');
    await expect(limiter.increment('alice', 1000, 1, 30_000, 'default')).resolves.toMatchObject({ isBlocked: true, timeToBlockExpire: 30 });
    now += 5000;
    await expect(limiter.increment('alice', 1000, 1, 30_000, 'default')).resolves.toMatchObject({ isBlocked: true, timeToBlockExpire: 25 });
    now += 25_000;
    await expect(limiter.increment('alice', 1000, 1, 30_000, 'default')).resolves.toMatchObject({ isBlocked: false, totalHits: 1 });
  });

  it('keeps separate counters per throttler name', async () => {
    const limiter = storage();
    await limiter.increment('alice', 1000, 1, 0, 'short');
    await expect(limiter.increment('alice', 1000, 1, 0, 'long')).resolves.toMatchObject({ totalHits: 1, isBlocked: false });
  });
});
