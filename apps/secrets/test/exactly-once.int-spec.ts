import { createHash, randomUUID } from 'node:crypto';
import { ErrorCode, NamespaceDescriptor, ValueType } from '@app/contracts';
import { SecretEntriesService } from '../src/entries/secret-entries.service';
import { SecretVersionsService } from '../src/versions/secret-versions.service';
import { callIn, secretNamespace, useSecretsTestbed } from './secrets-testing';
import { providerOf } from '../../../test/support/service-testbed';

const digest = (text: string): string => createHash('sha256').update(text).digest('hex');
const PLANTED = 'planted-once-5f2d8a13';

describe('the secrets service applies each call once, and keeps no value in clear', () => {
  const testbed = useSecretsTestbed();
  const entries = providerOf(testbed, SecretEntriesService);
  const versions = providerOf(testbed, SecretVersionsService);

  /** A call as the gateway sends one: its own id and deadline, and for an HTTP caller's key its digests. */
  const callOf = (ns: NamespaceDescriptor, key?: string) => ({
    ...callIn(ns, { requestId: `req-${randomUUID()}` }),
    callId: randomUUID(),
    deadline: Date.now() + 10_000,
    ...(key === undefined ? {} : { idempotency: { key: digest(key), fingerprint: digest('body') } }),
  });
  const currentVersion = async (ns: NamespaceDescriptor, key: string) => (await entries.get(callIn(ns), key)).version;

  it('answers a redelivered PUT with its first outcome: one version, the value given back', async () => {
    const ns = secretNamespace();
    const call = callOf(ns);
    const first = await entries.put(call, 'db/password', { value: PLANTED, valueType: ValueType.STRING });
    await expect(entries.put(call, 'db/password', { value: PLANTED, valueType: ValueType.STRING })).resolves.toEqual({
      ...first,
      replayed: true,
    });
    expect(first.entry).toMatchObject({ version: 1, value: PLANTED });
    expect(await currentVersion(ns, 'db/password')).toBe(1);
  });

  it('answers a retried rotation with the value it generated the first time, and rotates once', async () => {
    const ns = secretNamespace();
    await entries.put(callOf(ns), 'api/token', { value: 'initial', valueType: ValueType.STRING });
    const key = randomUUID();
    const rotated = await versions.rotate(callOf(ns, key), 'api/token', { length: 40 });
    const again = await versions.rotate(callOf(ns, key), 'api/token', { length: 40 });
    expect(again).toEqual({ ...rotated, replayed: true });
    expect(rotated.value).toEqual(expect.stringMatching(/^[A-Za-z0-9]{40}$/));
    expect(await currentVersion(ns, 'api/token')).toBe(2);
  });

  it('applies a redelivered bulk set and a rollback once', async () => {
    const ns = secretNamespace();
    const bulk = callOf(ns);
    const items = [
      { key: 'b', value: 'two', valueType: ValueType.STRING },
      { key: 'a', value: 'one', valueType: ValueType.STRING },
    ];
    const first = await entries.bulkSet(bulk, items);
    await expect(entries.bulkSet(bulk, items)).resolves.toEqual({ ...first, replayed: true });
    await entries.put(callOf(ns), 'a', { value: 'changed', valueType: ValueType.STRING });
    const rollback = callOf(ns);
    const restored = await versions.rollback(rollback, 'a', { version: 1 });
    await expect(versions.rollback(rollback, 'a', { version: 1 })).resolves.toEqual({ ...restored, replayed: true });
    expect(restored).toMatchObject({ version: 3, value: 'one' });
    expect(await currentVersion(ns, 'a')).toBe(3);
  });

  it('answers a redelivered DELETE with its success', async () => {
    const ns = secretNamespace();
    await entries.put(callOf(ns), 'gone', { value: 'x', valueType: ValueType.STRING });
    const call = callOf(ns);
    await expect(entries.delete(call, 'gone')).resolves.toEqual({ deleted: true });
    await expect(entries.delete(call, 'gone')).resolves.toEqual({ deleted: true, replayed: true });
  });

  it('refuses a key sent with another request: IDEMPOTENCY_KEY_REUSED', async () => {
    const ns = secretNamespace();
    const key = randomUUID();
    await entries.put(callOf(ns, key), 'k', { value: 'one', valueType: ValueType.STRING });
    const other = { ...callOf(ns, key), idempotency: { key: digest(key), fingerprint: digest('another body') } };
    await expect(entries.put(other, 'k', { value: 'two', valueType: ValueType.STRING })).rejects.toMatchObject({
      code: ErrorCode.IDEMPOTENCY_KEY_REUSED,
    });
    expect(await currentVersion(ns, 'k')).toBe(1);
  });

  it('keeps the outcomes sealed: no planted value in the deduplication tables, in any encoding', async () => {
    const ns = secretNamespace();
    await entries.put(callOf(ns, randomUUID()), 'p', { value: PLANTED, valueType: ValueType.STRING });
    await entries.bulkSet(callOf(ns), [{ key: 'q', value: { nested: PLANTED }, valueType: ValueType.JSON }]);
    await versions.rotate(callOf(ns), 'p', { value: `${PLANTED}-rotated`, valueType: ValueType.STRING });
    const stored = JSON.stringify(
      await Promise.all(['request_outcome', 'idempotency_key'].map((table) => testbed.dataSource.query(`SELECT * FROM ${table}`))),
    );
    expect(stored).toContain('sealed');
    for (const form of [PLANTED, Buffer.from(PLANTED).toString('base64'), Buffer.from(PLANTED).toString('hex')]) {
      expect(stored).not.toContain(form);
    }
  });
});
