import { KvEventType } from '@app/contracts';
import { InvalidatedCaches, invalidateFor } from './cache-invalidation';

const NS = '3f0c2a5e-0000-4000-8000-00000000000a';

function caches(): { [K in keyof InvalidatedCaches]: { [M in keyof InvalidatedCaches[K]]: jest.Mock } } {
  return {
    directory: { evict: jest.fn() },
    entries: { invalidate: jest.fn(), invalidateNamespace: jest.fn(), suspend: jest.fn(), resume: jest.fn() },
  };
}

const body = (event: object): Buffer => Buffer.from(JSON.stringify({ id: 'e', namespaceId: NS, keyPath: null, ...event }));

describe('invalidateFor', () => {
  it.each([KvEventType.ENTRY_CREATED, KvEventType.ENTRY_UPDATED, KvEventType.ENTRY_DELETED, KvEventType.ENTRY_EXPIRED])(
    '%s evicts that entry only',
    (type) => {
      const target = caches();
      expect(invalidateFor(body({ type, keyPath: 'a/b' }), target)).toBe(true);
      expect(target.entries.invalidate).toHaveBeenCalledWith(NS, 'a/b');
      expect(target.entries.invalidateNamespace).not.toHaveBeenCalled();
      expect(target.directory.evict).not.toHaveBeenCalled();
    },
  );

  it('a namespace update evicts its descriptor, and keeps its entries', () => {
    const target = caches();
    invalidateFor(body({ type: KvEventType.NAMESPACE_UPDATED }), target);
    expect(target.directory.evict).toHaveBeenCalledWith(NS);
    expect(target.entries.invalidateNamespace).not.toHaveBeenCalled();
  });

  it('a namespace deletion evicts its descriptor and its entries', () => {
    const target = caches();
    invalidateFor(body({ type: KvEventType.NAMESPACE_DELETED }), target);
    expect(target.directory.evict).toHaveBeenCalledWith(NS);
    expect(target.entries.invalidateNamespace).toHaveBeenCalledWith(NS);
  });

  it('a namespace creation changes nothing', () => {
    const target = caches();
    expect(invalidateFor(body({ type: KvEventType.NAMESPACE_CREATED }), target)).toBe(true);
    for (const cache of Object.values(target)) for (const method of Object.values(cache)) expect(method).not.toHaveBeenCalled();
  });

  it.each([
    ['not JSON', Buffer.from('{nope')],
    ['JSON null', Buffer.from('null')],
    ['no namespace', Buffer.from(JSON.stringify({ type: KvEventType.ENTRY_UPDATED, keyPath: 'a' }))],
    ['an entry event without its key', body({ type: KvEventType.ENTRY_UPDATED })],
    ['a type this gateway does not know', body({ type: 'kv.entry.renamed', keyPath: 'a/b' })],
  ])('%s: every cached entry is dropped', (_name, message) => {
    const target = caches();
    expect(invalidateFor(message, target)).toBe(false);
    expect(target.entries.suspend).toHaveBeenCalled();
    expect(target.entries.resume).toHaveBeenCalled();
  });
});
