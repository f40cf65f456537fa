// Simulated time for people: integer microseconds formatted and parsed without float drift, so a
// time written in a URL comes back as exactly the same microsecond.

export const US_PER_MS = 1000;
export const US_PER_S = 1_000_000;

/** "12.345 s" (ms precision by default); `digits` 0–6 decimals of a second. */
export function formatSeconds(us: number, digits = 3): string {
  const neg = us < 0;
  const abs = Math.abs(Math.round(us));
  const whole = Math.floor(abs / US_PER_S);
  const frac = abs % US_PER_S;
  const fracText = String(frac).padStart(6, '0').slice(0, digits);
  return `${neg ? '-' : ''}${whole}${digits > 0 ? '.' + fracText : ''} s`;
}

/** A compact label for axes and logs: "250 ms", "12.5 s", "2 m 5 s". */
export function formatDuration(us: number): string {
  const abs = Math.abs(us);
  if (us === 0) return '0 s';
  if (abs < US_PER_MS) return `${us} µs`;
  if (abs < US_PER_S) return `${trimZeros((us / US_PER_MS).toFixed(3))} ms`;
  if (abs < 120 * US_PER_S) return `${trimZeros((us / US_PER_S).toFixed(3))} s`;
  const m = Math.floor(abs / (60 * US_PER_S));
  const s = Math.round((abs - m * 60 * US_PER_S) / US_PER_S);
  return `${us < 0 ? '-' : ''}${m} m ${s} s`;
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/** Seconds as a decimal string ("12.5", "0.000250") → microseconds, exactly; undefined if malformed. */
export function parseSecondsToUs(text: string): number | undefined {
  const m = /^\s*(\d+)(?:\.(\d{1,6})\d*)?\s*s?\s*$/.exec(text);
  if (!m) return undefined;
  const whole = Number(m[1]);
  const frac = m[2] ? Number(m[2].padEnd(6, '0')) : 0;
  const us = whole * US_PER_S + frac;
  return Number.isSafeInteger(us) ? us : undefined;
}

/** Microseconds → the shortest exact decimal seconds string ("12.5"). Inverse of parseSecondsToUs. */
export function usToSecondsText(us: number): string {
  const whole = Math.floor(us / US_PER_S);
  const frac = us - whole * US_PER_S;
  if (frac === 0) return String(whole);
  return `${whole}.${String(frac).padStart(6, '0').replace(/0+$/, '')}`;
}
