import { KvApiError } from '@kv-service/client';
import { reconnectNote, retryNote } from './watch-notes';

describe('watch notes', () => {
  const unavailable = new KvApiError(503, 'SERVICE_UNAVAILABLE', 'the service is unavailable');

  it('tells a reconnection with its attempt and revision', () => {
    expect(reconnectNote({ attempt: 2, error: unavailable, since: '41' })).toBe(
      "the watch's connection failed (the service is unavailable (SERVICE_UNAVAILABLE, HTTP 503)); reconnecting (attempt 2) from revision 41",
    );
    expect(reconnectNote({ attempt: 1, error: new TypeError('fetch failed'), since: undefined })).toMatch(/from revision now$/);
  });

  it('tells a failed re-read and when it is tried again, in ms or s', () => {
    expect(retryNote(unavailable, 500)).toBe(
      'reading the entries again failed (the service is unavailable (SERVICE_UNAVAILABLE, HTTP 503)); trying again in 500 ms',
    );
    expect(retryNote(new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:8080') }), 4000)).toBe(
      'reading the entries again failed (fetch failed (connect ECONNREFUSED 127.0.0.1:8080)); trying again in 4 s',
    );
  });
});
