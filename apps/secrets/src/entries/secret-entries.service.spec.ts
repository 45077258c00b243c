import { ConfigService } from '@nestjs/config';
import { ErrorCode, NamespaceDescriptor, ValueType } from '@app/contracts';
import type { SecretsEnv } from '../config/secrets.env';
import type { DataKeys } from '../keys/data-keys.service';
import { SecretVersionsService } from '../versions/secret-versions.service';
import type { SecretVersionsRepository } from '../versions/secret-versions.repository';
import type { SecretEntriesRepository } from './secret-entries.repository';
import { SecretEntriesService } from './secret-entries.service';
import type { SecretWriter } from './secret-writer.service';
import { aPrincipal, anAdmin } from '../../../../test/support/principals';

const NS = '3f0c2a5e-0000-4000-8000-00000000000a';
const descriptor: NamespaceDescriptor = { id: NS, applicationId: 'billing', isSecretNamespace: true, defaultTtlSeconds: null, maxSecretVersions: null };
const actor = (permissions: string[]) => aPrincipal(permissions, { id: 'u', applications: ['billing'] });
const config = { get: (key: string) => ({ KV_MAX_VALUE_BYTES: 1024 })[key] } as unknown as ConfigService<SecretsEnv, true>;

/** Every collaborator fails the test if touched: these checks must come before any I/O. */
function untouchable<T>(): T {
  return new Proxy({}, { get: (_target, name) => () => { throw new Error(`unexpected I/O: ${String(name)}`); } }) as T;
}

describe('secret services: checks before any I/O', () => {
  const entries = new SecretEntriesService(untouchable<SecretEntriesRepository>(), untouchable<SecretWriter>(), untouchable<DataKeys>(), config);
  const versions = new SecretVersionsService(
    untouchable<SecretEntriesRepository>(), untouchable<SecretVersionsRepository>(), untouchable<SecretWriter>(), untouchable<DataKeys>(), config,
  );
  const admin = actor(['*']);

  it.each([
    ['a bad key', () => entries.get(admin, descriptor, NS, 'a//b'), ErrorCode.INVALID_KEY],
    ['a value of the wrong type', () => entries.put(admin, descriptor, NS, 'k', { value: 'x', valueType: ValueType.NUMBER }), ErrorCode.INVALID_VALUE],
    ['a value too large', () => entries.put(admin, descriptor, NS, 'k', { value: 'x'.repeat(2000), valueType: ValueType.STRING }), ErrorCode.VALUE_TOO_LARGE],
    ['a duplicate key in a bulk set', () => entries.bulkSet(admin, descriptor, NS, [
      { key: 'a', value: '1', valueType: ValueType.STRING }, { key: 'a', value: '2', valueType: ValueType.STRING },
    ]), ErrorCode.DUPLICATE_KEY],
    ['a rotation value of the wrong type', () => versions.rotate(admin, descriptor, NS, 'k', { value: 'x', valueType: ValueType.BOOLEAN }), ErrorCode.INVALID_VALUE],
    ['a forged version cursor', () => versions.list(admin, descriptor, NS, 'k', { cursor: 'WyJ4Il0' }), ErrorCode.INVALID_CURSOR],
  ])('refuses %s', async (_label, call, code) => {
    await expect(call()).rejects.toMatchObject({ code });
  });

  it.each([
    ['get', () => entries.get(actor(['kv-namespace:read']), descriptor, NS, 'k'), 'kv-entry:read'],
    ['list', () => entries.list(actor(['kv-entry:read']), descriptor, NS, {}), 'kv-namespace:read'],
    ['put', () => entries.put(actor(['kv-entry:read']), descriptor, NS, 'k', { value: 'x', valueType: ValueType.STRING }), 'kv-entry:write'],
    ['delete', () => entries.delete(actor(['kv-entry:write']), descriptor, NS, 'k'), 'kv-entry:delete'],
    ['bulk delete', () => entries.bulkDelete(actor(['kv-entry:write']), descriptor, NS, ['k']), 'kv-entry:delete'],
    ['rotate', () => versions.rotate(actor(['kv-entry:*']), descriptor, NS, 'k', {}), 'kv-secret:rotate'],
    ['rollback', () => versions.rollback(actor(['kv-entry:*']), descriptor, NS, 'k', { version: 1 }), 'kv-secret:rotate'],
    ['read an old value', () => versions.read(actor(['kv-entry:*']), descriptor, NS, 'k', 1), 'kv-secret:versions'],
    ['list versions', () => versions.list(actor(['kv-secret:versions']), descriptor, NS, 'k', {}), 'kv-entry:read'],
  ])('%s needs %s', async (_label, call, permission) => {
    await expect(call()).rejects.toMatchObject({ code: ErrorCode.FORBIDDEN, message: `missing permission ${permission}` });
  });

  it('answers a namespace of another application like a missing one', async () => {
    const outsider = anAdmin({ id: 'o', applications: ['shipping'] });
    await expect(entries.get(outsider, descriptor, NS, 'k')).rejects.toMatchObject({ code: ErrorCode.NAMESPACE_NOT_FOUND });
  });
});
