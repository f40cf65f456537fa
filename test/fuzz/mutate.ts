// Random damage to a scenario file, for the mutation fuzz: text-level mistakes (deleted, duplicated,
// swapped or re-indented lines, garbage characters, truncation, bad durations, out-of-range numbers,
// misspelt or unknown keys, CRLF, a byte-order mark, a second document) and structure-level ones made
// on the parsed YAML (a deleted key, a value of the wrong type, swapped values, a duplicated key or
// list item, an emptied section). Deterministic: the same Rand gives the same mutation.

import { isMap, isScalar, isSeq, parseDocument, Pair, Scalar, visit, type Document, type Node } from 'yaml';
import type { Rand } from './generate.ts';

export interface Mutation {
  /** The operators applied, in order, for the failure report. */
  ops: string[];
  text: string;
}

/** Scalars of every type and shape a value might wrongly be. */
const WRONG_VALUES = [
  '-1', '0', '1', '-0', '3.5', '1e309', '-1e309', '99999999999999999999', '9223372036854775807', '0x10', '0o17', '1_000',
  '.inf', '-.inf', '.nan', 'abc', 'true', 'false', 'yes', 'null', '~', '""', "''", '[]', '{}', '[1, 2]', '{a: 1}', '"10"',
  '10', '-5s', '5', '5x', '1.0000001s', '0s', '0ms', '1000000h', '2m', '1ms', 'controller', 'all', 'none', 'orders-99',
  '[[1, 2], [3]]', '[[]]', '"\\n"', '"a\\nb"', '!!binary aGVsbG8=', '!!str 3', '!!int "3"', '!!float 1', '2001-12-14',
  '"\\u0000"', '&x 1', '*x', '"  "', '-', '?', '|', '>', '@', '`x`', '%x', '!', '!!', '!!map', 'earliest', '1/s', '0/s',
  '1000001/s', '[a, b, c]', '{random: 0}', '{min: 2, max: 1}', '{is: -1}',
];

const GARBAGE = [
  ':', ': ', '-', '- ', '[', ']', '{', '}', ',', '"', "'", '#', '&a ', '*a', '*nope', '!!int ', '!tag ', '\t', '\u0000', '%',
  '@', '`', '|', '>', '? ', '\\', '\r', '\n', '\n  ', '\n- ', '\uFEFF', '\u2028', '\u00a0', 'ü', '😀', '---\n', '...\n', ' ',
  '  ', 'x', '0', '9999', 'key: value', '{a: [', '"unterminated', '\\n', '<<: *a', '&a [*a]', '{{}}', 'null',
];

const BAD_DURATIONS = [
  '10', '"10"', '10 sec', '-5s', '1.0000001ms', '5x', 's', '10S', '1e3ms', '١٠s', '99999999999999h', '0.5us', '1,5s', '.5s',
  '5.s', 'ms', '-0s', '1h30m', '1 m s', '+5s', '0x10ms', '∞s',
];

const UNKNOWN_KEYS = ['frobnicate', 'Name', 'brokers ', 'replication_factor', 'acks', 'at', 'crash', 'lost', 'config', '1', '"a.b"', 'x y'];

type TextOp = (r: Rand, text: string) => string | undefined;
type TreeOp = (r: Rand, doc: Document) => boolean;

const lines = (text: string): string[] => text.split('\n');
const join = (ls: string[]): string => ls.join('\n');

