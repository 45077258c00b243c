import { call, useNamespace } from './support/api';

describe('bulk calls', () => {
  const ns = useNamespace();

  const bulk = (op: 'get' | 'set' | 'delete', body: unknown) => call('POST', `/${ns.id}/bulk/${op}`, { token: ns.admin, body });
  const entry = (key: string, value: unknown = key) => ({ key, value, valueType: 'STRING' });

  it('sets, gets and deletes many entries', async () => {
    const set = await bulk('set', {
      entries: [entry('b/1'), entry('b/2'), { key: 'b/3', value: 3, valueType: 'NUMBER', ttlSeconds: 600, metadata: { m: 1 } }],
    });
    expect(set.status).toBe(200);
    expect(set.body.items.map((item: { keyPath: string; version: number }) => [item.keyPath, item.version])).toEqual([
      ['b/1', 1],
      ['b/2', 1],
      ['b/3', 1],
    ]);

    const again = await bulk('set', { entries: [entry('b/1', 'changed')] });
    expect(again.body.items[0]).toMatchObject({ keyPath: 'b/1', value: 'changed', version: 2 });

    const got = await bulk('get', { keys: ['b/3', 'b/missing', 'b/1'] });
    expect(got.status).toBe(200);
    expect(got.body.items.map((item: { keyPath: string; value: unknown }) => [item.keyPath, item.value])).toEqual([
      ['b/3', 3],
      ['b/1', 'changed'],
    ]);
    expect(got.body.items[0].metadata).toEqual({ m: 1 });
    expect(got.body.missing).toEqual(['b/missing']);

    const deleted = await bulk('delete', { keys: ['b/1', 'b/2', 'b/nope'] });
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ deleted: ['b/1', 'b/2'], missing: ['b/nope'] });
    expect((await bulk('get', { keys: ['b/1', 'b/2', 'b/3'] })).body.missing).toEqual(['b/1', 'b/2']);
  });

  it('writes 1000 entries in one call', async () => {
    const entries = Array.from({ length: 1000 }, (_, i) => entry(`many/${String(i).padStart(4, '0')}`));
    const set = await bulk('set', { entries });
    expect(set.status).toBe(200);
    expect(set.body.items).toHaveLength(1000);
    const got = await bulk('get', { keys: entries.map((item) => item.key) });
    expect(got.body.items).toHaveLength(1000);
    expect(got.body.missing).toEqual([]);
  });

  it('refuses more than 1000 keys with TOO_MANY_KEYS', async () => {
    const keys = Array.from({ length: 1001 }, (_, i) => `k/${i}`);
    for (const response of [
      await bulk('get', { keys }),
      await bulk('delete', { keys }),
      await bulk('set', { entries: keys.map((key) => entry(key)) }),
    ]) {
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('TOO_MANY_KEYS');
    }
    expect((await bulk('get', { keys: ['k/0'] })).body.missing).toEqual(['k/0']);
  });

  it('is all-or-nothing: a set that fails half-way leaves nothing behind', async () => {
    const entries = Array.from({ length: 1000 }, (_, i) => entry(`atomic/${i}`));
    await bulk('set', { entries: [entry('atomic/0', 'before')] });

    const badValue = entries.map((item, i) => (i === 600 ? { ...item, valueType: 'NUMBER' } : item));
    const badKey = entries.map((item, i) => (i === 700 ? { ...item, key: 'atomic//broken' } : item));
    const tooLarge = entries.map((item, i) => (i === 800 ? { ...item, value: 'x'.repeat(1024 * 1024) } : item));
    for (const [attempt, code, status] of [
      [badValue, 'INVALID_VALUE', 400],
      [badKey, 'INVALID_KEY', 400],
      [tooLarge, 'VALUE_TOO_LARGE', 413],
    ] as const) {
      const response = await bulk('set', { entries: attempt });
      expect(response.status).toBe(status);
      expect(response.body.code).toBe(code);
    }

    const got = await bulk('get', { keys: entries.map((item) => item.key) });
    expect(got.body.items).toHaveLength(1);
    expect(got.body.items[0]).toMatchObject({ keyPath: 'atomic/0', value: 'before', version: 1 });
  });

  it('refuses a key twice in one call and invalid keys in get and delete', async () => {
    const duplicate = await bulk('set', { entries: [entry('d/1'), entry('d/1')] });
    expect(duplicate.status).toBe(400);
    expect(duplicate.body.code).toBe('DUPLICATE_KEY');
    expect((await bulk('get', { keys: ['ok', '/bad'] })).body.code).toBe('INVALID_KEY');
    expect((await bulk('delete', { keys: ['a/../b'] })).body.code).toBe('INVALID_KEY');
    expect((await bulk('get', { keys: [] })).body.code).toBe('VALIDATION_FAILED');
  });
});
