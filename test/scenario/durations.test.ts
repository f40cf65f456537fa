// Durations are exact: decimal digits become integer microseconds with no floating-point rounding,
// and anything that is not a whole number of microseconds, negative or unit-less is refused.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../src/scenario/index.ts';

describe('parseDuration', () => {
  it.each([
    ['250ms', 250_000], ['30s', 30_000_000], ['2m', 120_000_000], ['1h', 3_600_000_000], ['100us', 100], ['7µs', 7],
    ['1.5s', 1_500_000], ['0.1s', 100_000], ['0.001ms', 1], [' 5 s ', 5_000_000], ['0s', 0],
  ])('%s is %d µs', (text, us) => {
    expect(parseDuration(text)).toEqual({ ok: true, us });
  });

  it.each([[500, 500_000], [1.5, 1500], [0.001, 1], [0, 0]])('the number %d is milliseconds: %d µs', (ms, us) => {
    expect(parseDuration(ms)).toEqual({ ok: true, us });
  });

  it.each([
    ['-5s', 'cannot be negative'], ['30', 'has no unit'], ['5sec', 'unknown unit "sec"'], ['0.0001ms', 'not a whole number of microseconds'],
    ['fast', 'is not a duration'], ['1e3s', 'is not a duration'], ['', 'is not a duration'],
  ])('%s is refused: %s', (text, fragment) => {
    const result = parseDuration(text);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain(fragment);
  });

  it.each([[-1, 'cannot be negative'], [0.0001, 'not a whole number'], [Infinity, 'is not a duration']])('the number %d is refused', (ms, fragment) => {
    const result = parseDuration(ms);
    expect(!result.ok && result.message).toContain(fragment);
  });

  it('reads back what formatDuration writes', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 1e12 }), (us) => {
      expect(parseDuration(formatDuration(us))).toEqual({ ok: true, us });
    }));
  });
});