/** `  key: value  # comment` → its parts, for lines that carry a scalar value. */
const KEY_VALUE = /^(\s*(?:- )?)([^#:\s][^#:]*?):([ \t]+)([^#\s][^#]*?)(\s*#.*)?$/;
const KEY_LINE = /^(\s*(?:- )?)([^#:\s][^#:]*?):(\s|$)/;

function pickLine(r: Rand, ls: string[], re?: RegExp): number | undefined {
  const idx = ls.map((l, i) => (re ? (re.test(l) ? i : -1) : i)).filter((i) => i >= 0);
  return idx.length === 0 ? undefined : r.pick(idx);
}

const TEXT_OPS: Record<string, TextOp> = {
  deleteLine(r, text) {
    const ls = lines(text);
    const i = pickLine(r, ls, /\S/);
    if (i === undefined) return undefined;
    ls.splice(i, 1);
    return join(ls);
  },
  deleteLines(r, text) {
    const ls = lines(text);
    const i = r.int(0, ls.length - 1);
    ls.splice(i, r.int(2, 6));
    return join(ls);
  },
  truncate(r, text) {
    return text.slice(0, r.int(0, text.length));
  },
  truncateAtLine(r, text) {
    const ls = lines(text);
    return join(ls.slice(0, r.int(0, ls.length)));
  },
  insertGarbage(r, text) {
    const at = r.int(0, text.length);
    return text.slice(0, at) + r.pick(GARBAGE) + text.slice(at);
  },
  insertGarbageAtLineStart(r, text) {
    const ls = lines(text);
    const i = r.int(0, ls.length - 1);
    const indent = /^\s*/.exec(ls[i])![0];
    ls[i] = indent + r.pick(GARBAGE) + ls[i].slice(indent.length);
    return join(ls);
  },
  deleteChar(r, text) {
    if (text.length === 0) return undefined;
    const at = r.int(0, text.length - 1);
    return text.slice(0, at) + text.slice(at + 1);
  },
  replaceChar(r, text) {
    if (text.length === 0) return undefined;
    const at = r.int(0, text.length - 1);
    return text.slice(0, at) + r.pick(GARBAGE).slice(0, 1) + text.slice(at + 1);
  },
  duplicateLine(r, text) {
    const ls = lines(text);
    const i = pickLine(r, ls, /\S/);
    if (i === undefined) return undefined;
    ls.splice(i, 0, ls[i]);
    return join(ls);
  },
  swapLines(r, text) {
    const ls = lines(text);
    if (ls.length < 2) return undefined;
    const i = r.int(0, ls.length - 1);
    const j = r.chance(0.6) ? Math.min(ls.length - 1, i + 1) : r.int(0, ls.length - 1);
    [ls[i], ls[j]] = [ls[j], ls[i]];
    return join(ls);
  },
  reindent(r, text) {
    const ls = lines(text);
    const i = pickLine(r, ls, /\S/);
    if (i === undefined) return undefined;
    const body = ls[i].trimStart();
    const indent = ls[i].length - body.length;
    const next = r.pick([indent + 1, indent + 2, indent - 1, indent - 2, 0, indent + 4]);
    ls[i] = (r.chance(0.15) ? '\t' : ' '.repeat(Math.max(0, next))) + body;
    return join(ls);
  },
  replaceValue(r, text) {
    const ls = lines(text);
    const i = pickLine(r, ls, KEY_VALUE);
    if (i === undefined) return undefined;
    const m = KEY_VALUE.exec(ls[i])!;
    ls[i] = `${m[1]}${m[2]}:${m[3]}${r.pick(WRONG_VALUES)}${m[5] ?? ''}`;
    return join(ls);
  },
  emptyValue(r, text) {
    const ls = lines(text);
    const i = pickLine(r, ls, KEY_VALUE);
    if (i === undefined) return undefined;
    const m = KEY_VALUE.exec(ls[i])!;
    ls[i] = `${m[1]}${m[2]}:`;
    return join(ls);
  },
  swapValues(r, text) {
    const ls = lines(text);
    const i = pickLine(r, ls, KEY_VALUE);
    const j = pickLine(r, ls, KEY_VALUE);
    if (i === undefined || j === undefined || i === j) return undefined;
    const a = KEY_VALUE.exec(ls[i])!;
    const b = KEY_VALUE.exec(ls[j])!;
    ls[i] = `${a[1]}${a[2]}:${a[3]}${b[4]}${a[5] ?? ''}`;
    ls[j] = `${b[1]}${b[2]}:${b[3]}${a[4]}${b[5] ?? ''}`;
    return join(ls);
  },
  swapKeys(r, text) {
    const ls = lines(text);
    const i = pickLine(r, ls, KEY_VALUE);
    const j = pickLine(r, ls, KEY_VALUE);
    if (i === undefined || j === undefined || i === j) return undefined;
    const a = KEY_VALUE.exec(ls[i])!;
    const b = KEY_VALUE.exec(ls[j])!;
    ls[i] = `${a[1]}${b[2]}:${a[3]}${a[4]}${a[5] ?? ''}`;
    ls[j] = `${b[1]}${a[2]}:${b[3]}${b[4]}${b[5] ?? ''}`;
    return join(ls);
  },
  unknownKey(r, text) {
    const ls = lines(text);
    const i = pickLine(r, ls, KEY_LINE);
    if (i === undefined) return undefined;
    const indent = /^\s*/.exec(ls[i])![0];
    const bullet = /^\s*- /.test(ls[i]) ? '  ' : '';
    ls.splice(i + 1, 0, `${indent}${bullet}${r.pick(UNKNOWN_KEYS)}: ${r.pick(WRONG_VALUES)}`);
    return join(ls);
  },
  duplicateKey(r, text) {
    const ls = lines(text);
    const i = pickLine(r, ls, KEY_VALUE);
    if (i === undefined) return undefined;
    const m = KEY_VALUE.exec(ls[i])!;
    const indent = m[1].replace('- ', '  ');
    ls.splice(i + 1, 0, `${indent}${m[2]}: ${r.chance(0.5) ? m[4] : r.pick(WRONG_VALUES)}`);
    return join(ls);
  },
  renameKey(r, text) {
    const ls = lines(text);
    const i = pickLine(r, ls, KEY_LINE);
    if (i === undefined) return undefined;
    const m = KEY_LINE.exec(ls[i])!;
    const name = m[2];
    const at = r.int(0, name.length - 1);
    const renamed = r.pick([
      name.slice(0, at) + name.slice(at + 1),
      name.slice(0, at) + name[at] + name.slice(at),
      name.toUpperCase(),
      name.replace(/\./g, '_'),
      name.replace(/-/g, '_'),
      `${name}s`,
      name.slice(0, at) + r.pick(['x', '.', '-', ' ', 'é']) + name.slice(at + 1),
    ]);
    ls[i] = m[1] + renamed + ls[i].slice(m[1].length + name.length);
    return join(ls);
  },
  numberOutOfRange(r, text) {
    const spots = [...text.matchAll(/(?<![\w.-])\d+(?![\w.])/g)];
    if (spots.length === 0) return undefined;
    const s = r.pick(spots);
    const n = Number(s[0]);
    const v = r.pick([`-${s[0]}`, '0', String(n + 1), String(n * 1000), '99999999999999999999', `${s[0]}.5`, '1e400', String(2 ** 31), String(2 ** 53 + 2)]);
    return text.slice(0, s.index) + v + text.slice(s.index! + s[0].length);
  },
  badDuration(r, text) {
    const spots = [...text.matchAll(/(?<![\w.])\d+(?:\.\d+)?(?:us|µs|ms|s|m|h)(?![\w])/g)];
    if (spots.length === 0) return undefined;
    const s = r.pick(spots);
    return text.slice(0, s.index) + r.pick(BAD_DURATIONS) + text.slice(s.index! + s[0].length);
  },
  listMarker(r, text) {
    const ls = lines(text);
    const i = pickLine(r, ls, /\S/);
    if (i === undefined) return undefined;
    ls[i] = /^(\s*)- /.test(ls[i]) ? ls[i].replace(/^(\s*)- /, '$1') : ls[i].replace(/^(\s*)/, '$1- ');
    return join(ls);
  },
  lineEndings(r, text) {
    return text.replace(/\n/g, r.pick(['\r\n', '\r', '\n\n', '\r\r\n']));
  },
  byteOrderMark(_r, text) {
    return `\uFEFF${text}`;
  },
  secondDocument(r, text) {
    const ls = lines(text);
    ls.splice(r.int(0, ls.length), 0, r.pick(['---', '...', '--- # two', '---\nname: other']));
    return join(ls);
  },
  replaceWhole(r) {
    return r.pick(['', ' ', '\n', '#', '# only a comment\n', '---', '~', 'null', '[]', '{}', '42', 'name: x', '- a\n- b', '"text"', '\uFEFF', '{', '[', ':']);
  },
  aliases(r, text) {
    const ls = lines(text);
    const i = pickLine(r, ls, KEY_VALUE);
    if (i === undefined) return undefined;
    const m = KEY_VALUE.exec(ls[i])!;
    ls[i] = `${m[1]}${m[2]}:${m[3]}${r.pick(['&a ', '*a', '*b', '&a [*a, *a]', '&b {x: *b}', '!!set {a, b}', '!!omap [a: 1]'])}${r.chance(0.5) ? m[4] : ''}`;
    return join(ls);
  },
};

// -- structure-level ------------------------------------------------------------------------------

interface Spot {
  parent: Node;
  pair?: Pair;
  index?: number;
}

/** Every pair of every mapping and every item of every list, for picking one. */
function spots(doc: Document): Spot[] {
  const out: Spot[] = [];
  visit(doc, {
    Map(_k, map) {
      for (const pair of map.items) out.push({ parent: map, pair: pair as Pair });
    },
    Seq(_k, seq) {
      seq.items.forEach((_item, index) => out.push({ parent: seq, index }));
    },
  });
  return out;
}

function wrongNode(r: Rand, doc: Document): Node {
  const v = r.pick(WRONG_VALUES);
  try {
    const parsed = parseDocument(`x: ${v}`, { uniqueKeys: false });
    if (parsed.errors.length === 0 && isMap(parsed.contents)) {
      const value = (parsed.contents.items[0] as Pair).value;
      if (value) return doc.createNode((value as Node & { toJSON(): unknown }).toJSON());
    }
  } catch {
    // fall through to a plain scalar
  }
  return new Scalar(v);
}

function valueOf(s: Spot): unknown {
  return s.pair ? s.pair.value : isSeq(s.parent) ? s.parent.items[s.index!] : undefined;
}

function setValue(s: Spot, node: unknown): void {
  if (s.pair) s.pair.value = node as Node;
  else if (isSeq(s.parent)) s.parent.items[s.index!] = node as Node;
}

const TREE_OPS: Record<string, TreeOp> = {
  deleteKey(r, doc) {
    const ss = spots(doc).filter((s) => s.pair);
    if (ss.length === 0) return false;
    const s = r.pick(ss);
    const map = s.parent as Node & { items: unknown[] };
    map.items.splice(map.items.indexOf(s.pair), 1);
    return true;
  },
  deleteItem(r, doc) {
    const ss = spots(doc).filter((s) => !s.pair);
    if (ss.length === 0) return false;
    const s = r.pick(ss);
    (s.parent as Node & { items: unknown[] }).items.splice(s.index!, 1);
    return true;
  },
  duplicateItem(r, doc) {
    const ss = spots(doc).filter((s) => !s.pair);
    if (ss.length === 0) return false;
    const s = r.pick(ss);
    const items = (s.parent as Node & { items: unknown[] }).items;
    const item = items[s.index!];
    items.splice(s.index!, 0, item && typeof item === 'object' && 'clone' in item ? (item as Node).clone() : item);
    return true;
  },
  wrongType(r, doc) {
    const ss = spots(doc);
    if (ss.length === 0) return false;
    const s = r.pick(ss);
    const current = valueOf(s);
    const kinds = [
      () => wrongNode(r, doc),
      () => doc.createNode([1, 'two']),
      () => doc.createNode({ unexpected: 'mapping' }),
      () => doc.createNode(isScalar(current) ? [current.value] : null),
      () => doc.createNode(isScalar(current) && typeof current.value === 'number' ? String(current.value) : 17),
    ];
    setValue(s, r.pick(kinds)());
    return true;
  },
  swapValues(r, doc) {
    const ss = spots(doc);
    if (ss.length < 2) return false;
    const a = r.pick(ss);
    const b = r.pick(ss);
    if (a === b) return false;
    const va = valueOf(a);
    const vb = valueOf(b);
    // Cloned, so a node never ends up inside itself.
    const clone = (v: unknown): unknown => (v && typeof v === 'object' && 'clone' in v ? (v as Node).clone() : v);
    setValue(a, clone(vb));
    setValue(b, clone(va));
    return true;
  },
  duplicateKey(r, doc) {
    const ss = spots(doc).filter((s) => s.pair);
    if (ss.length === 0) return false;
    const s = r.pick(ss);
    const map = s.parent as Node & { items: unknown[] };
    const key = isScalar(s.pair!.key) ? s.pair!.key.value : s.pair!.key;
    map.items.splice(r.int(0, map.items.length), 0, new Pair(doc.createNode(key), r.chance(0.5) ? wrongNode(r, doc) : (valueOf(s) as Node)?.clone?.() ?? null));
    return true;
  },
  unknownKey(r, doc) {
    const maps: Node[] = [];
    visit(doc, { Map: (_k, m) => void maps.push(m) });
    if (maps.length === 0) return false;
    const map = r.pick(maps) as Node & { items: unknown[] };
    map.items.splice(r.int(0, map.items.length), 0, new Pair(doc.createNode(r.pick(UNKNOWN_KEYS.concat(['name', 'topics', 'id', 'partition']))), wrongNode(r, doc)));
    return true;
  },
  emptyCollection(r, doc) {
    const ss = spots(doc).filter((s) => {
      const v = valueOf(s);
      return isMap(v) || isSeq(v);
    });
    if (ss.length === 0) return false;
    const s = r.pick(ss);
    setValue(s, doc.createNode(r.pick([[], {}, null])));
    return true;
  },
  numberOutOfRange(r, doc) {
    const ss = spots(doc).filter((s) => isScalar(valueOf(s)) && typeof (valueOf(s) as Scalar).value === 'number');
    if (ss.length === 0) return false;
    const s = r.pick(ss);
    const n = (valueOf(s) as Scalar).value as number;
    setValue(s, doc.createNode(r.pick([-1, -n, 0, n + 0.5, n * 1e6, 1e21, Number.MAX_SAFE_INTEGER + 2, -Number.MAX_SAFE_INTEGER, 2 ** 31])));
    return true;
  },
  keyNotAScalar(r, doc) {
    const ss = spots(doc).filter((s) => s.pair);
    if (ss.length === 0) return false;
    const s = r.pick(ss);
    s.pair!.key = doc.createNode(r.pick([[1, 2], { a: 1 }, null, 3, true]));
    return true;
  },
};

/** Applies 1–3 random mutations (text- or structure-level) to a scenario file's text. */
export function mutate(r: Rand, text: string, json: boolean): Mutation {
  const ops: string[] = [];
  let current = text;
  const count = r.pick([1, 1, 1, 2, 2, 3]);
  for (let tries = 0; ops.length < count && tries < 20; tries++) {
    const tree = r.chance(0.45);
    // JSON has only text keys: a mapping as a key cannot be printed as JSON.
    const name = r.pick(Object.keys(tree ? TREE_OPS : TEXT_OPS).filter((n) => !(json && n === 'keyNotAScalar')));
    const next = tree ? treeMutation(r, current, json, name) : TEXT_OPS[name](r, current);
    if (next === undefined || next === current) continue;
    ops.push(tree ? `tree:${name}` : name);
    current = next;
  }
  return { ops, text: current };
}

function treeMutation(r: Rand, text: string, json: boolean, name: string): string | undefined {
  const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false });
  if (doc.errors.length > 0 || !doc.contents) return undefined;
  if (!TREE_OPS[name](r, doc)) return undefined;
  try {
    if (!json) return doc.toString({ lineWidth: 0 });
    if (hasCollectionKey(doc)) return undefined; // JSON keys are text; the library would warn and stringify
    return JSON.stringify(doc.toJSON(), null, r.pick([0, 2, 4]));
  } catch {
    return undefined; // a shape the library cannot print (e.g. a key that is a mapping in JSON)
  }
}

function hasCollectionKey(doc: Document): boolean {
  let found = false;
  visit(doc, {
    Pair(_k, pair) {
      if (pair.key !== null && !isScalar(pair.key)) found = true;
    },
  });
  return found;
}

export const MUTATION_OPS = [...Object.keys(TEXT_OPS), ...Object.keys(TREE_OPS).map((n) => `tree:${n}`)];
