import { Test } from '@nestjs/testing';
import { ErrorCode, KvException, NamespaceInput, decodeCursor, encodeCursor } from '@app/contracts';
import { OutboxTransactions, ChangeLog } from '@app/entry-store';
import type { Principal } from '@app/permissions';
import { recordingOutbox } from '../../../../test/support/recording-outbox';
import type { NamespaceCall } from '../kv-call';
import { NamespaceAccess } from './namespace-access.service';
import { NamespaceEntity } from './namespace.entity';
import { NamespacesRepository } from './namespaces.repository';
import { NamespacesService } from './namespaces.service';
import { aPrincipal, anAdmin } from '../../../../test/support/principals';

const NS_ID = '3f0c2a5e-0000-4000-8000-00000000000a';
const admin = anAdmin();
/** A call of `actor` about the namespace, as a test makes it: without a gateway request. */
const callBy = (actor: Principal): NamespaceCall => ({ actor, namespaceId: NS_ID });

function entity(overrides: Partial<NamespaceEntity> = {}): NamespaceEntity {
  return Object.assign(new NamespaceEntity(), {
    id: NS_ID,
    applicationId: 'billing',
    name: 'config',
    description: 'd',
    isSecret: false,
    defaultTtlSeconds: 60,
    maxSecretVersions: null,
    createdAt: new Date('2024-05-01T00:00:00Z'),
    updatedAt: new Date('2024-05-01T00:00:00Z'),
    ...overrides,
  });
}

