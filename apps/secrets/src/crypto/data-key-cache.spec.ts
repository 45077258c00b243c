import { DataKeyCache, dataKeyCacheKey } from './data-key-cache';
import { WrappedDataKey } from './envelope';

function dataKey(fill: number): Buffer {
  return Buffer.alloc(32, fill);
}

function isZeroed(buffer: Buffer): boolean {
  return buffer.every((byte) => byte === 0);
}

/** A cache on a clock the test moves by hand. */
function cacheAt(options: { maxEntries?: number; ttlMs?: number } = {}) {
  let now = 1_000_000;
  const cache = new DataKeyCache({ maxEntries: options.maxEntries ?? 10, ttlMs: options.ttlMs ?? 60_000, now: () => now });
  return { cache, advance: (ms: number) => (now += ms) };
}

/** Runs `set` while watching Buffer.alloc, and returns the cache's private copy of the key. */
function setAndCaptureCopy(cache: DataKeyCache, cacheKey: string, key: Buffer): Buffer {
  const alloc = jest.spyOn(Buffer, 'alloc');
  try {
    cache.set(cacheKey, key);
    const copies = alloc.mock.results.map((result) => result.value as Buffer).filter((buffer) => buffer.equals(key));
    expect(copies).toHaveLength(1);
    return copies[0];
  } finally {
    alloc.mockRestore();
  }
}

describe('DataKeyCache', () => {
  it('returns what was set', () => {
    const { cache } = cacheAt();
    cache.set('a', dataKey(1));
    expect(cache.get('a')).toEqual(dataKey(1));
    expect(cache.get('missing')).toBeUndefined();
  });

  it('keeps its own copy: changing the key given or the key returned does not change the cache', () => {
    const { cache } = cacheAt();
    const given = dataKey(1);
    cache.set('a', given);
    given.fill(0);
    cache.get('a')?.fill(0);
    expect(cache.get('a')).toEqual(dataKey(1));
  });

  describe('TTL', () => {
    it('does not return an expired entry', () => {
      const { cache, advance } = cacheAt({ ttlMs: 1000 });
      cache.set('a', dataKey(1));
      // lru-cache's rule: stale once more than ttlMs have passed.
      advance(1000);
      expect(cache.get('a')).toEqual(dataKey(1));
      advance(1);
      expect(cache.get('a')).toBeUndefined();
      expect(cache.size).toBe(0);
    });

    it('counts from when the key was set, not from when it was last read', () => {
      const { cache, advance } = cacheAt({ ttlMs: 1000 });
      cache.set('a', dataKey(1));
      advance(600);
      cache.get('a');
      advance(600);
      expect(cache.get('a')).toBeUndefined();
    });

    it('restarts when a key is set again', () => {
      const { cache, advance } = cacheAt({ ttlMs: 1000 });
      cache.set('a', dataKey(1));
      advance(600);
      cache.set('a', dataKey(2));
      advance(600);
      expect(cache.get('a')).toEqual(dataKey(2));
    });

    it('zero-fills an expired key when it is found expired', () => {
      const { cache, advance } = cacheAt({ ttlMs: 1000 });
      const copy = setAndCaptureCopy(cache, 'a', dataKey(1));
      advance(1001);
      cache.get('a');
      expect(isZeroed(copy)).toBe(true);
    });

    it('drops and zero-fills expired keys on a timer, without waiting for a read or a set', () => {
      jest.useFakeTimers({ now: 1_000_000 });
      try {
        const cache = new DataKeyCache({ maxEntries: 10, ttlMs: 1000 });
        const copy = setAndCaptureCopy(cache, 'a', dataKey(1));
        jest.advanceTimersByTime(999);
        expect(isZeroed(copy)).toBe(false);
        jest.advanceTimersByTime(100);
        expect(cache.size).toBe(0);
        expect(isZeroed(copy)).toBe(true);
      } finally {
        jest.useRealTimers();
      }
    });
  });

  describe('LRU eviction', () => {
    it('evicts the least recently used entry beyond maxEntries', () => {
      const { cache } = cacheAt({ maxEntries: 2 });
      cache.set('a', dataKey(1));
      cache.set('b', dataKey(2));
      cache.get('a');
      cache.set('c', dataKey(3));
      expect(cache.size).toBe(2);
      expect(cache.get('b')).toBeUndefined();
      expect(cache.get('a')).toEqual(dataKey(1));
      expect(cache.get('c')).toEqual(dataKey(3));
    });

    it('does not grow when the same key is set again', () => {
      const { cache } = cacheAt({ maxEntries: 2 });
      cache.set('a', dataKey(1));
      cache.set('b', dataKey(2));
      cache.set('a', dataKey(3));
      expect(cache.size).toBe(2);
      expect(cache.get('a')).toEqual(dataKey(3));
      expect(cache.get('b')).toEqual(dataKey(2));
    });

    it('zero-fills an evicted key', () => {
      const { cache } = cacheAt({ maxEntries: 1 });
      const copy = setAndCaptureCopy(cache, 'a', dataKey(1));
      cache.set('b', dataKey(2));
      expect(isZeroed(copy)).toBe(true);
    });

    it('zero-fills a replaced key', () => {
      const { cache } = cacheAt();
      const copy = setAndCaptureCopy(cache, 'a', dataKey(1));
      cache.set('a', dataKey(2));
      expect(isZeroed(copy)).toBe(true);
    });

    it('never zeroes a key a caller is still holding', () => {
      const { cache } = cacheAt({ maxEntries: 1 });
      const given = dataKey(1);
      cache.set('a', given);
      const handedOut = cache.get('a') as Buffer;
      cache.set('b', dataKey(2));
      cache.clear();
      expect(given).toEqual(dataKey(1));
      expect(handedOut).toEqual(dataKey(1));
    });
  });

  it('deletes and zero-fills one entry', () => {
    const { cache } = cacheAt();
    const copy = setAndCaptureCopy(cache, 'a', dataKey(1));
    cache.set('b', dataKey(2));
    expect(cache.delete('a')).toBe(true);
    expect(cache.delete('a')).toBe(false);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toEqual(dataKey(2));
    expect(isZeroed(copy)).toBe(true);
  });

  it('clears and zero-fills every entry', () => {
    const { cache } = cacheAt();
    const copies = [setAndCaptureCopy(cache, 'a', dataKey(1)), setAndCaptureCopy(cache, 'b', dataKey(2))];
    cache.clear();
    expect(cache.size).toBe(0);
    expect(cache.get('a')).toBeUndefined();
    expect(copies.every(isZeroed)).toBe(true);
  });

  it.each([
    [{ maxEntries: 0, ttlMs: 1000 }],
    [{ maxEntries: 1.5, ttlMs: 1000 }],
    [{ maxEntries: 10, ttlMs: 0 }],
    [{ maxEntries: 10, ttlMs: Number.POSITIVE_INFINITY }],
  ])('refuses options %j', (options) => expect(() => new DataKeyCache(options)).toThrow(RangeError));

  it('uses the wall clock by default', () => {
    const cache = new DataKeyCache({ maxEntries: 1, ttlMs: 60_000 });
    cache.set('a', dataKey(1));
    expect(cache.get('a')).toEqual(dataKey(1));
  });
});

