import { createHash } from 'node:crypto';
import { AuditAction } from '@app/contracts';
import {
  AuditRecordFields,
  ChainedAuditRecord,
  GENESIS_HASH,
  GENESIS_LINK,
  auditRecordHash,
  canonicalAuditRecord,
  chainRecords,
  verifyChainLinks,
} from './audit-chain';
import { Reanchor } from './reanchor';

const record = (overrides: Partial<AuditRecordFields> = {}): AuditRecordFields => ({
  id: '6f1c0a52-3d55-4f7e-9d0b-0c3b1f2a9e10',
  occurredAt: '2026-11-22T12:00:00.000Z',
  recordedAt: '2026-11-22T12:00:00.250Z',
  action: AuditAction.WRITE,
  success: true,
  userId: 'deployer',
  applicationId: 'billing',
  namespaceId: '8a2676cf-37c4-4523-9bd1-b0a75c8948d0',
  entryId: null,
  keyPath: 'database/port',
  requestId: 'req-1',
  clientAddress: '10.0.0.7',
  errorCode: null,
  eventType: 'kv.entry.updated',
  ...overrides,
});

const chainOf = (count: number): ChainedAuditRecord[] =>
  chainRecords(
    GENESIS_LINK,
    Array.from({ length: count }, (_, i) => record({ id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` })),
  );

describe('canonicalAuditRecord', () => {
  it('is a JSON array in a fixed order, independent of property order', () => {
    const reordered = Object.fromEntries(Object.entries(record()).reverse()) as unknown as AuditRecordFields;
    expect(canonicalAuditRecord('7', reordered)).toBe(canonicalAuditRecord('7', record()));
    expect(JSON.parse(canonicalAuditRecord('7', record()))).toEqual([
      1,
      '7',
      record().id,
      '2026-11-22T12:00:00.000Z',
      '2026-11-22T12:00:00.250Z',
      'WRITE',
      true,
      'deployer',
      'billing',
      record().namespaceId,
      null,
      'database/port',
      'req-1',
      '10.0.0.7',
      null,
      'kv.entry.updated',
    ]);
  });

  it('tells null from the string "null" and fields apart even when their text could shift between them', () => {
    expect(canonicalAuditRecord('1', record({ keyPath: null }))).not.toBe(canonicalAuditRecord('1', record({ keyPath: 'null' })));
    expect(canonicalAuditRecord('1', record({ userId: 'a","b', applicationId: 'c' }))).not.toBe(
      canonicalAuditRecord('1', record({ userId: 'a', applicationId: 'b","c' })),
    );
  });
});

describe('auditRecordHash', () => {
  it('is sha256 hex of the previous hash followed by the canonical form', () => {
    const expected = createHash('sha256')
      .update(GENESIS_HASH + canonicalAuditRecord('1', record()))
      .digest('hex');
    expect(auditRecordHash(GENESIS_HASH, '1', record())).toBe(expected);
    expect(expected).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes with any field, the sequence and the previous hash', () => {
    const base = auditRecordHash(GENESIS_HASH, '1', record());
    expect(auditRecordHash(GENESIS_HASH, '2', record())).not.toBe(base);
    expect(auditRecordHash('1'.repeat(64), '1', record())).not.toBe(base);
    expect(auditRecordHash(GENESIS_HASH, '1', record({ success: false }))).not.toBe(base);
    expect(auditRecordHash(GENESIS_HASH, '1', record({ recordedAt: '2026-11-22T12:00:00.251Z' }))).not.toBe(base);
  });
});

describe('chainRecords', () => {
  it('gives consecutive sequences after the head, each linked to the hash before', () => {
    const chain = chainOf(3);
    expect(chain.map((link) => link.sequence)).toEqual(['1', '2', '3']);
    expect(chain[0]!.prevHash).toBe(GENESIS_HASH);
    expect(chain[1]!.prevHash).toBe(chain[0]!.hash);
    expect(chain[2]!.prevHash).toBe(chain[1]!.hash);
  });

  it('continues from any head, beyond the range of a JS number', () => {
    const [next] = chainRecords({ sequence: '9007199254740993', hash: 'f'.repeat(64) }, [record()]);
    expect(next).toMatchObject({ sequence: '9007199254740994', prevHash: 'f'.repeat(64) });
  });
});

describe('verifyChainLinks', () => {
  it('accepts an intact chain, and checks it in slices as well as whole', () => {
    const chain = chainOf(10);
    expect(verifyChainLinks(GENESIS_LINK, chain)).toEqual({
      checked: 10,
      last: { sequence: '10', hash: chain[9]!.hash },
      broken: null,
      reanchored: [],
    });
    const first = verifyChainLinks(GENESIS_LINK, chain.slice(0, 4));
    expect(verifyChainLinks(first.last, chain.slice(4))).toMatchObject({ checked: 6, broken: null });
  });

  it('accepts an empty slice', () => {
    expect(verifyChainLinks(GENESIS_LINK, [])).toEqual({ checked: 0, last: GENESIS_LINK, broken: null, reanchored: [] });
  });

  it('names an altered record', () => {
    const chain = chainOf(5);
    chain[2] = { ...chain[2]!, userId: 'someone-else' };
    expect(verifyChainLinks(GENESIS_LINK, chain)).toMatchObject({
      checked: 2,
      broken: { sequence: '3', reason: expect.stringContaining('altered') },
    });
  });

  it('names the record after one whose hash was recomputed by whoever altered it', () => {
    const chain = chainOf(5);
    const altered = { ...chain[2]!, userId: 'someone-else' };
    chain[2] = { ...altered, hash: auditRecordHash(altered.prevHash, altered.sequence, altered) };
    expect(verifyChainLinks(GENESIS_LINK, chain)).toMatchObject({
      checked: 3,
      broken: { sequence: '4', reason: expect.stringContaining('does not link') },
    });
  });

  it('names a deleted record as the gap it leaves', () => {
    const chain = chainOf(5);
    chain.splice(1, 1);
    expect(verifyChainLinks(GENESIS_LINK, chain)).toMatchObject({
      checked: 1,
      broken: { sequence: '2', reason: 'record 2 is missing (the next record is 3)' },
    });
  });

  it('starts after a checkpoint: the first record must follow it', () => {
    const chain = chainOf(5);
    expect(verifyChainLinks({ sequence: '2', hash: chain[1]!.hash }, chain.slice(2))).toMatchObject({ checked: 3, broken: null });
    expect(verifyChainLinks({ sequence: '2', hash: 'a'.repeat(64) }, chain.slice(2))).toMatchObject({ broken: { sequence: '3' } });
  });

  describe('past a re-anchored record', () => {
    /** A chain whose record 3 was stored other than it was hashed (a lone surrogate stored as U+FFFD). */
    const damaged = (): ChainedAuditRecord[] => {
      const chain = chainOf(6);
      chain[2] = { ...chain[2]!, userId: 'odd\ufffd' };
      return chain;
    };
    const reanchorOf = (record: ChainedAuditRecord): Map<string, Reanchor> =>
      new Map([
        [
          record.sequence,
          {
            sequence: record.sequence,
            recordHash: record.hash,
            storedHash: auditRecordHash(record.prevHash, record.sequence, record),
            reason: 'r',
            operator: 'o',
          },
        ],
      ]);

    it('goes on past it, and says it did', () => {
      const chain = damaged();
      expect(verifyChainLinks(GENESIS_LINK, chain)).toMatchObject({ checked: 2, broken: { sequence: '3' } });
      expect(verifyChainLinks(GENESIS_LINK, chain, reanchorOf(chain[2]!))).toEqual({
        checked: 6,
        last: { sequence: '6', hash: chain[5]!.hash },
        broken: null,
        reanchored: ['3'],
      });
    });

    it.each<[string, number, Partial<ChainedAuditRecord>, object]>([
      [
        'still names a later alteration',
        4,
        { keyPath: 'elsewhere' },
        { checked: 4, broken: { sequence: '5', reason: expect.stringContaining('altered') }, reanchored: ['3'] },
      ],
      [
        'names the re-anchored record again once it is changed after its re-anchoring',
        2,
        { userId: 'someone-else' },
        { checked: 2, broken: { sequence: '3', reason: expect.stringContaining('altered') } },
      ],
    ])('%s', (_name, index, change, verdict) => {
      const chain = damaged();
      const reanchors = reanchorOf(chain[2]!);
      chain[index] = { ...chain[index]!, ...change };
      expect(verifyChainLinks(GENESIS_LINK, chain, reanchors)).toMatchObject(verdict);
    });

    it('does not let a re-anchoring of one record cover another, nor one whose hash column was rewritten', () => {
      const chain = damaged();
      const reanchor = reanchorOf(chain[2]!).get('3')!;
      expect(verifyChainLinks(GENESIS_LINK, chain, new Map([['4', { ...reanchor, sequence: '4' }]]))).toMatchObject({
        broken: { sequence: '3' },
      });
      const rehashed = damaged();
      rehashed[2] = { ...rehashed[2]!, hash: 'f'.repeat(64) };
      expect(verifyChainLinks(GENESIS_LINK, rehashed, new Map([['3', { ...reanchor, recordHash: 'f'.repeat(64) }]]))).toMatchObject({
        broken: { sequence: '4', reason: expect.stringContaining('does not link') },
      });
    });
  });
});
