import { ErrorCode } from '@app/contracts';
import { Permission } from '@app/permissions';
import { NamespaceAccess } from './namespace-access.service';
import { NamespaceEntity } from './namespace.entity';
import { NamespacesRepository } from './namespaces.repository';
import { aWriter } from '../../../../test/support/principals';

const NS_ID = '3f0c2a5e-0000-4000-8000-00000000000a';
const actor = aWriter({ id: 'u', applications: ['billing'] });
const namespace = (isSecret = false) =>
  Object.assign(new NamespaceEntity(), {
    id: NS_ID,
    applicationId: 'billing',
    name: 'n',
    description: null,
    isSecret,
    defaultTtlSeconds: null,
  });

describe('NamespaceAccess', () => {
  const findById = jest.fn<Promise<NamespaceEntity | null>, [string]>();
  const access = new NamespaceAccess({ findById } as unknown as NamespacesRepository);

  beforeEach(() => findById.mockReset());

  it('loads the namespace with one lookup and returns it when allowed', async () => {
    findById.mockResolvedValue(namespace());
    await expect(access.authorize(actor, NS_ID, Permission.EntryRead)).resolves.toMatchObject({ id: NS_ID });
    expect(findById).toHaveBeenCalledTimes(1);
    expect(findById).toHaveBeenCalledWith(NS_ID);
  });

  it('answers NAMESPACE_NOT_FOUND when the lookup finds nothing', async () => {
    findById.mockResolvedValue(null);
    await expect(access.authorize(actor, NS_ID)).rejects.toMatchObject({ code: ErrorCode.NAMESPACE_NOT_FOUND });
  });

  it('lets entry operations into a plain namespace', async () => {
    findById.mockResolvedValue(namespace());
    await expect(access.authorizeForEntries(actor, NS_ID, Permission.EntryWrite)).resolves.toMatchObject({ id: NS_ID });
  });

  it('keeps entry operations out of a secret namespace', async () => {
    findById.mockResolvedValue(namespace(true));
    await expect(access.authorizeForEntries(actor, NS_ID, Permission.EntryWrite)).rejects.toMatchObject({
      code: ErrorCode.SECRET_NAMESPACE_UNSUPPORTED,
    });
  });

  it('authorizes before it tells a secret namespace apart', async () => {
    findById.mockResolvedValue(namespace(true));
    await expect(access.authorizeForEntries({ ...actor, permissions: [] }, NS_ID, Permission.EntryWrite)).rejects.toMatchObject({
      code: ErrorCode.FORBIDDEN,
    });
  });
});
