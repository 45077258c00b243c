import { getMetadataStorage, validateSync } from 'class-validator';
import { AUDIT_FIELD_MAX_LENGTH, AuditAction, AuditRecordMessage } from './audit-record';
import { auditRecordBreaches, sanitizedAuditRecord } from './audit-record-check';
import { anAuditRecord } from '../../../../test/support/samples';

const valid = anAuditRecord({ namespaceId: '8a2676cf-37c4-4523-9bd1-b0a75c8948d0', keyPath: 'db/password', clientAddress: '10.0.0.7' });

type Field = keyof AuditRecordMessage;
const TEXT_FIELDS = Object.keys(AUDIT_FIELD_MAX_LENGTH) as Array<keyof typeof AUDIT_FIELD_MAX_LENGTH>;

/** Values each field must refuse or take, meant to sit on either side of every rule. */
const refused: Record<Field, unknown[]> = {
  id: ['nope', '6f1c0a52-3d55-4f7e-9d0b-0c3b1f2a9e1', 42, null, undefined],
  occurredAt: ['yesterday', '2026-13-01T00:00:00Z', 1764590400000, null],
  action: ['PEEK', 'read', AuditAction.AUDIT_REANCHOR, null],
  success: ['true', 1, null],
  userId: ['a\u0000b', 'x\ud800', '\udfffy', 'z'.repeat(AUDIT_FIELD_MAX_LENGTH.userId + 1), 7, null, undefined],
  applicationId: ['app\u0000', '\ud83d', 'a'.repeat(AUDIT_FIELD_MAX_LENGTH.applicationId + 1), 5, {}],
  namespaceId: ['not-a-uuid', 12, ''],
  entryId: ['not-a-uuid', true],
  keyPath: ['u/\ud800', 'k\u0000', 'k'.repeat(AUDIT_FIELD_MAX_LENGTH.keyPath + 1), ['k']],
  requestId: ['r\u0000', 'r'.repeat(AUDIT_FIELD_MAX_LENGTH.requestId + 1), 9],
  clientAddress: ['10.0.0.1\u0000', '\udc00', 'c'.repeat(AUDIT_FIELD_MAX_LENGTH.clientAddress + 1)],
  errorCode: ['E\u0000', 'e'.repeat(AUDIT_FIELD_MAX_LENGTH.errorCode + 1), 404],
  eventType: ['kv.entry.exploded', 3],
};
const accepted: Partial<Record<Field, unknown[]>> = {
  id: ['6F1C0A52-3D55-4F7E-9D0B-0C3B1F2A9E10'],
  occurredAt: ['2026-11-22T13:00:00.123456+01:00', '2026-11-22'],
  userId: ['', 'é😀', '😀'.repeat(AUDIT_FIELD_MAX_LENGTH.userId), 'z'.repeat(AUDIT_FIELD_MAX_LENGTH.userId), '\ufffd'],
  applicationId: [null, undefined],
  entryId: ['45ac32a3-431c-45c3-80cf-a3ce665be280', null],
  keyPath: [null, 'u/\ud83d\ude00', 'k'.repeat(AUDIT_FIELD_MAX_LENGTH.keyPath)],
  eventType: ['kv.entry.updated', null],
};

/** What class-validator says of a record: the fields it refuses, in declaration order. */
function validatorBreaches(record: AuditRecordMessage): Field[] {
  const refusedFields = new Set(validateSync(Object.assign(new AuditRecordMessage(), record)).map((error) => error.property as Field));
  return (Object.keys(refused) as Field[]).filter((field) => refusedFields.has(field));
}

const describeValue = (value: unknown) => JSON.stringify(value)?.slice(0, 40) ?? String(value);

