/** The TTLs offered when saving an entry: the standard durations, or a number of seconds of one's own. */
export const TTL_CHOICES = [
  { value: 'none', label: 'None', seconds: undefined },
  { value: '3600', label: '1 hour', seconds: 3600 },
  { value: '86400', label: '1 day', seconds: 86_400 },
  { value: '604800', label: '7 days', seconds: 604_800 },
  { value: '2592000', label: '30 days', seconds: 2_592_000 },
  { value: 'custom', label: 'Custom (seconds)', seconds: undefined },
] as const;

export type TtlChoice = (typeof TTL_CHOICES)[number]['value'];

/** The form's TTL: a choice, and the seconds typed when it is 'custom' ('' while empty). */
export interface TtlField {
  choice: TtlChoice;
  customSeconds: number | string;
}

/** The write's `ttlSeconds` (undefined: none, so the namespace's default applies), or why the field is wrong. */
export function ttlSecondsOf(field: TtlField): { ttlSeconds: number | undefined } | { problem: string } {
  if (field.choice !== 'custom') return { ttlSeconds: TTL_CHOICES.find((choice) => choice.value === field.choice)?.seconds };
  const seconds = typeof field.customSeconds === 'number' ? field.customSeconds : Number(field.customSeconds);
  if (field.customSeconds === '' || !Number.isInteger(seconds) || seconds < 1) return { problem: 'A whole number of seconds, at least 1' };
  return { ttlSeconds: seconds };
}

/**
 * The TTL field an edit opens with: an entry without expiry keeps none; one with an expiry keeps about the time it has
 * left (a TTL counts from the write), rounded up to the second.
 */
export function ttlFieldFor(expiresAt: string | null, now: number): TtlField {
  if (expiresAt === null) return { choice: 'none', customSeconds: '' };
  return { choice: 'custom', customSeconds: Math.max(1, Math.ceil((Date.parse(expiresAt) - now) / 1000)) };
}
