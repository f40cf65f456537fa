// Typed reads from the positioned tree: each reader returns the value when it has the expected shape
// and otherwise reports what was expected (at the node's line and column) and returns undefined, so
// the callers go on and every mistake of a file is found in one pass.

import type { Problems } from './errors.ts';
import { parseDuration } from './durations.ts';
import { didYouMean } from './suggest.ts';
import type { YEntry, YMap, YNode, YScalar, YSeq } from './tree.ts';

export const key = (path: string, name: string): string => (path === '' ? name : `${path}.${name}`);
export const item = (path: string, index: number): string => `${path}[${index}]`;

/** How a value looks, for "expected X, got Y" messages. */
export function describe(node: YNode): string {
  if (node.kind === 'map') return 'a mapping';
  if (node.kind === 'seq') return 'a list';
  const v = node.value;
  if (v === null) return 'nothing';
  if (typeof v === 'string') return `the text "${v}"`;
  if (typeof v === 'number') return `the number ${v}`;
  return `${v}`;
}

export function expected(p: Problems, node: YNode, path: string, what: string): undefined {
  if (node.kind === 'scalar' && node.broken) return undefined;
  p.add(node.pos, path, `expected ${what}, got ${describe(node)}`);
  return undefined;
}

/** Reports a problem with a value and gives up on it (for a one-line `return refuse(...)`). */
export function refuse(p: Problems, node: YNode, path: string, message: string): undefined {
  p.add(node.pos, path, message);
  return undefined;
}

export function asMap(p: Problems, node: YNode, path: string, what = 'a mapping'): YMap | undefined {
  return node.kind === 'map' ? node : expected(p, node, path, what);
}

export function asSeq(p: Problems, node: YNode, path: string, what = 'a list'): YSeq | undefined {
  return node.kind === 'seq' ? node : expected(p, node, path, what);
}

/** A single value or a list of them (`crash: 1` or `crash: [1, 2]`). */
export function oneOrMany(node: YNode): YNode[] {
  return node.kind === 'seq' ? node.items : [node];
}

export function scalar(node: YNode): YScalar['value'] | undefined {
  return node.kind === 'scalar' ? node.value : undefined;
}

export interface KeyRules {
  required?: readonly string[];
  /** The message for a key that is not known; default "unknown key" with a did-you-mean. */
  unknown?: (name: string, known: readonly string[]) => string;
}

/** The entries of a mapping by key, after reporting unknown keys and missing required ones. */
export function keysOf(p: Problems, map: YMap, path: string, known: readonly string[], rules: KeyRules = {}): Record<string, YEntry> {
  const found: Record<string, YEntry> = {};
  const unknown = rules.unknown ?? unknownKey;
  for (const entry of map.entries) {
    if (known.includes(entry.key)) found[entry.key] = entry;
    else p.add(entry.keyPos, key(path, entry.key), unknown(entry.key, known));
  }
  for (const name of rules.required ?? []) {
    if (!found[name]) p.add(map.pos, path, `missing required key "${name}"`);
  }
  return found;
}

export function unknownKey(name: string, known: readonly string[]): string {
  const hint = didYouMean(name, known);
  return hint !== '' ? `unknown key "${name}"${hint}` : `unknown key "${name}" (expected one of: ${known.join(', ')})`;
}

export function readString(p: Problems, node: YNode, path: string, what = 'a text'): string | undefined {
  const v = scalar(node);
  if (typeof v !== 'string' || v === '') return expected(p, node, path, what);
  return v;
}

export interface NumberRange {
  min?: number;
  max?: number;
}

export function readInteger(p: Problems, node: YNode, path: string, range: NumberRange = {}, what = 'an integer'): number | undefined {
  const v = scalar(node);
  // beyond 2^53 − 1 a YAML number is already rounded (9007199254740993 reads as …992): say why it is refused
  if (typeof v === 'number' && Number.isInteger(v) && !Number.isSafeInteger(v)) {
    return refuse(p, node, path, `expected ${what}, got a number beyond ${Number.MAX_SAFE_INTEGER} (2^53 − 1, the largest whole number read exactly)`);
  }
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) return expected(p, node, path, what);
  return inRange(p, node, path, v, range);
}

export function readNumber(p: Problems, node: YNode, path: string, range: NumberRange = {}, what = 'a number'): number | undefined {
  const v = scalar(node);
  if (typeof v !== 'number' || !Number.isFinite(v)) return expected(p, node, path, what);
  return inRange(p, node, path, v, range);
}

function inRange(p: Problems, node: YNode, path: string, v: number, range: NumberRange): number | undefined {
  if (range.min !== undefined && v < range.min) p.add(node.pos, path, `must be at least ${range.min}, got ${v}`);
  else if (range.max !== undefined && v > range.max) p.add(node.pos, path, `must be at most ${range.max}, got ${v}`);
  else return v;
  return undefined;
}

export function readEnum<T extends string>(p: Problems, node: YNode, path: string, values: readonly T[]): T | undefined {
  const v = scalar(node);
  if (typeof v === 'string' && (values as readonly string[]).includes(v)) return v as T;
  if (node.kind === 'scalar' && node.broken) return undefined;
  const hint = typeof v === 'string' ? didYouMean(v, values) : '';
  p.add(node.pos, path, `expected one of ${values.join(', ')}, got ${describe(node)}${hint}`);
  return undefined;
}

/** A duration in microseconds; `positive` refuses zero where zero makes no sense (a run of 0s). */
export function readDuration(p: Problems, node: YNode, path: string, opts: { positive?: boolean } = {}): number | undefined {
  const v = scalar(node);
  if (typeof v !== 'string' && typeof v !== 'number') return expected(p, node, path, 'a duration like 250ms, 30s or 2m (or a number of milliseconds)');
  const result = parseDuration(v);
  if (!result.ok) {
    p.add(node.pos, path, result.message);
    return undefined;
  }
  if (opts.positive && result.us === 0) {
    p.add(node.pos, path, 'must be longer than 0');
    return undefined;
  }
  return result.us;
}

/** A key written with nothing after it (`config:` whose entries are all commented out). */
export function isEmpty(node: YNode): boolean {
  return node.kind === 'scalar' && node.value === null;
}

/** The items of an optional list section (`topics:`, `timeline:` …); absent or empty means none. */
export function sectionItems(p: Problems, node: YNode | undefined, path: string): YNode[] {
  if (!node || isEmpty(node)) return [];
  return asSeq(p, node, path)?.items ?? [];
}

/** Reports when none, or more than one, of `names` is present; returns the one present. */
export function exactlyOne(p: Problems, map: YMap, path: string, found: Record<string, YEntry>, names: readonly string[]): string | undefined {
  const present = names.filter((n) => found[n]);
  if (present.length === 1) return present[0];
  if (present.length === 0) p.add(map.pos, path, `needs one of ${names.join(', ')}`);
  else p.add(found[present[1]].keyPos, key(path, present[1]), `give only one of ${names.join(', ')} (${present[0]} is already given)`);
  return undefined;
}
