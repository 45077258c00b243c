import { AuditAction } from '@app/contracts';
import { isUUID } from 'class-validator';
import { Reanchor, honouredReanchors, reanchorAnnouncementId } from './reanchor';

const reanchor: Reanchor = {
  sequence: '3',
  recordHash: 'a'.repeat(64),
  storedHash: 'b'.repeat(64),
  reason: 'lone surrogate stored as U+FFFD',
  operator: 'ops-1',
};

describe('reanchorAnnouncementId', () => {
  it('is a version 8 UUID, the same for the same re-anchoring', () => {
    const id = reanchorAnnouncementId(reanchor);
    expect(isUUID(id)).toBe(true);
    expect(id[14]).toBe('8');
    expect('89ab').toContain(id[19]);
    expect(reanchorAnnouncementId({ ...reanchor })).toBe(id);
  });

  it('changes with anything the re-anchoring says', () => {
    const id = reanchorAnnouncementId(reanchor);
    for (const changed of [
      { sequence: '4' },
      { recordHash: 'c'.repeat(64) },
      { storedHash: 'c'.repeat(64) },
      { reason: 'another' },
      { operator: 'ops-2' },
    ]) {
      expect(reanchorAnnouncementId({ ...reanchor, ...changed })).not.toBe(id);
    }
  });
});

describe('honouredReanchors', () => {
  const announcement = (overrides: Partial<{ id: string; sequence: string; action: string }> = {}) => ({
    id: reanchorAnnouncementId(reanchor),
    sequence: '9',
    action: AuditAction.AUDIT_REANCHOR,
    ...overrides,
  });

  it('honours a re-anchoring announced after its record', () => {
    expect(honouredReanchors([reanchor], [announcement()])).toEqual(new Map([['3', reanchor]]));
  });

  it('honours none without its announcement, or with a record of its id that is no announcement, or one stored before it', () => {
    expect(honouredReanchors([reanchor], [])).toEqual(new Map());
    expect(honouredReanchors([reanchor], [announcement({ action: AuditAction.READ })])).toEqual(new Map());
    expect(honouredReanchors([reanchor], [announcement({ sequence: '3' })])).toEqual(new Map());
    expect(honouredReanchors([reanchor], [announcement({ sequence: '2' })])).toEqual(new Map());
  });

  it('honours none that was changed after its announcement', () => {
    expect(honouredReanchors([{ ...reanchor, storedHash: 'c'.repeat(64) }], [announcement()])).toEqual(new Map());
    expect(honouredReanchors([{ ...reanchor, reason: 'covering up' }], [announcement()])).toEqual(new Map());
  });
});
