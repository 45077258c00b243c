/** How long a revealed value stays on screen. */
export const REVEAL_FOR_MS = 30_000;

/** A secret's value on screen: masked, or shown until `hidesAt` (epoch ms). */
export type Reveal = { shown: false } | { shown: true; text: string; hidesAt: number };

export const MASKED: Reveal = { shown: false };

export function revealed(text: string, now: number, forMs = REVEAL_FOR_MS): Reveal {
  return { shown: true, text, hidesAt: now + forMs };
}

/** The reveal as it stands at `now`: masked once its time is up. */
export function revealAt(reveal: Reveal, now: number): Reveal {
  return reveal.shown && now >= reveal.hidesAt ? MASKED : reveal;
}

/** The whole seconds left on screen, for the countdown (0 when masked). */
export function secondsLeft(reveal: Reveal, now: number): number {
  return reveal.shown ? Math.max(0, Math.ceil((reveal.hidesAt - now) / 1000)) : 0;
}

/** A tab that becomes hidden masks the value at once (someone may look at the screen while its owner is away). */
export function revealOnVisibility(reveal: Reveal, visibility: DocumentVisibilityState): Reveal {
  return visibility === 'hidden' ? MASKED : reveal;
}