describe('auditRecordBreaches', () => {
  it('finds nothing in a valid record', () => {
    expect(auditRecordBreaches(valid)).toEqual([]);
  });

  it('answers as validateSync does on AuditRecordMessage, for every field, on both sides of every rule', () => {
    const cases: Array<[Field, unknown]> = [
      ...(Object.entries(refused) as Array<[Field, unknown[]]>).flatMap(([field, values]) =>
        values.map((value): [Field, unknown] => [field, value]),
      ),
      ...(Object.entries(accepted) as Array<[Field, unknown[]]>).flatMap(([field, values]) =>
        values.map((value): [Field, unknown] => [field, value]),
      ),
    ];
    for (const [field, value] of cases) {
      const record = { ...valid, [field]: value } as AuditRecordMessage;
      expect({ field, value: describeValue(value), breaches: auditRecordBreaches(record) }).toEqual({
        field,
        value: describeValue(value),
        breaches: validatorBreaches(record),
      });
    }
    for (const [field, values] of Object.entries(refused)) {
      for (const value of values) expect(auditRecordBreaches({ ...valid, [field]: value } as AuditRecordMessage)).toEqual([field]);
    }
  });

  it('covers every field the class validates (a new rule needs a case here)', () => {
    const validated = new Set(
      getMetadataStorage()
        .getTargetValidationMetadatas(AuditRecordMessage, '', false, false)
        .map((rule) => rule.propertyName),
    );
    expect([...validated].sort()).toEqual(Object.keys(refused).sort());
  });

  it('names every breaking field at once', () => {
    expect(auditRecordBreaches({ ...valid, userId: 'a\u0000', keyPath: '\ud800', requestId: 'r\u0000' })).toEqual([
      'userId',
      'keyPath',
      'requestId',
    ]);
  });
});

describe('sanitizedAuditRecord', () => {
  const sanitize = (record: AuditRecordMessage) => sanitizedAuditRecord(record, auditRecordBreaches(record));

  it('keeps the call: nulls a breaking field that may be null, and leaves every other field as it was', () => {
    const sanitized = sanitize({ ...valid, keyPath: 'u/\ud800', clientAddress: 'x'.repeat(65) });
    expect(sanitized).toEqual({ ...valid, keyPath: null, clientAddress: null });
    expect(auditRecordBreaches(sanitized!)).toEqual([]);
  });

  it('keeps the principal recognisable: each forbidden character of userId becomes U+FFFD, the rest stays', () => {
    expect(sanitize({ ...valid, userId: 'mallory\u0000\ud800' })).toMatchObject({ userId: 'mallory\ufffd\ufffd' });
    expect(sanitize({ ...valid, userId: '\udfffeve\ud83d\ude00' })).toMatchObject({ userId: '\ufffdeve\ud83d\ude00' });
  });

  it('cuts a userId that is too long at the limit, without splitting a character', () => {
    const sanitized = sanitize({ ...valid, userId: `${'😀'.repeat(AUDIT_FIELD_MAX_LENGTH.userId)}\u0000` })!;
    expect(sanitized.userId).toBe('😀'.repeat(AUDIT_FIELD_MAX_LENGTH.userId));
    expect(auditRecordBreaches(sanitized)).toEqual([]);
  });

  it('gives a valid record for every refused value of a field that has a stand-in', () => {
    for (const field of [...TEXT_FIELDS, 'namespaceId', 'entryId', 'eventType'] as Field[]) {
      for (const value of refused[field].filter((one) => field !== 'userId' || typeof one === 'string')) {
        expect(auditRecordBreaches(sanitize({ ...valid, [field]: value } as AuditRecordMessage)!)).toEqual([]);
      }
    }
  });

  it('gives up (null) when a field only the producer makes is broken, or userId is no text', () => {
    for (const broken of [
      { id: 'nope' },
      { occurredAt: 'yesterday' },
      { action: 'PEEK' },
      { success: 'yes' },
      { userId: 7 },
      { userId: null },
    ]) {
      expect(sanitize({ ...valid, ...broken } as unknown as AuditRecordMessage)).toBeNull();
    }
  });
});
