import { expiresAtFor } from './ttl';

describe('expiresAtFor', () => {
  const now = new Date('2024-05-01T12:00:00.000Z');

  it('uses the entry TTL first', () => expect(expiresAtFor(now, 30, 3600)).toEqual(new Date('2024-05-01T12:00:30.000Z')));
  it('falls back to the namespace default', () => expect(expiresAtFor(now, undefined, 60)).toEqual(new Date('2024-05-01T12:01:00.000Z')));
  it('falls back to the namespace default when the TTL is null', () => expect(expiresAtFor(now, null, 60)).toEqual(new Date('2024-05-01T12:01:00.000Z')));
  it('never expires without either', () => {
    expect(expiresAtFor(now)).toBeNull();
    expect(expiresAtFor(now, undefined, null)).toBeNull();
  });
  it('does not change the given instant', () => {
    expiresAtFor(now, 10);
    expect(now.toISOString()).toBe('2024-05-01T12:00:00.000Z');
  });
});
