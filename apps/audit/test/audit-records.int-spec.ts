import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditAction, AuditQuery, ErrorCode } from '@app/contracts';
import type { Principal } from '@app/permissions';
import { ChainedAuditRecord, GENESIS_LINK, verifyChainLinks } from '../src/chain/audit-chain';
import { IncomingAuditRecord } from '../src/records/audit-message';
import { AuditRecordsRepository } from '../src/records/audit-records.repository';
import { AuditRecordsService } from '../src/records/audit-records.service';
import { countPrunable, pruneAuditRecords } from '../src/retention/audit-pruner';
import { jsonlArchive } from '../src/retention/prune-audit-records';
import { auditRecord, emptyAuditTrail, useAuditTestbed } from './audit-testing';
import { providerOf } from '../../../test/support/service-testbed';
import { aPrincipal, anAuditor, scopedTo } from '../../../test/support/principals';

const NS_A = randomUUID();
const NS_B = randomUUID();
const DAY_MS = 24 * 3600 * 1000;

/** A record of namespace NS_A, as the repository takes it, without a request. */
function incoming(overrides: Partial<IncomingAuditRecord> = {}): IncomingAuditRecord {
  return { ...auditRecord({ namespaceId: NS_A, requestId: null, clientAddress: null }), ...overrides };
}

