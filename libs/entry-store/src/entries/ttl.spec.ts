import { liveSql, ttlSecondsFor } from './ttl';

describe('ttlSecondsFor', () => {
  it('uses the entry TTL first', () => expect(ttlSecondsFor(30, 3600)).toBe(30));
  it('falls back to the namespace default', () => expect(ttlSecondsFor(undefined, 60)).toBe(60));
  it('falls back to the namespace default when the TTL is null', () => expect(ttlSecondsFor(null, 60)).toBe(60));
  it('never expires without either', () => {
    expect(ttlSecondsFor()).toBeNull();
    expect(ttlSecondsFor(undefined, null)).toBeNull();
  });
});

describe('liveSql', () => {
  it("judges an unqualified column, or an alias's", () => {
    expect(liveSql()).toBe('(expires_at IS NULL OR expires_at > now())');
    expect(liveSql('e')).toBe('(e.expires_at IS NULL OR e.expires_at > now())');
  });
});