describe('dataKeyCacheKey', () => {
  const wrapped: WrappedDataKey = { masterKeyId: 'k1', wrapped: Buffer.alloc(60, 7) };

  it('is stable for the same wrapped key', () =>
    expect(dataKeyCacheKey('ns', wrapped)).toBe(dataKeyCacheKey('ns', { ...wrapped, wrapped: Buffer.from(wrapped.wrapped) })));

  it.each([
    ['namespace', dataKeyCacheKey('other', wrapped)],
    ['master key id', dataKeyCacheKey('ns', { ...wrapped, masterKeyId: 'k2' })],
    ['wrapped bytes (a rewrap)', dataKeyCacheKey('ns', { ...wrapped, wrapped: Buffer.alloc(60, 8) })],
  ])('changes with the %s', (_, other) => expect(other).not.toBe(dataKeyCacheKey('ns', wrapped)));

  it('cannot be made to collide by moving a separator between namespace and master key id', () =>
    expect(dataKeyCacheKey('a:b', { ...wrapped, masterKeyId: 'c' })).not.toBe(dataKeyCacheKey('a', { ...wrapped, masterKeyId: 'b:c' })));

  it('holds a digest of the wrapped key, not the wrapped key itself', () =>
    expect(dataKeyCacheKey('ns', wrapped)).not.toContain(wrapped.wrapped.toString('hex').slice(0, 16)));
});
