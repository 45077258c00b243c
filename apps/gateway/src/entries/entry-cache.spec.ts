import { EntryDto } from '@app/contracts';
import { EntryCache, MAX_CACHED_ENTRY_BYTES, ReadEntry } from './entry-cache';
import { SAMPLE_NS as NS, anEntry } from '../../../../test/support/samples';

const OTHER_NS = '3f0c2a5e-0000-4000-8000-00000000000b';
/** A caller that accepts any kept copy. */
const ANY_AGE = 60_000;

function entryOf(keyPath: string, value: unknown = 'v1', overrides: Partial<EntryDto> = {}): ReadEntry {
  return { ...anEntry({ keyPath, value, ...overrides }), revision: 7 };
}

/** A load that can be held open, to change the key while a read is in flight. */
function deferredLoad(entry: ReadEntry): { load: () => Promise<ReadEntry>; release: () => void } {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  return { load: async () => (await held, entry), release };
}

describe('EntryCache', () => {
  let cache: EntryCache;
  let load: jest.Mock<Promise<ReadEntry>, []>;

  beforeEach(() => {
    cache = new EntryCache({ maxBytes: 1024 * 1024, maxAgeMs: 60_000 });
    cache.resume();
    load = jest.fn(async () => entryOf('a/b'));
  });

  it('serves a second read from memory, as the same frozen entry', async () => {
    const first = await cache.read(NS, 'a/b', ANY_AGE, load);
    const second = await cache.read(NS, 'a/b', ANY_AGE, load);
    expect(load).toHaveBeenCalledTimes(1);
    expect(second).toBe(first);
    expect(Object.isFrozen(second)).toBe(true);
    expect(cache.outcomes).toEqual({ hit: 1, miss: 1 });
  });

  it('keeps entries of different namespaces apart', async () => {
    await cache.read(NS, 'a/b', ANY_AGE, load);
    await cache.read(OTHER_NS, 'a/b', ANY_AGE, async () => entryOf('a/b', 'other', { namespaceId: OTHER_NS }));
    await expect(cache.read(OTHER_NS, 'a/b', ANY_AGE, load)).resolves.toMatchObject({ value: 'other' });
  });

  it('asks again after an invalidation, and only for that key', async () => {
    await cache.read(NS, 'a/b', ANY_AGE, load);
    await cache.read(NS, 'a/c', ANY_AGE, async () => entryOf('a/c'));
    cache.invalidate(NS, 'a/b');
    await cache.read(NS, 'a/b', ANY_AGE, load);
    await cache.read(NS, 'a/c', ANY_AGE, load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('a read that accepts no copy asks the service, and neither uses nor fills the memory', async () => {
    await cache.read(NS, 'a/b', undefined, load);
    expect(cache.size).toBe(0);
    await cache.read(NS, 'a/b', ANY_AGE, load);
    load.mockResolvedValue(entryOf('a/b', 'v2'));
    await expect(cache.read(NS, 'a/b', undefined, load)).resolves.toMatchObject({ value: 'v2' });
    expect(load).toHaveBeenCalledTimes(3);
    expect(cache.outcomes).toEqual({ hit: 0, miss: 1 });
  });

  it('a copy older than the caller accepts is read again, and replaced', async () => {
    await cache.read(NS, 'a/b', ANY_AGE, load);
    await new Promise((resolve) => setTimeout(resolve, 30));
    load.mockResolvedValue(entryOf('a/b', 'v2'));
    await expect(cache.read(NS, 'a/b', 10, load)).resolves.toMatchObject({ value: 'v2' });
    await expect(cache.read(NS, 'a/b', ANY_AGE, load)).resolves.toMatchObject({ value: 'v2' });
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('does not keep what a read in flight brings back when its key changes meanwhile', async () => {
    const stale = deferredLoad(entryOf('a/b', 'old'));
    const reading = cache.read(NS, 'a/b', ANY_AGE, stale.load);
    cache.invalidate(NS, 'a/b');
    stale.release();
    await expect(reading).resolves.toMatchObject({ value: 'old' });
    load.mockResolvedValue(entryOf('a/b', 'new'));
    await expect(cache.read(NS, 'a/b', ANY_AGE, load)).resolves.toMatchObject({ value: 'new' });
  });

  it('nor after the namespace is invalidated, and forgets that namespace only', async () => {
    await cache.read(OTHER_NS, 'x', ANY_AGE, async () => entryOf('x', 'v1', { namespaceId: OTHER_NS }));
    const stale = deferredLoad(entryOf('a/b', 'old'));
    const reading = cache.read(NS, 'a/b', ANY_AGE, stale.load);
    cache.invalidateNamespace(NS);
    stale.release();
    await reading;
    await cache.read(NS, 'a/b', ANY_AGE, load);
    expect(load).toHaveBeenCalledTimes(1);
    expect(cache.size).toBe(2);
  });

  it('while suspended serves nothing from memory and keeps nothing; resuming starts empty', async () => {
    await cache.read(NS, 'a/b', ANY_AGE, load);
    const inFlight = deferredLoad(entryOf('a/c'));
    const reading = cache.read(NS, 'a/c', ANY_AGE, inFlight.load);
    cache.suspend();
    inFlight.release();
    await reading;
    await cache.read(NS, 'a/b', ANY_AGE, load);
    expect(load).toHaveBeenCalledTimes(2);
    expect(cache.size).toBe(0);
    cache.resume();
    await cache.read(NS, 'a/b', ANY_AGE, load);
    await cache.read(NS, 'a/b', ANY_AGE, load);
    expect(load).toHaveBeenCalledTimes(3);
  });

  it('does not keep a read begun before a resume (events in between may be lost)', async () => {
    const early = deferredLoad(entryOf('a/b', 'old'));
    const reading = cache.read(NS, 'a/b', ANY_AGE, early.load);
    cache.suspend();
    cache.resume();
    early.release();
    await reading;
    await cache.read(NS, 'a/b', ANY_AGE, load);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('does not keep entries with an expiry, under another namespace id or key path, or too large', async () => {
    const reads: Array<[string, ReadEntry]> = [
      ['ttl', entryOf('ttl', 'v', { expiresAt: '2026-12-01T01:00:00.000Z' })],
      ['other-spelling', entryOf('other-spelling', 'v', { namespaceId: NS.toUpperCase() })],
      ['as-asked', entryOf('as-stored')],
      ['big', entryOf('big', 'x'.repeat(MAX_CACHED_ENTRY_BYTES))],
    ];
    for (const [key, entry] of reads) {
      const loadOnce = jest.fn(async () => entry);
      await cache.read(NS, key, ANY_AGE, loadOnce);
      await cache.read(NS, key, ANY_AGE, loadOnce);
      expect(loadOnce).toHaveBeenCalledTimes(2);
    }
  });

  it('passes failures through and keeps nothing', async () => {
    load.mockRejectedValueOnce(new Error('ENTRY_NOT_FOUND'));
    await expect(cache.read(NS, 'a/b', ANY_AGE, load)).rejects.toThrow('ENTRY_NOT_FOUND');
    await cache.read(NS, 'a/b', ANY_AGE, load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('forgets entries older than the maximum age', async () => {
    const aging = new EntryCache({ maxBytes: 1024 * 1024, maxAgeMs: 20 });
    aging.resume();
    await aging.read(NS, 'a/b', ANY_AGE, load);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await aging.read(NS, 'a/b', ANY_AGE, load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('evicts the least recently used entries beyond its size', async () => {
    const small = new EntryCache({ maxBytes: 2000, maxAgeMs: 60_000 });
    small.resume();
    for (let i = 0; i < 50; i += 1) await small.read(NS, `k${i}`, ANY_AGE, async () => entryOf(`k${i}`, 'x'.repeat(100)));
    expect(small.size).toBeLessThan(10);
    expect(small.size).toBeGreaterThan(0);
  });

  it('serves copies only between resume and suspend', () => {
    expect(cache.serving).toBe(true);
    cache.suspend();
    expect(cache.serving).toBe(false);
    expect(new EntryCache({ maxBytes: 1024, maxAgeMs: 1000 }).serving).toBe(false);
  });

  it('with no bytes to spare is off: every read loads', async () => {
    const off = new EntryCache({ maxBytes: 0, maxAgeMs: 60_000 });
    off.resume();
    expect(off.serving).toBe(false);
    await off.read(NS, 'a/b', ANY_AGE, load);
    await off.read(NS, 'a/b', ANY_AGE, load);
    expect(load).toHaveBeenCalledTimes(2);
    expect(off.enabled).toBe(false);
  });
});
