import { describe, expect, it } from '@jest/globals';
import { MASKED, REVEAL_FOR_MS, revealAt, revealed, revealOnVisibility, secondsLeft } from './reveal-timer';

describe('the reveal timer', () => {
  const start = 1_000_000;

  it('shows a value for 30 s, then masks it', () => {
    const reveal = revealed('s3cr3t', start);
    expect(REVEAL_FOR_MS).toBe(30_000);
    expect(revealAt(reveal, start + 29_999)).toEqual({ shown: true, text: 's3cr3t', hidesAt: start + 30_000 });
    expect(revealAt(reveal, start + 30_000)).toEqual(MASKED);
    expect(revealAt(MASKED, start)).toEqual(MASKED);
  });

  it('counts down in whole seconds, rounding up', () => {
    const reveal = revealed('s3cr3t', start, 30_000);
    expect(secondsLeft(reveal, start)).toBe(30);
    expect(secondsLeft(reveal, start + 1)).toBe(30);
    expect(secondsLeft(reveal, start + 29_001)).toBe(1);
    expect(secondsLeft(reveal, start + 31_000)).toBe(0);
    expect(secondsLeft(MASKED, start)).toBe(0);
  });

  it('masks at once when the tab becomes hidden, and only then', () => {
    const reveal = revealed('s3cr3t', start);
    expect(revealOnVisibility(reveal, 'hidden')).toEqual(MASKED);
    expect(revealOnVisibility(reveal, 'visible')).toBe(reveal);
  });
});
