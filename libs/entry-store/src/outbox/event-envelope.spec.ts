import { KvEvent, KvEventType } from '@app/contracts';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { directOrigin } from './change';
import { EventFacts, EventFactsSql, KV_EVENT_ENVELOPE, kvEventOf, kvEventSql, sqlLiteral } from './event-envelope';
import { INSERT_EXPIRED_EVENTS_SQL, appendingWrittenEventsSql, deletedEvent, expiredEvent, kvEvent } from './kv-events';

const NS = '3f0c2a5e-0000-4000-8000-00000000000a';
const ENTRY = '3f0c2a5e-0000-4000-8000-00000000000b';
const origin = { actorId: 'admin', requestId: 'req-1', clientAddress: '10.0.0.1' };

/** The arguments of the first call of `fn` in `sql`, split at its top-level commas. */
function callArguments(sql: string, fn: string): string[] {
  const start = sql.indexOf(`${fn}(`);
  if (start < 0) throw new Error(`no call of ${fn} in ${sql}`);
  const args: string[] = [];
  let current = '';
  let depth = 0;
  let quote: string | null = null;
  for (const char of sql.slice(start + fn.length + 1)) {
    if (quote !== null) {
      // A doubled quote closes and reopens the literal, which leaves it open as it should.
      if (char === quote) quote = null;
    } else if (char === "'" || char === '"') {
      quote = char;
    } else if (char === '(') {
      depth += 1;
    } else if (char === ')' && depth > 0) {
      depth -= 1;
    } else if (char === ')' || (char === ',' && depth === 0)) {
      args.push(current.trim());
      if (char === ')') return args;
      current = '';
      continue;
    }
    current += char;
  }
  throw new Error(`unbalanced call of ${fn} in ${sql}`);
}

/** The fields the one `jsonb_build_object(...)` of a statement builds, in order, with the SQL of each value. */
function builtFields(sql: string): Array<[string, string]> {
  expect(sql.split('jsonb_build_object(')).toHaveLength(2);
  const args = callArguments(sql, 'jsonb_build_object');
  expect(args.length % 2).toBe(0);
  return Array.from({ length: args.length / 2 }, (_, pair) => {
    const key = /^'([A-Za-z]+)'$/.exec(args[2 * pair]!);
    if (key === null) throw new Error(`not a field name: ${args[2 * pair]}`);
    return [key[1]!, args[2 * pair + 1]!];
  });
}

const WRITE_SQL = 'INSERT INTO entry AS e (namespace_id, key_path) VALUES ($1, $2) RETURNING id, key_path, version';

describe('the event envelope', () => {
  const events: Array<[string, KvEvent]> = [
    ['a namespace event', kvEvent({ type: KvEventType.NAMESPACE_CREATED, applicationId: 'billing', namespaceId: NS }, origin)],
    [
      'an entry event',
      kvEvent(
        { type: KvEventType.ENTRY_CREATED, applicationId: 'billing', namespaceId: NS, entryId: ENTRY, keyPath: 'k', version: 1 },
        origin,
      ),
    ],
    ['a deletion', deletedEvent({ id: NS, applicationId: 'billing' }, { id: ENTRY, keyPath: 'k', version: 2 }, directOrigin({ id: 'u' }))],
    ['an expiry', expiredEvent({ applicationId: 'billing', namespaceId: NS, entryId: ENTRY, keyPath: 'k', version: 2 }, new Date())],
  ];

  it.each(events)('%s has every field of KvEvent, each defined, and no other', (_label, event) => {
    expect(Object.keys(event)).toEqual(Object.keys(KV_EVENT_ENVELOPE));
    expect(Object.values(event)).not.toContain(undefined);
    expect(validateSync(plainToInstance(KvEvent, event), { whitelist: true, forbidNonWhitelisted: true })).toEqual([]);
  });

  it.each([
    ['the sweep', INSERT_EXPIRED_EVENTS_SQL],
    ['a write', appendingWrittenEventsSql(WRITE_SQL, 3)],
    [
      'a write that may replace expired entries',
      appendingWrittenEventsSql(WRITE_SQL, 3, 'SELECT id, version FROM entry WHERE namespace_id = $1'),
    ],
  ])('%s builds its events in SQL with exactly the fields of the events built in TypeScript, in one object', (_label, sql) => {
    // Nothing is merged into the built object: its fields are all the event has.
    expect(sql).not.toContain('||');
    const fields = builtFields(sql).map(([field]) => field);
    for (const [, event] of events) expect(fields).toEqual(Object.keys(event));
  });

  it('fills each field in SQL from the fact that fills it in TypeScript, and a constant with the same value', () => {
    // Each fact stands for itself: a marker in TypeScript, the same marker as the expression of SQL.
    const facts = Object.fromEntries(
      Object.values(KV_EVENT_ENVELOPE).flatMap((fill) => ('fact' in fill ? [[fill.fact, `fact_${fill.fact}`]] : [])),
    );
    const event = kvEventOf(facts as unknown as EventFacts);
    const expected = Object.entries(event).map(([field, value]) => [
      field,
      typeof value === 'string' && value.startsWith('fact_') ? value : sqlLiteral(value),
    ]);
    expect(builtFields(kvEventSql(facts as EventFactsSql))).toEqual(expected);
  });

  it('writes constants as SQL literals', () => {
    expect([sqlLiteral("it's"), sqlLiteral(1), sqlLiteral(null)]).toEqual(["'it''s'", '1', 'NULL']);
  });
});
