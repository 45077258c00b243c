import type { ChangeEvent } from '@kv-service/client';
import { formatChangeLine, plainOrQuoted } from './change-line';

const change: ChangeEvent = {
  type: 'updated',
  revision: '42',
  id: 'e1',
  occurredAt: '2026-12-04T00:00:00.000Z',
  applicationId: 'billing',
  namespaceId: 'ns',
  entryId: 'entry',
  keyPath: 'database/port',
  version: 3,
  actor: 'svc-billing',
  requestId: null,
};

describe('kv watch lines', () => {
  it('revision, type, key, version, actor and time in padded columns', () => {
    expect(formatChangeLine(change)).toBe(
      '42        updated            database/port             v3     svc-billing       2026-12-04T00:00:00.000Z\n',
    );
  });

  it('a namespace change has no key or version', () => {
    const line = formatChangeLine({ ...change, type: 'namespace_deleted', revision: '7.3', entryId: null, keyPath: null, version: null });
    expect(line.split(/ +/)).toEqual(['7.3', 'namespace_deleted', '-', '-', 'svc-billing', '2026-12-04T00:00:00.000Z\n']);
  });

  it('a key with spaces or control characters is quoted, so that the line stays one line of six cells', () => {
    expect(plainOrQuoted('odd keys/a b')).toBe('"odd keys/a b"');
    expect(plainOrQuoted('line\nbreak')).toBe('"line\\nbreak"');
    expect(plainOrQuoted('naïve/ключ')).toBe('naïve/ключ');
    expect(formatChangeLine({ ...change, keyPath: 'a\u2028b' })).toContain('"a\u2028b"');
  });
});
