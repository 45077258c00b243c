import { useEffect, useState } from 'react';
import { MASKED, revealAt, revealed, revealOnVisibility, secondsLeft, type Reveal } from './reveal-timer';

/**
 * A value on screen for REVEAL_FOR_MS, masked again when its time is up or at once when the tab becomes hidden.
 * Time is the page's own clock (Date, setTimeout, setInterval), which the browser tests drive with a fake one.
 */
export function useReveal() {
  const [reveal, setReveal] = useState<Reveal>(MASKED);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    if (!reveal.shown) return;
    const tick = () => {
      const at = Date.now();
      setNow(at);
      setReveal((current) => revealAt(current, at));
    };
    const countdown = setInterval(tick, 1000);
    const end = setTimeout(tick, reveal.hidesAt - Date.now());
    const onVisibility = () => setReveal((current) => revealOnVisibility(current, document.visibilityState));
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      clearInterval(countdown);
      clearTimeout(end);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [reveal]);

  return {
    reveal,
    secondsLeft: secondsLeft(reveal, now),
    show(text: string) {
      // A value read while the tab was hidden is not put on screen for whoever looks at it meanwhile.
      if (document.visibilityState === 'hidden') return;
      const at = Date.now();
      setNow(at);
      setReveal(revealed(text, at));
    },
    hide: () => setReveal(MASKED),
  };
}