describe('NamespacesService', () => {
  let service: NamespacesService;
  const repository = { findById: jest.fn(), lockById: jest.fn(), insert: jest.fn(), update: jest.fn(), delete: jest.fn(), list: jest.fn() };

  const { events: outboxEvents, changes } = recordingOutbox();

  beforeEach(async () => {
    Object.values(repository).forEach((mock) => mock.mockReset());
    outboxEvents.length = 0;
    const moduleRef = await Test.createTestingModule({
      providers: [
        NamespacesService,
        NamespaceAccess,
        { provide: NamespacesRepository, useValue: repository },
        { provide: OutboxTransactions, useValue: changes },
        { provide: ChangeLog, useValue: { headRevision: async () => 42 } },
      ],
    }).compile();
    service = moduleRef.get(NamespacesService);
  });

  describe('create', () => {
    const input: NamespaceInput = { name: 'config', applicationId: 'billing' };

    it('inserts with defaults and maps the result', async () => {
      repository.insert.mockResolvedValue(entity({ description: null, defaultTtlSeconds: null }));
      const dto = await service.create({ actor: admin }, input);
      expect(repository.insert).toHaveBeenCalledWith(
        { applicationId: 'billing', name: 'config', description: null, isSecret: false, defaultTtlSeconds: null, maxSecretVersions: null },
        'tx-manager',
      );
      expect(dto).toMatchObject({ id: NS_ID, isSecretNamespace: false, maxSecretVersions: null, createdAt: '2024-05-01T00:00:00.000Z' });
      expect(outboxEvents).toEqual([
        expect.objectContaining({
          type: 'kv.namespace.created',
          applicationId: 'billing',
          namespaceId: NS_ID,
          actor: admin.id,
          entryId: null,
          version: null,
        }),
      ]);
    });

    it('stores a version cap on a secret namespace', async () => {
      repository.insert.mockResolvedValue(entity({ isSecret: true, maxSecretVersions: 3 }));
      const dto = await service.create({ actor: admin }, { ...input, isSecretNamespace: true, maxSecretVersions: 3 });
      expect(repository.insert).toHaveBeenCalledWith(expect.objectContaining({ isSecret: true, maxSecretVersions: 3 }), 'tx-manager');
      expect(dto).toMatchObject({ isSecretNamespace: true, maxSecretVersions: 3 });
    });

    it('refuses a version cap on a plain namespace with VALIDATION_FAILED', async () => {
      for (const kind of [{}, { isSecretNamespace: false }]) {
        await expect(service.create({ actor: admin }, { ...input, ...kind, maxSecretVersions: 3 })).rejects.toMatchObject({
          code: ErrorCode.VALIDATION_FAILED,
          message: expect.stringContaining('maxSecretVersions: applies only to secret namespaces'),
        });
      }
      expect(repository.insert).not.toHaveBeenCalled();
    });

    it('takes a JSON null cap on a plain namespace as no cap', async () => {
      repository.insert.mockResolvedValue(entity());
      await service.create({ actor: admin }, { ...input, maxSecretVersions: null as unknown as undefined });
      expect(repository.insert).toHaveBeenCalledWith(expect.objectContaining({ maxSecretVersions: null }), 'tx-manager');
    });

    it('cannot create a namespace in an application the actor cannot access', async () => {
      await expect(service.create({ actor: { ...admin, applications: ['shipping'] } }, input)).rejects.toMatchObject({
        code: ErrorCode.FORBIDDEN,
      });
      expect(repository.insert).not.toHaveBeenCalled();
    });

    it('passes NAMESPACE_EXISTS from the repository through', async () => {
      repository.insert.mockRejectedValue(new KvException(ErrorCode.NAMESPACE_EXISTS, 'taken'));
      await expect(service.create({ actor: admin }, input)).rejects.toMatchObject({ code: ErrorCode.NAMESPACE_EXISTS });
    });
  });

  describe('update', () => {
    beforeEach(() => repository.findById.mockResolvedValue(entity()));

    it('replaces name, description, default TTL and version cap (omitted ones become null)', async () => {
      repository.update.mockResolvedValue(entity({ name: 'renamed', description: null, defaultTtlSeconds: null }));
      await service.update(callBy(admin), { name: 'renamed', applicationId: 'billing' });
      expect(repository.update).toHaveBeenCalledWith(
        'billing',
        NS_ID,
        { name: 'renamed', description: null, defaultTtlSeconds: null, maxSecretVersions: null },
        'tx-manager',
      );
      expect(outboxEvents.map((event) => event.type)).toEqual(['kv.namespace.updated']);
    });

    it('replaces the version cap of a secret namespace', async () => {
      repository.findById.mockResolvedValue(entity({ isSecret: true, maxSecretVersions: 3 }));
      repository.update.mockResolvedValue(entity({ isSecret: true, maxSecretVersions: 10 }));
      await expect(
        service.update(callBy(admin), { name: 'config', applicationId: 'billing', maxSecretVersions: 10 }),
      ).resolves.toMatchObject({
        maxSecretVersions: 10,
      });
      expect(repository.update).toHaveBeenCalledWith('billing', NS_ID, expect.objectContaining({ maxSecretVersions: 10 }), 'tx-manager');
    });

    it('refuses a version cap on a plain namespace with VALIDATION_FAILED', async () => {
      await expect(service.update(callBy(admin), { name: 'config', applicationId: 'billing', maxSecretVersions: 3 })).rejects.toMatchObject(
        {
          code: ErrorCode.VALIDATION_FAILED,
        },
      );
      expect(repository.update).not.toHaveBeenCalled();
    });

    it('refuses to change the kind', async () => {
      await expect(
        service.update(callBy(admin), { name: 'config', applicationId: 'billing', isSecretNamespace: true }),
      ).rejects.toMatchObject({
        code: ErrorCode.NAMESPACE_KIND_IMMUTABLE,
      });
      expect(repository.update).not.toHaveBeenCalled();
    });

    it('accepts the same kind stated again', async () => {
      repository.update.mockResolvedValue(entity());
      await expect(
        service.update(callBy(admin), { name: 'config', applicationId: 'billing', isSecretNamespace: false }),
      ).resolves.toBeDefined();
    });

    it('refuses to move to another application', async () => {
      await expect(service.update(callBy(admin), { name: 'config', applicationId: 'shipping' })).rejects.toMatchObject({
        code: ErrorCode.APPLICATION_IMMUTABLE,
      });
    });

    it('answers NAMESPACE_NOT_FOUND when the namespace vanished meanwhile', async () => {
      repository.update.mockResolvedValue(null);
      await expect(service.update(callBy(admin), { name: 'config', applicationId: 'billing' })).rejects.toMatchObject({
        code: ErrorCode.NAMESPACE_NOT_FOUND,
      });
    });

    it('needs kv-namespace:write', async () => {
      await expect(
        service.update(callBy({ ...admin, permissions: ['kv-namespace:read'] }), { name: 'x', applicationId: 'billing' }),
      ).rejects.toMatchObject({
        code: ErrorCode.FORBIDDEN,
        message: 'missing permission kv-namespace:write',
      });
    });
  });

  describe('describe', () => {
    it('gives the descriptor to an actor with no permission at all, if it may access the application', async () => {
      repository.findById.mockResolvedValue(entity({ isSecret: true, maxSecretVersions: 7 }));
      await expect(service.describe(callBy(aPrincipal([], { id: 'router', applications: ['billing'] })))).resolves.toEqual({
        id: NS_ID,
        applicationId: 'billing',
        isSecretNamespace: true,
        defaultTtlSeconds: 60,
        maxSecretVersions: 7,
        revision: 42,
      });
    });

    it('answers NAMESPACE_NOT_FOUND for a namespace of an application the actor cannot access', async () => {
      repository.findById.mockResolvedValue(entity());
      await expect(service.describe(callBy({ ...admin, applications: ['shipping'] }))).rejects.toMatchObject({
        code: ErrorCode.NAMESPACE_NOT_FOUND,
        message: `namespace ${NS_ID} not found`,
      });
    });

    it('answers NAMESPACE_NOT_FOUND for a missing namespace', async () => {
      repository.findById.mockResolvedValue(null);
      await expect(service.describe(callBy(admin))).rejects.toMatchObject({ code: ErrorCode.NAMESPACE_NOT_FOUND });
    });
  });

  describe('delete', () => {
    it("deletes within the namespace application, its row locked in the change's own transaction", async () => {
      repository.lockById.mockResolvedValue(entity());
      repository.delete.mockResolvedValue(true);
      await expect(service.delete(callBy(admin))).resolves.toEqual({
        deleted: true,
        namespace: { id: NS_ID, applicationId: 'billing', isSecretNamespace: false, defaultTtlSeconds: 60, maxSecretVersions: null },
      });
      expect(repository.lockById).toHaveBeenCalledWith(NS_ID, 'tx-manager');
      expect(repository.findById).not.toHaveBeenCalled();
      expect(repository.delete).toHaveBeenCalledWith('billing', NS_ID, 'tx-manager');
      expect(outboxEvents.map((event) => [event.type, event.namespaceId])).toEqual([['kv.namespace.deleted', NS_ID]]);
    });

    it('needs kv-namespace:delete', async () => {
      repository.lockById.mockResolvedValue(entity());
      await expect(service.delete(callBy({ ...admin, permissions: ['kv-namespace:write'] }))).rejects.toMatchObject({
        code: ErrorCode.FORBIDDEN,
      });
      expect(repository.delete).not.toHaveBeenCalled();
    });
  });

  describe('list', () => {
    it('fetches one row more than the limit and makes a cursor from the last item shown', async () => {
      repository.list.mockResolvedValue([entity({ name: 'a' }), entity({ name: 'b' }), entity({ name: 'c' })]);
      const page = await service.list({ actor: admin }, { limit: 2 });
      expect(repository.list).toHaveBeenCalledWith({ applicationIds: null, namespaceIds: null }, null, 3);
      expect(page.items.map((item) => item.name)).toEqual(['a', 'b']);
      expect(decodeCursor(page.nextCursor!, 2)).toEqual(['billing', 'b']);
    });

    it('continues after the cursor position', async () => {
      repository.list.mockResolvedValue([]);
      await service.list({ actor: admin }, { cursor: encodeCursor(['billing', 'b']) });
      expect(repository.list).toHaveBeenCalledWith(expect.anything(), ['billing', 'b'], 101);
    });

    it('answers INVALID_CURSOR for a cursor it did not make', async () => {
      await expect(service.list({ actor: admin }, { cursor: encodeCursor(['only-one']) })).rejects.toMatchObject({
        code: ErrorCode.INVALID_CURSOR,
      });
    });

    it('returns an empty page without querying when nothing can match', async () => {
      await expect(service.list({ actor: { ...admin, applications: ['shipping'] } }, { applicationId: 'billing' })).resolves.toEqual({
        items: [],
        nextCursor: null,
      });
      expect(repository.list).not.toHaveBeenCalled();
    });
  });
});
