import { AuditAction } from '@app/contracts';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../../../scripts/platform/repo-root';
import { pruneAuditRecords } from '../src/retention/audit-pruner';
import { reanchorAuditRecord } from '../src/reanchoring/audit-reanchorer';
import { parseAuditMessage } from '../src/records/audit-message';
import { auditRecord, emptyAuditTrail, useAuditDatabase } from './audit-testing';
import { anAuditor } from '../../../test/support/principals';

/**
 * A chain damaged by the old audit service, which hashed a lone surrogate as sent but stored U+FFFD:
 * verification stopped at that record for ever, hiding any later tampering.
 */
describe('re-anchoring verification after a record stored other than it was hashed', () => {
  const trail = useAuditDatabase();

  beforeEach(() => emptyAuditTrail(trail.dataSource));

  const verify = () => trail.service.verify(anAuditor());
  const reanchor = (sequence: string, overrides: Partial<Parameters<typeof reanchorAuditRecord>[1]> = {}) =>
    reanchorAuditRecord(trail.dataSource, {
      sequence,
      operator: 'ops-anna',
      reason: 'lone surrogate in userId stored as U+FFFD (issue 17)',
      ...overrides,
    });
  const alter = (sequence: number, assignment: string) =>
    trail.dataSource.query(`UPDATE audit_record SET ${assignment} WHERE sequence = $1`, [sequence]);

  /** Ten records, the fourth as the old service left it: what was hashed held a lone surrogate, what is stored U+FFFD. */
  async function damagedChain(): Promise<void> {
    const namespaceId = '8a2676cf-37c4-4523-9bd1-b0a75c8948d0';
    await trail.repository.append(
      Array.from({ length: 10 }, (_, i) =>
        auditRecord({ userId: i === 3 ? 'odd-sub' : `user-${i}`, applicationId: 'billing', namespaceId }),
      ),
      new Date(),
    );
    await alter(4, `user_id = 'odd' || chr(65533) || 'sub'`);
  }

  it('verification goes on past the re-anchored record, says so, and the chain records who did it and why', async () => {
    await damagedChain();
    expect(await verify()).toMatchObject({ ok: false, checked: 3, firstBrokenSequence: '4', reason: expect.stringContaining('altered') });

    const report = await reanchor('4');
    expect(report).toEqual({ sequence: '4', announcementId: expect.any(String), announcementSequence: '11' });
    expect(await verify()).toEqual({ ok: true, checked: 11, firstBrokenSequence: null, reason: null, reanchored: ['4'] });

    const announcements = await trail.service.list(anAuditor(), { action: AuditAction.AUDIT_REANCHOR });
    expect(announcements.items).toEqual([
      expect.objectContaining({
        id: report.announcementId,
        sequence: '11',
        userId: 'ops-anna',
        requestId: 'reanchor:4',
        applicationId: 'billing',
        namespaceId: '8a2676cf-37c4-4523-9bd1-b0a75c8948d0',
      }),
    ]);
    expect(await trail.dataSource.query('SELECT sequence, reason, operator FROM audit_reanchor')).toEqual([
      { sequence: '4', reason: 'lone surrogate in userId stored as U+FFFD (issue 17)', operator: 'ops-anna' },
    ]);
  });

  it('hides no tampering: a later record changed, the re-anchored record changed again, or the re-anchoring itself changed', async () => {
    await damagedChain();
    await reanchor('4');
    await trail.repository.append([auditRecord()], new Date());

    await alter(7, `key_path = 'elsewhere'`);
    expect(await verify()).toMatchObject({ ok: false, firstBrokenSequence: '7', reanchored: ['4'] });
    await alter(7, `key_path = 'db/host'`);
    expect(await verify()).toMatchObject({ ok: true, checked: 12 });

    await alter(4, `user_id = 'someone-else'`);
    expect(await verify()).toMatchObject({ ok: false, firstBrokenSequence: '4', reanchored: [] });
    await alter(4, `user_id = 'odd' || chr(65533) || 'sub'`);

    await trail.dataSource.query(`UPDATE audit_reanchor SET reason = 'nothing to see'`);
    expect(await verify()).toMatchObject({ ok: false, firstBrokenSequence: '4' });
    await trail.dataSource.query(`UPDATE audit_reanchor SET reason = 'lone surrogate in userId stored as U+FFFD (issue 17)'`);
    expect(await verify()).toMatchObject({ ok: true });

    // The announcement is a link of the chain: removing or rewriting it is caught as any other change.
    await alter(11, `user_id = 'ops-someone'`);
    expect(await verify()).toMatchObject({ ok: false, firstBrokenSequence: '11' });
  });

  it('refuses what is no damage of the old behaviour, and writes nothing then', async () => {
    await trail.repository.append(
      Array.from({ length: 6 }, () => auditRecord()),
      new Date(),
    );
    await expect(reanchor('3')).rejects.toThrow('the audit chain verifies: nothing to re-anchor');

    await alter(3, `user_id = 'mallory'`);
    await expect(reanchor('3')).rejects.toThrow('holds no U+FFFD');
    await alter(3, `user_id = 'x' || chr(65533)`);
    await expect(reanchor('2')).rejects.toThrow('verification stops at record 3');
    await alter(5, `user_id = 'y' || chr(65533)`);
    await expect(reanchor('5')).rejects.toThrow('verification stops at record 3');

    await trail.dataSource.query('DELETE FROM audit_record WHERE sequence = 3');
    await expect(reanchor('3')).rejects.toThrow('record 3 is missing');
    expect(await trail.dataSource.query('SELECT count(*)::int AS n FROM audit_reanchor')).toEqual([{ n: 0 }]);
    expect(await trail.dataSource.query('SELECT max(sequence) AS max FROM audit_record')).toEqual([{ max: '6' }]);
  });

  it('refuses a record whose hash column was rewritten too (the next one no longer links to it)', async () => {
    await damagedChain();
    await alter(4, `hash = repeat('f', 64)`);
    // Verification stops at 4 (its hash no longer matches); its successor links to the original hash.
    await expect(reanchor('4')).rejects.toThrow('record 5 does not link to record 4');
  });

  it('re-anchors damaged records one at a time, in order, and a dry run writes nothing', async () => {
    await damagedChain();
    await alter(8, `key_path = 'u/' || chr(65533)`);
    await expect(reanchor('4', { dryRun: true })).resolves.toMatchObject({ sequence: '4', announcementSequence: null });
    expect(await verify()).toMatchObject({ ok: false, firstBrokenSequence: '4' });
    await reanchor('4');
    expect(await verify()).toMatchObject({ ok: false, firstBrokenSequence: '8', reanchored: ['4'] });
    await reanchor('8', { reason: 'lone surrogate in keyPath' });
    expect(await verify()).toMatchObject({ ok: true, checked: 12, reanchored: ['4', '8'] });
    await expect(reanchor('8')).rejects.toThrow('nothing to re-anchor');
  });

  it('still verifies after a prune of the re-anchored records', async () => {
    await damagedChain();
    await reanchor('4');
    await pruneAuditRecords(trail.dataSource, { cutoff: new Date(Date.now() + 1000), batchSize: 5 });
    expect(await verify()).toMatchObject({ ok: true, checked: 0 });
    await trail.repository.append([auditRecord()], new Date());
    expect(await verify()).toMatchObject({ ok: true, checked: 1, reanchored: [] });
  });

  it('is refused from the broker: no producer can publish an AUDIT_REANCHOR record', () => {
    expect(parseAuditMessage(Buffer.from(JSON.stringify(auditRecord({ action: AuditAction.AUDIT_REANCHOR }))))).toEqual({
      ok: false,
      reason: 'invalid action',
    });
  });

  it('as the npm command: exit code 3 and the reason on a refusal, the report on success', async () => {
    await damagedChain();
    const root = repoRoot();
    const run = (...args: string[]) => {
      try {
        return {
          status: 0,
          output: execFileSync(
            process.execPath,
            [
              '-r',
              'ts-node/register/transpile-only',
              '-r',
              'tsconfig-paths/register',
              join(root, 'apps/audit/src/reanchoring/reanchor-audit-record.ts'),
              ...args,
            ],
            {
              cwd: root,
              encoding: 'utf8',
              env: { ...process.env, KV_DATABASE_URL: trail.database.url },
              stdio: 'pipe',
            },
          ),
        };
      } catch (error) {
        const failed = error as { status: number; stderr: string };
        return { status: failed.status, output: failed.stderr };
      }
    };
    expect(run('--sequence', '5', '--operator', 'ops-anna', '--reason', 'x')).toEqual({
      status: 3,
      output: expect.stringContaining('verification stops at record 4'),
    });
    expect(run('--sequence', '4', '--operator', 'ops-anna', '--reason', 'lone surrogate')).toEqual({
      status: 0,
      output: expect.stringContaining('re-anchored record 4; announced by audit record'),
    });
    expect(await verify()).toMatchObject({ ok: true, reanchored: ['4'] });
  });
});
