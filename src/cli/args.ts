// Command-line argument parsing for kafkasim: strict (unknown flags are usage errors, exit 2),
// built on node:util parseArgs so no dependency is needed for it.
import { parseArgs } from 'node:util';

export class UsageError extends Error {}

export interface FlagSpec {
  type: 'string' | 'boolean';
  multiple?: boolean;
  short?: string;
}

export interface Parsed {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
}

export function parseCommandArgs(command: string, argv: string[], flags: Record<string, FlagSpec>): Parsed {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...flags, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    return { values: values as Parsed['values'], positionals };
  } catch (err) {
    const msg = err instanceof Error ? err.message.split('\n')[0] : String(err);
    // parseArgs takes `--seed -3` for a flag without its value and calls it "ambiguous": say what to write
    const ambiguous = /^Option '(--[^']+)' argument is ambiguous/.exec(msg);
    if (ambiguous) {
      const value = argv[argv.indexOf(ambiguous[1]) + 1] ?? '';
      throw new UsageError(`kafkasim ${command}: ${ambiguous[1]} ${value}: a value starting with '-' reads as a flag; write ${ambiguous[1]}=${value}\n(run 'kafkasim ${command} --help' for usage)`);
    }
    throw new UsageError(`kafkasim ${command}: ${msg.replace(/^Unknown option '([^']*)'.*$/, "unknown flag '$1'")}\n(run 'kafkasim ${command} --help' for usage)`);
  }
}

/** A duration flag such as --until 30s; numbers are milliseconds, as in scenario files. */
export function parseDurationFlag(flag: string, text: string): number {
  const m = /^(\d+(?:\.\d+)?)(us|ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new UsageError(`--${flag} expects a duration such as 250ms, 30s or 2m, got '${text}'`);
  const factor = { us: 1, ms: 1000, s: 1_000_000, m: 60_000_000, h: 3_600_000_000 }[(m[2] ?? 'ms') as 'ms'];
  const us = Number(m[1]) * factor;
  if (!Number.isInteger(us)) throw new UsageError(`--${flag} ${text} is not a whole number of microseconds`);
  return us;
}

export function parseIntFlag(flag: string, text: string): number {
  if (!/^-?\d+$/.test(text.trim())) throw new UsageError(`--${flag} expects an integer, got '${text}'`);
  return Number(text);
}

/**
 * `--seed N`: the rule of a scenario's `seed:` field, so a seed means the same in both places: a whole
 * number from 0 to 2^53 − 1 (larger ones are not exact in JavaScript: 2^53 and 2^53 + 1 would be one run).
 */
export function parseSeedFlag(text: string, flag = 'seed'): number {
  const t = text.trim();
  if (!/^\d+$/.test(t) || !Number.isSafeInteger(Number(t))) {
    throw new UsageError(`--${flag} expects a non-negative integer seed from 0 to ${Number.MAX_SAFE_INTEGER} (as a scenario's seed: field), got '${text}'`);
  }
  return Number(t);
}

/**
 * `--seeds N` (seeds 1 to N) or `A-B` (seeds A to B), for sweep and check: every seed it names follows
 * the rule of `--seed` and of a scenario's `seed:` field.
 */
export function parseSeedsFlag(text: string): { first: number; count: number } {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text.trim());
  if (!m) throw new UsageError(`--seeds ${text}: expected a count (1000: seeds 1 to 1000) or a range (101-200)`);
  for (const n of [m[1], m[2]]) {
    if (n !== undefined && !Number.isSafeInteger(Number(n))) {
      throw new UsageError(`--seeds ${text}: a seed is a non-negative integer up to ${Number.MAX_SAFE_INTEGER} (as a scenario's seed: field)`);
    }
  }
  if (m[2] === undefined) {
    const count = Number(m[1]);
    if (count < 1) throw new UsageError('--seeds: at least 1');
    return { first: 1, count };
  }
  const first = Number(m[1]);
  const last = Number(m[2]);
  if (last < first) throw new UsageError(`--seeds ${text}: the range ends before it starts`);
  return { first, count: last - first + 1 };
}

/** `--event-limit N`: the most events a run may take, a positive whole number. */
export function parseEventLimitFlag(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(Number(text)) || Number(text) < 1) {
    throw new UsageError(`--event-limit expects a positive whole number of events, got '${text}'`);
  }
  return Number(text);
}
