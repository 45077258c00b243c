import { TTL_CHOICES, ttlFieldFor, ttlSecondsOf } from './ttl-choices';

describe('TTL choices', () => {
  it('offers none, 1 hour, 1 day, 7 days, 30 days and custom', () => {
    expect(TTL_CHOICES.map((choice) => choice.label)).toEqual(['None', '1 hour', '1 day', '7 days', '30 days', 'Custom (seconds)']);
  });

  it('turns a standard choice into its seconds, and none into no TTL', () => {
    expect(ttlSecondsOf({ choice: 'none', customSeconds: '' })).toEqual({ ttlSeconds: undefined });
    expect(ttlSecondsOf({ choice: '3600', customSeconds: 99 })).toEqual({ ttlSeconds: 3600 });
    expect(ttlSecondsOf({ choice: '2592000', customSeconds: '' })).toEqual({ ttlSeconds: 2_592_000 });
  });

  it('takes custom seconds when whole and positive, and says why otherwise', () => {
    expect(ttlSecondsOf({ choice: 'custom', customSeconds: 90 })).toEqual({ ttlSeconds: 90 });
    expect(ttlSecondsOf({ choice: 'custom', customSeconds: '120' })).toEqual({ ttlSeconds: 120 });
    for (const customSeconds of ['', 0, -5, 1.5, 'soon'])
      expect(ttlSecondsOf({ choice: 'custom', customSeconds })).toEqual({ problem: 'A whole number of seconds, at least 1' });
  });

  it('opens an edit with no TTL, or with the seconds the entry has left', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(ttlFieldFor(null, now)).toEqual({ choice: 'none', customSeconds: '' });
    expect(ttlFieldFor('2026-01-01T01:00:00.400Z', now)).toEqual({ choice: 'custom', customSeconds: 3601 });
    expect(ttlFieldFor('2025-12-31T00:00:00Z', now)).toEqual({ choice: 'custom', customSeconds: 1 });
  });
});
