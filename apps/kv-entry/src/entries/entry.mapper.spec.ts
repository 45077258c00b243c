import { ValueType } from '@app/contracts';
import { EntryEntity } from './entry.entity';
import { toEntryDto } from './entry.mapper';

describe('toEntryDto', () => {
  const entity = Object.assign(new EntryEntity(), {
    id: 'a6f4b1de-5b0b-4c59-8f0e-7b0c1b2c3d4e',
    namespaceId: '6c1f0c52-6a4f-4b8e-9d55-0c1d1f5f3a10',
    keyPath: 'config/db/host',
    value: { host: 'db' },
    valueType: ValueType.JSON,
    version: 3,
    metadata: { owner: 'ops' },
    expiresAt: new Date('2024-06-01T00:00:00.000Z'),
    createdAt: new Date('2024-05-01T12:00:00.000Z'),
    updatedAt: new Date('2024-05-02T12:00:00.000Z'),
  });

  it('maps every field, timestamps as ISO strings', () => {
    expect(toEntryDto(entity)).toEqual({
      id: entity.id,
      namespaceId: entity.namespaceId,
      keyPath: 'config/db/host',
      value: { host: 'db' },
      valueType: ValueType.JSON,
      version: 3,
      metadata: { owner: 'ops' },
      expiresAt: '2024-06-01T00:00:00.000Z',
      createdAt: '2024-05-01T12:00:00.000Z',
      updatedAt: '2024-05-02T12:00:00.000Z',
    });
  });

  it('keeps a missing expiry as null', () =>
    expect(toEntryDto(Object.assign(new EntryEntity(), entity, { expiresAt: null })).expiresAt).toBeNull());
});
