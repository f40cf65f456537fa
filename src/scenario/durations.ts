// Durations of the scenario format: strings with a unit (`250ms`, `1.5s`, `2m`) or plain numbers of
// milliseconds, turned into integer microseconds (the engine's clock). The arithmetic is done on
// the decimal digits, never in floating point, so `0.1s` is exactly 100000 µs and a value that is
// not a whole number of microseconds is refused rather than rounded.

import { own } from './own.ts';

export type DurationResult = { ok: true; us: number } | { ok: false; message: string };

export const DURATION_UNITS = ['us', 'ms', 's', 'm', 'h'] as const;

const MICROS_PER_UNIT: Readonly<Record<string, bigint>> = {
  us: 1n,
  'µs': 1n,
  ms: 1000n,
  s: 1_000_000n,
  m: 60_000_000n,
  h: 3_600_000_000n,
};

const UNIT_LIST = 'us, ms, s, m or h';

/** Parses a duration as the scenario format writes it; numbers are milliseconds. */
export function parseDuration(value: string | number): DurationResult {
  return typeof value === 'number' ? millisToUs(value) : textToUs(value.trim());
}

function millisToUs(ms: number): DurationResult {
  if (!Number.isFinite(ms)) return { ok: false, message: `${ms} is not a duration` };
  if (ms < 0) return { ok: false, message: `a duration cannot be negative (got ${ms})` };
  const text = String(ms);
  // String() gives the shortest exact decimal; only tiny or huge numbers come out in exponent form.
  if (/^\d+(\.\d+)?$/.test(text)) return decimalToUs(text, MICROS_PER_UNIT.ms, `${text} ms`);
  const us = ms * 1000;
  return Number.isSafeInteger(us) ? { ok: true, us } : { ok: false, message: `${text} ms is not a whole number of microseconds` };
}

function textToUs(text: string): DurationResult {
  if (text.startsWith('-')) return { ok: false, message: `a duration cannot be negative (got "${text}")` };
  const m = /^(\d+(?:\.\d+)?)\s*([A-Za-zµ]*)$/.exec(text);
  if (!m) return { ok: false, message: `"${text}" is not a duration: expected a number with a unit (${UNIT_LIST}), like 250ms or 30s` };
  const [, digits, unit] = m;
  if (unit === '') {
    return { ok: false, message: `"${text}" has no unit: write ${digits}ms or ${digits}s (an unquoted number means milliseconds)` };
  }
  const micros = own(MICROS_PER_UNIT, unit);
  if (micros === undefined) return { ok: false, message: `unknown unit "${unit}" in "${text}": expected ${UNIT_LIST}` };
  return decimalToUs(digits, micros, text);
}

/** `digits` (like "1.25") times `micros`, exactly; refused when it is not a whole number. */
function decimalToUs(digits: string, micros: bigint, shown: string): DurationResult {
  const [whole, fraction = ''] = digits.split('.');
  const scale = 10n ** BigInt(fraction.length);
  const scaled = BigInt(whole + fraction) * micros;
  if (scaled % scale !== 0n) return { ok: false, message: `${shown} is not a whole number of microseconds` };
  const us = scaled / scale;
  if (us > BigInt(Number.MAX_SAFE_INTEGER)) return { ok: false, message: `${shown} is too long: at most ${Number.MAX_SAFE_INTEGER}us (2^53 − 1 microseconds, about 285 years)` };
  return { ok: true, us: Number(us) };
}

/** A duration in microseconds as a person would write it back (for messages): 1500000 → "1.5s". */
export function formatDuration(us: number): string {
  if (us >= 1_000_000 || us === 0) return `${us / 1_000_000}s`;
  if (us >= 1000) return `${us / 1000}ms`;
  return `${us}us`;
}
