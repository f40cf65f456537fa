// Simulated time: an integer count of microseconds, never a float that accumulates error.
// These constants turn readable durations into that unit (`250 * MS`), and formatTime turns a
// time back into text for messages without any rounding.

export const US = 1;
export const MS = 1000;
export const SEC = 1_000_000;

/**
 * "12.345s", "0.000001s", "-1.5s", "0s": seconds with the microseconds written out exactly and
 * trailing zeros dropped. Only integer operations (%, exact division) so the text is the same in
 * every JavaScript engine. A non-integer input is a bug upstream; it is shown raw rather than
 * throwing, because this function is mostly called while building an error message.
 */
export function formatTime(us: number): string {
  if (!Number.isSafeInteger(us)) return `${String(us)}µs`;
  const sign = us < 0 ? '-' : '';
  const abs = Math.abs(us);
  const micros = abs % SEC;
  // exact: abs - micros is a multiple of SEC, so the division has no remainder to round
  const seconds = (abs - micros) / SEC;
  if (micros === 0) return `${sign}${seconds}s`;
  const fraction = String(micros).padStart(6, '0').replace(/0+$/, '');
  return `${sign}${seconds}.${fraction}s`;
}
