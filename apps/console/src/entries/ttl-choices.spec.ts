import { TTL_CHOICES, ttlChoicesFor, ttlFieldFor, ttlSecondsOf } from './ttl-choices';

const now = Date.parse('2026-01-01T00:00:00Z');

describe('TTL choices', () => {
  it('offers keep, none, 1 hour, 1 day, 7 days, 30 days and custom; keep only when there is an expiry', () => {
    expect(TTL_CHOICES.map((choice) => choice.label)).toEqual([
      'Keep current expiry',
      'None',
      '1 hour',
      '1 day',
      '7 days',
      '30 days',
      'Custom (seconds)',
    ]);
    expect(ttlChoicesFor({ choice: 'none', customSeconds: '' }).map((choice) => choice.value)).not.toContain('keep');
    expect(ttlChoicesFor(ttlFieldFor('2026-01-02T00:00:00Z', now))[0]!.value).toBe('keep');
  });

  it('turns a standard choice into its seconds, and none into no TTL', () => {
    expect(ttlSecondsOf({ choice: 'none', customSeconds: '' }, now)).toEqual({ ttlSeconds: undefined });
    expect(ttlSecondsOf({ choice: '3600', customSeconds: 99 }, now)).toEqual({ ttlSeconds: 3600 });
    expect(ttlSecondsOf({ choice: '2592000', customSeconds: '' }, now)).toEqual({ ttlSeconds: 2_592_000 });
  });

  it('takes custom seconds when whole and positive, and says why otherwise', () => {
    expect(ttlSecondsOf({ choice: 'custom', customSeconds: 90 }, now)).toEqual({ ttlSeconds: 90 });
    expect(ttlSecondsOf({ choice: 'custom', customSeconds: '120' }, now)).toEqual({ ttlSeconds: 120 });
    for (const customSeconds of ['', 0, -5, 1.5, 'soon'])
      expect(ttlSecondsOf({ choice: 'custom', customSeconds }, now)).toEqual({ problem: 'A whole number of seconds, at least 1' });
  });

  it('keeps the expiry by the seconds left at the save, not at the opening, and says so once it has passed', () => {
    const field = ttlFieldFor('2026-01-01T01:00:00.400Z', now);
    expect(ttlSecondsOf(field, now)).toEqual({ ttlSeconds: 3601 });
    // Ten minutes with the form open: the same expiry, ten minutes fewer seconds.
    expect(ttlSecondsOf(field, now + 600_000)).toEqual({ ttlSeconds: 3001 });
    expect(ttlSecondsOf(field, Date.parse('2026-01-01T01:00:00.400Z'))).toEqual({ problem: 'Its expiry has passed: choose another TTL' });
  });

  it('opens an edit with no TTL, or keeping its expiry (the custom seconds at the time it has left)', () => {
    expect(ttlFieldFor(null, now)).toEqual({ choice: 'none', customSeconds: '' });
    expect(ttlFieldFor('2026-01-01T01:00:00.400Z', now)).toEqual({
      choice: 'keep',
      customSeconds: 3601,
      keptExpiresAt: '2026-01-01T01:00:00.400Z',
    });
    expect(ttlFieldFor('2025-12-31T00:00:00Z', now)).toMatchObject({ choice: 'keep', customSeconds: 1 });
  });
});
