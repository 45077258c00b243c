import { Logger } from '@nestjs/common';
import { ErrorCode, KvException, NamespacePattern, SecretNamespacePattern } from '@app/contracts';
import type { KvEntryClient } from '../rpc/kv-entry.client';
import type { SecretsClient } from '../rpc/secrets.client';
import type { NamespaceDirectory } from './namespace-directory.service';
import { NamespacesService } from './namespaces.service';
import { anAdmin, messageMeta } from '../../../../test/support/principals';
import { SAMPLE_NS as NS, aNamespaceDescriptor } from '../../../../test/support/samples';

const meta = messageMeta(anAdmin({ id: 'alice', applications: ['billing'] }));
const plain = aNamespaceDescriptor();
const secret = aNamespaceDescriptor({ isSecretNamespace: true });

describe('NamespacesService (gateway)', () => {
  const directory = { describe: jest.fn(), evict: jest.fn() };
  const kvEntrySend = jest.fn();
  const secretsSend = jest.fn();
  const service = new NamespacesService(
    { send: kvEntrySend } as unknown as KvEntryClient,
    { send: secretsSend } as unknown as SecretsClient,
    directory as unknown as NamespaceDirectory,
  );
  let logged: jest.SpyInstance;

  beforeEach(() => {
    for (const mock of [directory.describe, directory.evict, kvEntrySend, secretsSend]) mock.mockReset();
    logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });

  afterEach(() => logged.mockRestore());

  describe('update', () => {
    it('updates in kv-entry and evicts the cached descriptor', async () => {
      kvEntrySend.mockResolvedValue({ id: NS });
      await expect(service.update(meta, NS, { name: 'n', applicationId: 'billing', maxSecretVersions: 3 })).resolves.toEqual({ id: NS });
      expect(kvEntrySend).toHaveBeenCalledWith(NamespacePattern.UPDATE, {
        ...meta,
        namespaceId: NS,
        body: { name: 'n', applicationId: 'billing', maxSecretVersions: 3 },
      });
      expect(directory.evict).toHaveBeenCalledWith(NS);
    });

    it('evicts even when the update fails', async () => {
      kvEntrySend.mockRejectedValue(new KvException(ErrorCode.SERVICE_TIMEOUT, 'late'));
      await expect(service.update(meta, NS, { name: 'n', applicationId: 'billing' })).rejects.toMatchObject({
        code: ErrorCode.SERVICE_TIMEOUT,
      });
      expect(directory.evict).toHaveBeenCalledWith(NS);
    });
  });

  describe('delete', () => {
    it('deletes a plain namespace in kv-entry only, and evicts it', async () => {
      kvEntrySend.mockResolvedValue({ deleted: true, namespace: plain });
      await service.delete(meta, NS);
      expect(kvEntrySend).toHaveBeenCalledWith(NamespacePattern.DELETE, { ...meta, namespaceId: NS });
      expect(directory.evict).toHaveBeenCalledWith(NS);
      expect(secretsSend).not.toHaveBeenCalled();
    });

    it('deletes a secret namespace in kv-entry, then purges its secrets, as the reply describes it', async () => {
      kvEntrySend.mockResolvedValue({ deleted: true, namespace: secret });
      secretsSend.mockResolvedValue(undefined);
      await service.delete(meta, NS);
      expect(secretsSend).toHaveBeenCalledWith(SecretNamespacePattern.PURGE, { ...meta, namespaceId: NS, namespace: secret });
      expect(kvEntrySend.mock.invocationCallOrder[0]).toBeLessThan(secretsSend.mock.invocationCallOrder[0]!);
      expect(directory.describe).not.toHaveBeenCalled();
    });

    it('purges nothing, and still evicts, when kv-entry does not delete', async () => {
      kvEntrySend.mockRejectedValue(new KvException(ErrorCode.NAMESPACE_NOT_FOUND, `namespace ${NS} not found`));
      await expect(service.delete(meta, NS)).rejects.toMatchObject({ code: ErrorCode.NAMESPACE_NOT_FOUND });
      expect(secretsSend).not.toHaveBeenCalled();
      expect(directory.evict).toHaveBeenCalledWith(NS);
    });

    it('answers SERVICE_UNAVAILABLE when the purge fails, and logs the namespace for an operator', async () => {
      kvEntrySend.mockResolvedValue({ deleted: true, namespace: secret });
      secretsSend.mockRejectedValue(new KvException(ErrorCode.MASTER_KEY_UNAVAILABLE, 'no master key'));
      await expect(service.delete(meta, NS)).rejects.toMatchObject({
        code: ErrorCode.SERVICE_UNAVAILABLE,
        message: expect.stringContaining(NS),
      });
      expect(logged).toHaveBeenCalledWith(
        expect.stringMatching(
          new RegExp(`namespace ${NS} was deleted but its secrets were not purged \\(MASTER_KEY_UNAVAILABLE, requestId=req-1\\)`),
        ),
      );
      expect(directory.evict).toHaveBeenCalledWith(NS);
    });
  });
});