describe('audit records: list, verify, prune', () => {
  const instance = useAuditTestbed();
  const repository = providerOf(instance, AuditRecordsRepository);
  const service = providerOf(instance, AuditRecordsService);

  beforeEach(() => emptyAuditTrail(instance.dataSource));

  const append = (records: IncomingAuditRecord[], recordedAt = new Date()) => repository.append(records, recordedAt);
  const list = (query: AuditQuery, actor: Principal = anAuditor()) => service.list(actor, query);
  const keysOf = async (query: AuditQuery, actor?: Principal) => (await list(query, actor)).items.map((item) => item.keyPath);

  describe('LIST', () => {
    it('filters by namespace, key path, action, user, success and time (from inclusive, to exclusive), newest first', async () => {
      await append([
        incoming({ keyPath: 'a', occurredAt: '2026-01-01T00:00:00.000Z' }),
        incoming({ keyPath: 'b', namespaceId: NS_B, occurredAt: '2026-01-02T00:00:00.000Z' }),
        incoming({ keyPath: 'c', action: AuditAction.WRITE, eventType: 'kv.entry.updated', occurredAt: '2026-01-03T00:00:00.000Z' }),
        incoming({ keyPath: 'd', userId: 'intruder', success: false, errorCode: 'FORBIDDEN', occurredAt: '2026-01-04T00:00:00.000Z' }),
        incoming({ keyPath: 'a', occurredAt: '2026-01-05T00:00:00.000Z' }),
      ]);
      expect(await keysOf({})).toEqual(['a', 'd', 'c', 'b', 'a']);
      expect(await keysOf({ namespaceId: NS_B })).toEqual(['b']);
      expect(await keysOf({ namespaceId: NS_A, keyPath: 'a' })).toEqual(['a', 'a']);
      expect(await keysOf({ action: AuditAction.WRITE })).toEqual(['c']);
      expect(await keysOf({ userId: 'intruder' })).toEqual(['d']);
      expect(await keysOf({ success: false })).toEqual(['d']);
      expect(await keysOf({ from: '2026-01-02T00:00:00.000Z', to: '2026-01-04T00:00:00.000Z' })).toEqual(['c', 'b']);
      const [newest] = (await list({ limit: 1 })).items;
      expect(newest).toMatchObject({
        sequence: '5',
        keyPath: 'a',
        occurredAt: '2026-01-05T00:00:00.000Z',
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
    });

    it("shows a caller only their applications' records; records without an application only to callers of all", async () => {
      await append([
        incoming({ keyPath: 'billing' }),
        incoming({ keyPath: 'shop', applicationId: 'shop' }),
        incoming({ keyPath: 'none', applicationId: null, namespaceId: null }),
      ]);
      const of = (applications: string[]) => anAuditor({ applications });
      expect(await keysOf({}, of(['billing']))).toEqual(['billing']);
      expect(await keysOf({}, of(['billing', 'shop']))).toEqual(['shop', 'billing']);
      expect(await keysOf({}, of([]))).toEqual([]);
      expect(await keysOf({}, of(['*']))).toEqual(['none', 'shop', 'billing']);
    });

    it('pages newest first across pages with a cursor, each record once', async () => {
      await append(Array.from({ length: 25 }, (_, i) => incoming({ keyPath: `k${i}` })));
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await list({ limit: 10, cursor });
        seen.push(...page.items.map((item) => item.sequence));
        cursor = page.nextCursor ?? undefined;
        pages += 1;
      } while (cursor !== undefined);
      expect(pages).toBe(3);
      expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => String(25 - i)));
      await expect(list({ cursor: 'forged' })).rejects.toMatchObject({ code: ErrorCode.INVALID_CURSOR });
    });

    it('is FORBIDDEN without kv-audit:read; a grant scoped to a namespace counts for that namespace only', async () => {
      await append([incoming()]);
      const reader = aPrincipal(['kv-entry:read']);
      await expect(list({}, reader)).rejects.toMatchObject({ code: ErrorCode.FORBIDDEN, message: 'missing permission kv-audit:read' });
      const scoped = scopedTo(NS_A, ['kv-audit:read'], { applications: ['billing'] });
      expect((await list({ namespaceId: NS_A }, scoped)).items).toHaveLength(1);
      await expect(list({ namespaceId: NS_B }, scoped)).rejects.toMatchObject({ code: ErrorCode.FORBIDDEN });
      await expect(list({}, scoped)).rejects.toMatchObject({ code: ErrorCode.FORBIDDEN });
    });
  });

  describe('VERIFY', () => {
    beforeEach(() => append(Array.from({ length: 12 }, (_, i) => incoming({ keyPath: `k${i}` }))));

    it('passes over an intact chain, walked in slices', async () => {
      const spied = instance.moduleRef.get(AuditRecordsRepository);
      const slice = spied.chainSlice.bind(spied);
      const slices = jest.spyOn(spied, 'chainSlice').mockImplementation((after, upto) => slice(after, upto, 5));
      try {
        expect(await service.verify(anAuditor())).toEqual({
          ok: true,
          checked: 12,
          firstBrokenSequence: null,
          reason: null,
          reanchored: [],
        });
        expect(slices).toHaveBeenCalledTimes(3);
      } finally {
        slices.mockRestore();
      }
    });

    it.each([
      ['an altered record', `UPDATE audit_record SET user_id = 'someone-else' WHERE sequence = 5`, 4, 'altered'],
      [
        'a record stored beyond the chain head, bypassing the chain',
        `INSERT INTO audit_record SELECT sequence + 100, gen_random_uuid(), occurred_at, recorded_at, action, success, user_id, application_id,
           namespace_id, entry_id, key_path, request_id, client_address, error_code, event_type, prev_hash, hash FROM audit_record WHERE sequence = 12`,
        12,
        'beyond the chain head',
      ],
    ])('names %s', async (_what, tampering, checked, reason) => {
      await instance.dataSource.query(tampering);
      expect(await service.verify(anAuditor())).toMatchObject({
        ok: false,
        checked,
        firstBrokenSequence: String(checked + 1),
        reason: expect.stringContaining(reason),
      });
    });

    it('names a deleted record, at the end (the head still names it) or in the middle', async () => {
      await instance.dataSource.query('DELETE FROM audit_record WHERE sequence = 12');
      expect(await service.verify(anAuditor())).toMatchObject({
        ok: false,
        checked: 11,
        firstBrokenSequence: '12',
        reason: expect.stringContaining('missing'),
      });
      await instance.dataSource.query('DELETE FROM audit_record WHERE sequence = 7');
      expect(await service.verify(anAuditor())).toMatchObject({
        ok: false,
        checked: 6,
        firstBrokenSequence: '7',
        reason: 'record 7 is missing (the next record is 8)',
      });
    });

    it('needs kv-audit:read and every application', async () => {
      await expect(service.verify(aPrincipal(['kv-entry:read']))).rejects.toMatchObject({
        code: ErrorCode.FORBIDDEN,
        message: 'missing permission kv-audit:read',
      });
      await expect(service.verify(anAuditor({ applications: ['billing'] }))).rejects.toMatchObject({
        code: ErrorCode.FORBIDDEN,
        message: expect.stringContaining('all applications'),
      });
    });
  });

  describe('prune', () => {
    it('deletes the old prefix into a verifiable archive, and VERIFY still passes from the checkpoint', async () => {
      await append(
        Array.from({ length: 30 }, () => incoming()),
        new Date(Date.now() - 400 * DAY_MS),
      );
      await append(Array.from({ length: 10 }, () => incoming()));
      const cutoff = new Date(Date.now() - 365 * DAY_MS);
      expect(await countPrunable(instance.dataSource, cutoff)).toBe(30);
      const archivePath = join(mkdtempSync(join(tmpdir(), 'kv-audit-archive-')), 'audit.jsonl');
      const batches: number[] = [];
      const report = await pruneAuditRecords(instance.dataSource, {
        cutoff,
        batchSize: 7,
        archive: jsonlArchive(archivePath),
        onBatch: (progress) => batches.push(progress.pruned),
      });
      expect(report).toEqual({ pruned: 30, lastSequence: '30' });
      expect(batches).toEqual([7, 14, 21, 28, 30]);

      const archived = readFileSync(archivePath, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as ChainedAuditRecord);
      expect(archived.map((record) => record.sequence)).toEqual(Array.from({ length: 30 }, (_, i) => String(i + 1)));
      expect(verifyChainLinks(GENESIS_LINK, archived)).toMatchObject({ checked: 30, broken: null });
      expect(await countPrunable(instance.dataSource, cutoff)).toBe(0);
      expect(await service.verify(anAuditor())).toEqual({ ok: true, checked: 10, firstBrokenSequence: null, reason: null, reanchored: [] });

      // The checkpoint is where verification starts, so a record deleted right after it is still caught.
      await instance.dataSource.query('DELETE FROM audit_record WHERE sequence = 31');
      expect(await service.verify(anAuditor())).toMatchObject({ ok: false, firstBrokenSequence: '31' });
    });

    it('stops at the first record recorded after the cutoff', async () => {
      await append([incoming()], new Date(Date.now() - 400 * DAY_MS));
      await append([incoming()]);
      await append([incoming()], new Date(Date.now() - 400 * DAY_MS));
      expect(await pruneAuditRecords(instance.dataSource, { cutoff: new Date(Date.now() - 365 * DAY_MS), batchSize: 100 })).toEqual({
        pruned: 1,
        lastSequence: '1',
      });
      expect(await service.verify(anAuditor())).toMatchObject({ ok: true, checked: 2 });
    });
  });
});
