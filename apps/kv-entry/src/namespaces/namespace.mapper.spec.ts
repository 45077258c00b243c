import { NamespaceEntity } from './namespace.entity';
import { toNamespaceDescriptor, toNamespaceDto } from './namespace.mapper';

const entity = Object.assign(new NamespaceEntity(), {
  id: '6c1f0c52-6a4f-4b8e-9d55-0c1d1f5f3a10',
  applicationId: 'billing',
  name: 'config',
  description: null,
  isSecret: false,
  defaultTtlSeconds: 60,
  maxSecretVersions: null,
  createdAt: new Date('2024-05-01T12:00:00.000Z'),
  updatedAt: new Date('2024-05-02T12:00:00.000Z'),
});

describe('toNamespaceDto', () => {
  it('maps every field, timestamps as ISO strings', () => {
    expect(toNamespaceDto(entity)).toEqual({
      id: entity.id,
      applicationId: 'billing',
      name: 'config',
      description: null,
      isSecretNamespace: false,
      defaultTtlSeconds: 60,
      maxSecretVersions: null,
      createdAt: '2024-05-01T12:00:00.000Z',
      updatedAt: '2024-05-02T12:00:00.000Z',
    });
  });
});

describe('toNamespaceDescriptor', () => {
  it('keeps only what routing and serving entries need: no name, description or timestamps', () => {
    const secret = Object.assign(new NamespaceEntity(), { ...entity, isSecret: true, maxSecretVersions: 5 });
    expect(toNamespaceDescriptor(secret)).toEqual({
      id: entity.id,
      applicationId: 'billing',
      isSecretNamespace: true,
      defaultTtlSeconds: 60,
      maxSecretVersions: 5,
    });
  });
});
