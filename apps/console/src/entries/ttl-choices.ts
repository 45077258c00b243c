/**
 * The TTLs offered when saving an entry: its current expiry kept (an entry that has one), the standard durations, or
 * a number of seconds of one's own.
 */
export const TTL_CHOICES = [
  { value: 'keep', label: 'Keep current expiry', seconds: undefined },
  { value: 'none', label: 'None', seconds: undefined },
  { value: '3600', label: '1 hour', seconds: 3600 },
  { value: '86400', label: '1 day', seconds: 86_400 },
  { value: '604800', label: '7 days', seconds: 604_800 },
  { value: '2592000', label: '30 days', seconds: 2_592_000 },
  { value: 'custom', label: 'Custom (seconds)', seconds: undefined },
] as const;

export type TtlChoice = (typeof TTL_CHOICES)[number]['value'];

/**
 * The form's TTL: a choice, the seconds typed when it is 'custom' ('' while empty), and the entry's expiry when it had
 * one (what 'keep' keeps).
 */
export interface TtlField {
  choice: TtlChoice;
  customSeconds: number | string;
  keptExpiresAt?: string;
}

/** The choices a field offers: 'keep' only when there is an expiry to keep. */
export function ttlChoicesFor(field: TtlField): ReadonlyArray<(typeof TTL_CHOICES)[number]> {
  return TTL_CHOICES.filter((choice) => choice.value !== 'keep' || field.keptExpiresAt !== undefined);
}

/**
 * The write's `ttlSeconds` at `now` (undefined: none, so the namespace's default applies), or why the field is wrong.
 * 'keep' works the seconds out at the save (a TTL counts from the write), so that the time the form stood open does
 * not push the expiry later.
 */
export function ttlSecondsOf(field: TtlField, now: number): { ttlSeconds: number | undefined } | { problem: string } {
  if (field.choice === 'keep') {
    const left = field.keptExpiresAt === undefined ? 0 : Math.ceil((Date.parse(field.keptExpiresAt) - now) / 1000);
    return left >= 1 ? { ttlSeconds: left } : { problem: 'Its expiry has passed: choose another TTL' };
  }
  if (field.choice !== 'custom') return { ttlSeconds: TTL_CHOICES.find((choice) => choice.value === field.choice)?.seconds };
  const seconds = typeof field.customSeconds === 'number' ? field.customSeconds : Number(field.customSeconds);
  if (field.customSeconds === '' || !Number.isInteger(seconds) || seconds < 1) return { problem: 'A whole number of seconds, at least 1' };
  return { ttlSeconds: seconds };
}

/**
 * The TTL field an edit opens with: an entry without expiry keeps none; one with an expiry keeps it (the custom
 * seconds start at about the time it has left, rounded up, for who would rather set them).
 */
export function ttlFieldFor(expiresAt: string | null, now: number): TtlField {
  if (expiresAt === null) return { choice: 'none', customSeconds: '' };
  return { choice: 'keep', customSeconds: Math.max(1, Math.ceil((Date.parse(expiresAt) - now) / 1000)), keptExpiresAt: expiresAt };
}
