// Scenario text (YAML, or JSON, which is YAML too) → a small tree of maps, lists and scalars in which
// every node knows its line and column. Validation works on this tree rather than on the `yaml`
// package's nodes, so it never needs the library's API and every message can point at the file.

import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import type { Problems, SourcePos } from './errors.ts';

export type Scalar = string | number | boolean | null;

export interface YScalar {
  kind: 'scalar';
  pos: SourcePos;
  value: Scalar;
  /** Stands in for something already reported (an alias without anchor): no second message about it. */
  broken?: true;
}

export interface YEntry {
  key: string;
  keyPos: SourcePos;
  value: YNode;
}

export interface YMap {
  kind: 'map';
  pos: SourcePos;
  entries: YEntry[];
}

export interface YSeq {
  kind: 'seq';
  pos: SourcePos;
  items: YNode[];
}

export type YNode = YScalar | YMap | YSeq;

/** Aliases can make a small file expand enormously ("billion laughs"); no scenario needs this many nodes. */
const MAX_NODES = 200_000;

/**
 * The tags a value may carry: YAML 1.2's core schema, which is how untagged values are read anyway
 * (`!!str 3` is the text "3"), and `!`, the non-specific tag (text). Any other (`!!binary`,
 * `!!timestamp`, `!!set`, `!foo`) would make a value the format has no use for, and one that differs
 * between JavaScript engines (a Buffer in Node, a Uint8Array in a browser), so it is refused.
 */
const CORE = 'tag:yaml.org,2002:';
const SCALAR_TAGS = new Set(['!', `${CORE}str`, `${CORE}int`, `${CORE}float`, `${CORE}bool`, `${CORE}null`]);
const ALLOWED_TAGS = { scalar: SCALAR_TAGS, map: new Set([`${CORE}map`]), seq: new Set([`${CORE}seq`]) };
const ANY_ALLOWED_TAG = new Set([...SCALAR_TAGS, `${CORE}map`, `${CORE}seq`]);

/** A tag as it is usually written: `!!binary` for YAML's own, else as given. */
function shownTag(tag: string): string {
  return tag.startsWith(CORE) ? `!!${tag.slice(CORE.length)}` : tag;
}

/**
 * Parses the text; syntax errors, duplicate keys and unusable aliases go to `problems`. Returns
 * undefined when there is nothing sensible to validate (empty file or broken syntax).
 */
export function readTree(text: string, problems: Problems, json: boolean): YNode | undefined {
  const lines = new LineCounter();
  // Always YAML 1.2's core schema, even under a `%YAML 1.1` directive (whose dates and sexagesimal
  // numbers would come out as objects, or depend on the time zone).
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false, schema: 'core' });
  const at = (offset: number): SourcePos => {
    const { line, col } = lines.linePos(offset);
    return { line, column: col };
  };
  for (const e of doc.errors) problems.add(at(e.pos[0]), '', `YAML syntax: ${syntaxMessage(e.message)}`);
  if (doc.errors.length > 0) return undefined;
  // An unknown tag is refused where the tree meets it, with the message the other odd tags get.
  for (const w of doc.warnings) if (!refusedTagWarning(w.message)) problems.add(at(w.pos[0]), '', `YAML: ${w.message.replaceAll(CORE, '!!')}`);
  if (doc.contents === null) {
    problems.add({ line: 1, column: 1 }, '', 'the file is empty: a scenario needs at least name, duration and cluster');
    return undefined;
  }
  if (json && !checkStrictJson(text, problems, at)) return undefined;
  return new TreeBuilder(doc, at, problems).convert(doc.contents, at(0), '');
}

function refusedTagWarning(message: string): boolean {
  const m = /^Unresolved tag: (.*)$/.exec(message);
  return m !== null && !ANY_ALLOWED_TAG.has(m[1]);
}

/**
 * The parser's message, first line only; a RangeError from the parser's recursion (values nested some
 * hundreds deep) said only "Maximum call stack size exceeded", as if kafkasim had crashed.
 */
function syntaxMessage(message: string): string {
  if (/Maximum call stack size exceeded/.test(message)) {
    return 'values nest too deeply here for the YAML parser to read (its call stack ran out); a scenario nests a few levels';
  }
  return firstLine(message);
}

/** Parsers append an excerpt of the file after the first line; the error's position already says where. */
function firstLine(message: string): string {
  return message.split(/\r\n|\r|\n/)[0];
}

/**
 * Where V8's position-less message points: `Unexpected token 'X', ..."context"... is not valid JSON`
 * quotes the source around the token (10 characters each side, "..." where it was cut), so the token
 * is found in that excerpt and the excerpt in the file. −1 if the message is not of that form.
 */
function excerptOffset(message: string, text: string): number {
  const m = /^Unexpected token '([^']+)', (\.\.\.)?"([\s\S]*)"(\.\.\.)? is not valid JSON$/.exec(message);
  if (!m) return -1;
  const start = text.indexOf(m[3]);
  if (start < 0) return -1;
  const within = m[3].indexOf(m[1], m[2] ? 9 : 0);
  return within < 0 ? -1 : start + within;
}

