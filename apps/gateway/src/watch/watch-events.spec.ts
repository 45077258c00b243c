import { KV_EVENT_TYPES, KvEventType } from '@app/contracts';
import { anEvent } from '../../../../test/support/samples';
import { WATCH_EVENT_NAMES, WatchEndReason, changeFrame, endFrame, isWatched } from './watch-events';

const NS = '3f0c2a5e-0000-4000-8000-00000000000a';
const OTHER_NS = '3f0c2a5e-0000-4000-8000-00000000000b';

describe('watch events', () => {
  it('names every event type but a namespace creation', () => {
    expect(KV_EVENT_TYPES.filter((type) => WATCH_EVENT_NAMES[type] === undefined)).toEqual([KvEventType.NAMESPACE_CREATED]);
  });

  it.each([
    ['an entry under the prefix', { keyPath: 'app/db/host' }, 'app/', true],
    ['an entry outside the prefix', { keyPath: 'other/db/host' }, 'app/', false],
    ['any entry without a prefix', { keyPath: 'other' }, '', true],
    ['a namespace change, whatever the prefix', { type: KvEventType.NAMESPACE_UPDATED, keyPath: null }, 'app/', true],
    ['a change of another namespace', { namespaceId: OTHER_NS, keyPath: 'app/x' }, 'app/', false],
    ['a namespace creation', { type: KvEventType.NAMESPACE_CREATED, keyPath: null }, '', false],
  ])('watches %s: %s', (_label, overrides, prefix, watched) => {
    expect(isWatched(anEvent({ namespaceId: NS, ...overrides }), NS, prefix)).toBe(watched);
  });

  it('frames a change as one SSE event: its cursor as id and revision, its short name, its fields on one data line', () => {
    const event = anEvent({ namespaceId: NS, type: KvEventType.ENTRY_UPDATED, keyPath: 'a\nb', version: 3 });
    const frame = changeFrame({ revision: 9, event }, '9.4');
    const lines = frame.split('\n');
    expect(lines.slice(0, 2)).toEqual(['id: 9.4', 'event: updated']);
    expect(lines.slice(3)).toEqual(['', '']);
    expect(JSON.parse(lines[2]!.slice('data: '.length))).toEqual({ ...event, revision: '9.4' });
  });

  it('frames the end with its reason and where to resume', () => {
    expect(endFrame(WatchEndReason.SHUTDOWN, '12')).toBe('id: 12\nevent: end\ndata: {"reason":"SHUTDOWN","revision":"12"}\n\n');
  });
});
