// Time units and their exact formatting for messages.
import { describe, it, expect } from 'vitest';
import { US, MS, SEC, formatTime } from '../../sim/engine/time.ts';

describe('time', () => {
  it('counts in integer microseconds', () => {
    expect([US, MS, SEC]).toEqual([1, 1000, 1_000_000]);
    expect(250 * MS + 3 * US).toBe(250_003);
  });

  it('formats seconds exactly, dropping trailing zeros', () => {
    expect(formatTime(12_345_000)).toBe('12.345s');
    expect(formatTime(0)).toBe('0s');
    expect(formatTime(1)).toBe('0.000001s');
    expect(formatTime(1_500_000)).toBe('1.5s');
    expect(formatTime(60 * SEC)).toBe('60s');
    expect(formatTime(-1500)).toBe('-0.0015s');
  });

  it('stays exact at the edge of safe integers', () => {
    expect(formatTime(Number.MAX_SAFE_INTEGER)).toBe('9007199254.740991s');
    expect(formatTime(9_007_199_253_999_999)).toBe('9007199253.999999s');
  });

  it('shows a non-integer time raw instead of throwing (it is called while building errors)', () => {
    expect(formatTime(1.5)).toBe('1.5µs');
    expect(formatTime(Number.NaN)).toBe('NaNµs');
  });
});
