import { AuditAction, KvEventType, auditRecordOfEvent } from '@app/contracts';
import { parseAuditMessage } from './audit-message';

const valid = {
  id: '6F1C0A52-3D55-4F7E-9D0B-0C3B1F2A9E10',
  occurredAt: '2026-11-22T13:00:00.123456+01:00',
  action: AuditAction.READ,
  success: false,
  userId: 'reader',
  applicationId: 'billing',
  namespaceId: '8A2676CF-37C4-4523-9BD1-B0A75C8948D0',
  keyPath: 'db/password',
  requestId: 'req-9',
  clientAddress: '10.0.0.9',
  errorCode: 'FORBIDDEN',
};

const body = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

describe('parseAuditMessage', () => {
  it('normalizes a valid record as Postgres will give it back: lower-case ids, millisecond UTC instants, nulls for absent fields', () => {
    expect(parseAuditMessage(body(valid))).toEqual({
      ok: true,
      records: [
        {
          index: 0,
          record: {
            id: '6f1c0a52-3d55-4f7e-9d0b-0c3b1f2a9e10',
            occurredAt: '2026-11-22T12:00:00.123Z',
            action: AuditAction.READ,
            success: false,
            userId: 'reader',
            applicationId: 'billing',
            namespaceId: '8a2676cf-37c4-4523-9bd1-b0a75c8948d0',
            entryId: null,
            keyPath: 'db/password',
            requestId: 'req-9',
            clientAddress: '10.0.0.9',
            errorCode: 'FORBIDDEN',
            eventType: null,
          },
        },
      ],
      refused: [],
    });
  });

  it('takes a batch: an array of records, all of them valid', () => {
    const second = { ...valid, id: '7f1c0a52-3d55-4f7e-9d0b-0c3b1f2a9e10' };
    const parsed = parseAuditMessage(body([valid, second]));
    expect(parsed.ok && parsed.records.map(({ index, record }) => [index, record.id])).toEqual([
      [0, valid.id.toLowerCase()],
      [1, second.id],
    ]);
  });

  it('judges each record of a batch on its own: the valid ones are kept, each refused one is given back as it came, with why', () => {
    const good = [
      valid,
      { ...valid, id: '7f1c0a52-3d55-4f7e-9d0b-0c3b1f2a9e10' },
      { ...valid, id: '8f1c0a52-3d55-4f7e-9d0b-0c3b1f2a9e10' },
    ];
    const hostile = [{ ...valid, userId: 'nul\u0000' }, { ...valid, keyPath: 'u/\ud800' }, { ...valid, success: 'yes' }, [valid], 'text'];
    const parsed = parseAuditMessage(body([hostile[0], good[0], hostile[1], hostile[2], good[1], hostile[3], hostile[4], good[2]]));
    expect(parsed.ok && parsed.records.map(({ index, record }) => [index, record.id])).toEqual([
      [1, good[0]!.id.toLowerCase()],
      [4, good[1]!.id],
      [7, good[2]!.id],
    ]);
    expect(parsed.ok && parsed.refused).toEqual([
      { index: 0, body: hostile[0], reason: 'record 0: invalid userId' },
      { index: 2, body: hostile[1], reason: 'record 2: invalid keyPath' },
      { index: 3, body: hostile[2], reason: 'record 3: invalid success' },
      { index: 5, body: hostile[3], reason: 'record 5: not a JSON object' },
      { index: 6, body: hostile[4], reason: 'record 6: not a JSON object' },
    ]);
  });

  it('refuses a record alone in its message whose text breaks the text rule, naming the field only', () => {
    expect(parseAuditMessage(body({ ...valid, userId: 'odd\u0000sub' }))).toEqual({ ok: false, reason: 'invalid userId' });
    expect(parseAuditMessage(body({ ...valid, requestId: '\udfff' }))).toEqual({ ok: false, reason: 'invalid requestId' });
  });

  it('accepts what the producers build from events', () => {
    const event = {
      id: '6f1c0a52-3d55-4f7e-9d0b-0c3b1f2a9e10',
      type: KvEventType.ENTRY_DELETED,
      occurredAt: '2026-11-22T12:00:00.000Z',
      applicationId: 'billing',
      namespaceId: '8a2676cf-37c4-4523-9bd1-b0a75c8948d0',
      entryId: '45ac32a3-431c-45c3-80cf-a3ce665be280',
      keyPath: 'k',
      version: 3,
      actor: 'deployer',
      requestId: null,
      schemaVersion: 1 as const,
    };
    expect(parseAuditMessage(body(auditRecordOfEvent(event, null)))).toMatchObject({
      ok: true,
      records: [{ record: { action: AuditAction.DELETE, eventType: KvEventType.ENTRY_DELETED } }],
    });
  });

  it('drops fields the contract does not know', () => {
    const parsed = parseAuditMessage(body({ ...valid, value: 'never-stored' }));
    expect(parsed.ok && JSON.stringify(parsed.records)).not.toContain('never-stored');
  });

  it.each([
    ['not JSON', Buffer.from('{"id":'), 'not JSON'],
    ['an empty batch', body([]), 'a batch must hold 1 to 500 records, not 0'],
    ['JSON null', body(null), 'not a JSON object'],
    ['a bad id', body({ ...valid, id: 'nope' }), 'invalid id'],
    ['an unknown action', body({ ...valid, action: 'HACK' }), 'invalid action'],
    ['no user', body({ ...valid, userId: undefined }), 'invalid userId'],
    ['a week date', body({ ...valid, occurredAt: '2026-W47' }), 'invalid occurredAt'],
    ['a batch too large', body(Array.from({ length: 501 }, () => valid)), 'a batch must hold 1 to 500 records, not 501'],
  ])('refuses %s as a whole, naming fields but never their content', (_name, content, reason) => {
    expect(parseAuditMessage(content)).toEqual({ ok: false, reason });
  });
});
