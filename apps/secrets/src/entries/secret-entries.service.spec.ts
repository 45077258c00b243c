import { ConfigService } from '@nestjs/config';
import { ErrorCode, NamespaceDescriptor, ValueType } from '@app/contracts';
import { ChangeCaller, ChangeLog, ChangeOrigin, changeOriginOf } from '@app/entry-store';
import type { Principal } from '@app/permissions';
import type { SecretsEnv } from '../config/secrets.env';
import type { DataKeys } from '../keys/data-keys.service';
import type { SecretCall } from '../namespaces/secret-namespace-access';
import { SecretVersionsService } from '../versions/secret-versions.service';
import type { SecretVersionsRepository } from '../versions/secret-versions.repository';
import type { SecretEntriesRepository } from './secret-entries.repository';
import { SecretEntriesService } from './secret-entries.service';
import type { SecretWriter } from './secret-writer.service';
import { SAMPLE_NS as NS, aNamespaceDescriptor } from '../../../../test/support/samples';

const descriptor = aNamespaceDescriptor({ isSecretNamespace: true });
const actor = (permissions: string[]): Principal => ({ id: 'u', permissions, applications: ['billing'] });
/** A call of `caller` in the namespace, routed by its descriptor. */
const callBy = (caller: Principal): SecretCall => ({ actor: caller, namespace: descriptor, namespaceId: NS });
const config = { get: (key: string) => ({ KV_MAX_VALUE_BYTES: 1024 })[key] } as unknown as ConfigService<SecretsEnv, true>;

/** Every collaborator fails the test if touched: these checks must come before any I/O. */
function untouchable<T>(): T {
  return new Proxy(
    {},
    {
      get: (_target, name) => () => {
        throw new Error(`unexpected I/O: ${String(name)}`);
      },
    },
  ) as T;
}

describe('secret services: checks before any I/O', () => {
  const entries = new SecretEntriesService(
    untouchable<SecretEntriesRepository>(),
    untouchable<SecretWriter>(),
    untouchable<DataKeys>(),
    config,
  );
  const versions = new SecretVersionsService(
    untouchable<SecretEntriesRepository>(),
    untouchable<SecretVersionsRepository>(),
    untouchable<SecretWriter>(),
    untouchable<DataKeys>(),
    untouchable<ChangeLog>(),
    config,
  );
  const admin = actor(['*']);

  it.each([
    ['a bad key', () => entries.get(callBy(admin), 'a//b'), ErrorCode.INVALID_KEY],
    [
      'a value of the wrong type',
      () => entries.put(callBy(admin), 'k', { value: 'x', valueType: ValueType.NUMBER }),
      ErrorCode.INVALID_VALUE,
    ],
    [
      'a value too large',
      () => entries.put(callBy(admin), 'k', { value: 'x'.repeat(2000), valueType: ValueType.STRING }),
      ErrorCode.VALUE_TOO_LARGE,
    ],
    [
      'a duplicate key in a bulk set',
      () =>
        entries.bulkSet(callBy(admin), [
          { key: 'a', value: '1', valueType: ValueType.STRING },
          { key: 'a', value: '2', valueType: ValueType.STRING },
        ]),
      ErrorCode.DUPLICATE_KEY,
    ],
    [
      'a rotation value of the wrong type',
      () => versions.rotate(callBy(admin), 'k', { value: 'x', valueType: ValueType.BOOLEAN }),
      ErrorCode.INVALID_VALUE,
    ],
    ['a forged version cursor', () => versions.list(callBy(admin), 'k', { cursor: 'WyJ4Il0' }), ErrorCode.INVALID_CURSOR],
  ])('refuses %s', async (_label, call, code) => {
    await expect(call()).rejects.toMatchObject({ code });
  });

  it.each([
    ['get', () => entries.get(callBy(actor(['kv-namespace:read'])), 'k'), 'kv-entry:read'],
    ['list', () => entries.list(callBy(actor(['kv-entry:read'])), {}), 'kv-namespace:read'],
    ['put', () => entries.put(callBy(actor(['kv-entry:read'])), 'k', { value: 'x', valueType: ValueType.STRING }), 'kv-entry:write'],
    ['delete', () => entries.delete(callBy(actor(['kv-entry:write'])), 'k'), 'kv-entry:delete'],
    ['bulk delete', () => entries.bulkDelete(callBy(actor(['kv-entry:write'])), ['k']), 'kv-entry:delete'],
    ['rotate', () => versions.rotate(callBy(actor(['kv-entry:*'])), 'k', {}), 'kv-secret:rotate'],
    ['rollback', () => versions.rollback(callBy(actor(['kv-entry:*'])), 'k', { version: 1 }), 'kv-secret:rotate'],
    ['read an old value', () => versions.read(callBy(actor(['kv-entry:*'])), 'k', 1), 'kv-secret:versions'],
    ['list versions', () => versions.list(callBy(actor(['kv-secret:versions'])), 'k', {}), 'kv-entry:read'],
  ])('%s needs %s', async (_label, call, permission) => {
    await expect(call()).rejects.toMatchObject({ code: ErrorCode.FORBIDDEN, message: `missing permission ${permission}` });
  });

  it('answers a namespace of another application like a missing one', async () => {
    const outsider: Principal = { id: 'o', permissions: ['*'], applications: ['shipping'] };
    await expect(entries.get(callBy(outsider), 'k')).rejects.toMatchObject({ code: ErrorCode.NAMESPACE_NOT_FOUND });
  });
});

describe('secret services: who a change is by', () => {
  it.each([
    [
      'a gateway request',
      { requestId: 'req-1', clientAddress: '10.0.0.1' },
      { actorId: 'u', requestId: 'req-1', clientAddress: '10.0.0.1', call: null },
    ],
    ['no request (a test, a script)', {}, { actorId: 'u', requestId: null, clientAddress: null, call: null }],
  ])('is the actor the call authorized, through %s', async (_label, request, origin) => {
    const transactions: Array<[NamespaceDescriptor, ChangeOrigin]> = [];
    const calls: ChangeCaller[] = [];
    const writer = {
      transaction: async (namespace: NamespaceDescriptor, changeCall: ChangeCaller) => {
        transactions.push([namespace, changeOriginOf(changeCall)]);
        calls.push(changeCall);
        return new Map([['k', {}]]);
      },
    } as unknown as SecretWriter;
    const lend = (...args: unknown[]) => (args[1] as (dataKey: Buffer) => unknown)(Buffer.alloc(32));
    const dataKeys = { withKey: lend, withExistingKey: lend } as unknown as DataKeys;
    const entries = new SecretEntriesService(untouchable<SecretEntriesRepository>(), writer, dataKeys, config);
    const versions = new SecretVersionsService(
      untouchable<SecretEntriesRepository>(),
      untouchable<SecretVersionsRepository>(),
      writer,
      dataKeys,
      untouchable<ChangeLog>(),
      config,
    );
    const call = { ...callBy(actor(['*'])), ...request };
    await entries.put(call, 'k', { value: 'x', valueType: ValueType.STRING });
    await entries.delete(call, 'k');
    await entries.bulkSet(call, [{ key: 'k', value: 'x', valueType: ValueType.STRING }]);
    await entries.bulkDelete(call, ['k']);
    await versions.rotate(call, 'k', { value: 'y' });
    await versions.rollback(call, 'k', { version: 1 });
    expect(transactions).toEqual(Array.from({ length: 6 }, () => [descriptor, origin]));
    // The call itself reaches the change transaction, which derives the origin from it.
    expect(calls.every((changeCall) => changeCall === call)).toBe(true);
  });
});