/** A .json file must be JSON, not merely YAML that happens to be in a .json file. */
function checkStrictJson(text: string, problems: Problems, at: (offset: number) => SourcePos): boolean {
  try {
    // A byte-order mark is how some editors start a UTF-8 file; JSON.parse would take it for content.
    JSON.parse(text.replace(/^\uFEFF/, ''));
    return true;
  } catch (e) {
    const full = e instanceof Error ? e.message : String(e);
    const message = firstLine(full);
    const lineColumn = /line (\d+) column (\d+)/.exec(message);
    const offset = /position (\d+)/.exec(message);
    const bom = text.startsWith('\uFEFF') ? 1 : 0;
    const excerptAt = offset || lineColumn ? -1 : excerptOffset(full, text);
    const pos = lineColumn
      ? { line: Number(lineColumn[1]), column: Number(lineColumn[2]) }
      : offset ? at(Number(offset[1]) + bom)
      : excerptAt >= 0 ? at(excerptAt)
      : /end of JSON input/.test(message) ? at(text.length) : { line: 1, column: 1 };
    // The position is given as line and column already; Node's own "at position N" would repeat it.
    const said = (excerptAt >= 0 ? full.replace(/, (\.\.\.)?"[\s\S]*$/, '') : message)
      .replace(/\s*(in JSON )?at position \d+.*$/, '')
      .replace(/\s*\(line \d+ column \d+\)$/, '');
    problems.add(pos, '', `JSON syntax: ${said}`);
    return false;
  }
}

class TreeBuilder {
  private nodes = 0;
  private readonly expanding = new Set<unknown>();

  constructor(
    private readonly doc: Document,
    private readonly at: (offset: number) => SourcePos,
    private readonly problems: Problems,
  ) {}

  convert(node: unknown, fallback: SourcePos, path: string): YNode {
    if (++this.nodes > MAX_NODES) return this.tooLarge(fallback, path);
    const pos = this.position(node, fallback);
    if (isAlias(node)) return this.alias(node, pos, path);
    const kind = isMap(node) ? 'map' : isSeq(node) ? 'seq' : 'scalar';
    const tag = (node as { tag?: string } | null)?.tag;
    if (tag !== undefined && !ALLOWED_TAGS[kind].has(tag)) return this.refuseTag(tag, pos, path);
    if (isMap(node)) return this.map(node.items, pos, path);
    if (isSeq(node)) return { kind: 'seq', pos, items: node.items.map((item, i) => this.convert(item, pos, `${path}[${i}]`)) };
    if (isScalar(node)) {
      const v = node.value;
      if (v === null || v === undefined) return { kind: 'scalar', pos, value: null };
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return { kind: 'scalar', pos, value: v };
      // unreachable with the core schema and the tags above; a value of another type never reaches validation
      this.problems.add(pos, path, 'expected a plain value (a text, a number, true or false), a list or a mapping');
      return { kind: 'scalar', pos, value: null, broken: true };
    }
    return { kind: 'scalar', pos, value: null };
  }

  private refuseTag(tag: string, pos: SourcePos, path: string): YScalar {
    this.problems.add(pos, path, `the tag ${shownTag(tag)} is not accepted: write a plain value (a text, a number, true or false, a list or a mapping)`);
    return { kind: 'scalar', pos, value: null, broken: true };
  }

  /** Where a node starts; an empty value (`crash:` with nothing after it) points at its key instead. */
  private position(node: unknown, fallback: SourcePos): SourcePos {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    if (!range || (isScalar(node) && node.value === null && range[0] === range[1])) return fallback;
    return this.at(range[0]);
  }

  private map(pairs: { key: unknown; value: unknown }[], pos: SourcePos, path: string): YMap {
    const entries: YEntry[] = [];
    const seen = new Map<string, SourcePos>();
    for (const pair of pairs) {
      const keyPos = this.position(pair.key, pos);
      const keyTag = isScalar(pair.key) ? pair.key.tag : undefined;
      if (keyTag !== undefined && !SCALAR_TAGS.has(keyTag)) {
        this.refuseTag(keyTag, keyPos, path);
        continue;
      }
      const keyValue = isScalar(pair.key) ? pair.key.value : undefined;
      if (typeof keyValue !== 'string' && typeof keyValue !== 'number' && typeof keyValue !== 'boolean') {
        this.problems.add(keyPos, path, 'a key must be a plain name, not a list, a mapping or nothing');
        continue;
      }
      const key = String(keyValue);
      const valuePath = path === '' ? key : `${path}.${key}`;
      const first = seen.get(key);
      if (first) {
        this.problems.add(keyPos, valuePath, `duplicate key "${key}" (first given at line ${first.line})`);
        continue;
      }
      seen.set(key, keyPos);
      entries.push({ key, keyPos, value: this.convert(pair.value, keyPos, valuePath) });
    }
    return { kind: 'map', pos, entries };
  }

  private alias(node: { source: string; resolve(doc: Document): unknown }, pos: SourcePos, path: string): YNode {
    const target = node.resolve(this.doc);
    if (target === undefined) {
      this.problems.add(pos, path, `unknown alias "*${node.source}": no anchor "&${node.source}" before it`);
      return { kind: 'scalar', pos, value: null, broken: true };
    }
    if (this.expanding.has(target)) {
      this.problems.add(pos, path, `alias "*${node.source}" refers to a node that contains it`);
      return { kind: 'scalar', pos, value: null, broken: true };
    }
    this.expanding.add(target);
    const converted = this.convert(target, pos, path);
    this.expanding.delete(target);
    return { ...converted, pos };
  }

  private tooLarge(pos: SourcePos, path: string): YNode {
    if (this.nodes === MAX_NODES + 1) this.problems.add(pos, path, `the document expands to more than ${MAX_NODES} nodes (values, lists and mappings, an alias counted at each use): no scenario needs so many`);
    return { kind: 'scalar', pos, value: null, broken: true };
  }
}
