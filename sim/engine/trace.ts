// The run's journal: every observable event, as canonical JSON lines, with a running SHA-256 of
// exactly those bytes. Two runs are the same run iff their hashes match, so the text must not
// depend on the order in which an object's keys happened to be written: keys are sorted.
//
// SHA-256 comes from @noble/hashes because it is synchronous and identical in Node and the browser
// (node:crypto is Node-only; WebCrypto is async).
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

export interface TraceEvent {
  /** Simulated time, µs. */
  t: number;
  type: string;
  [field: string]: unknown;
}

/** Receives a trace line as it is recorded, with its event (which it must not mutate). */
export type TraceSink = (line: string, event: TraceEvent) => void;

/** An incremental SHA-256: bytes in, lowercase hex of everything so far out (callable repeatedly). */
export interface StreamingHash {
  update(bytes: Uint8Array): void;
  hex(): string;
}

/**
 * Makes the trace's SHA-256. Any implementation gives the same hex for the same bytes, so the choice
 * is speed alone: @noble/hashes runs everywhere (the browser, the page's worker); a Node caller may
 * pass node:crypto's, native and several times faster, which the engine cannot import itself.
 */
export type HashFactory = () => StreamingHash;

export const nobleSha256: HashFactory = () => {
  const h = sha256.create();
  return { update: (bytes) => h.update(bytes), hex: () => bytesToHex(h.clone().digest()) };
};

export interface TraceRecorderOptions {
  /** Keep events in memory (default true); false for long runs that only need the hash or a sink. */
  keep?: boolean;
  /**
   * Receives each JSONL line, without its newline, and the event it encodes, as it is recorded: what
   * lets a long run stream its journal (to a file, a comparison, a story) with memory flat in its length.
   */
  sink?: TraceSink;
  /** The SHA-256 to use (default @noble/hashes'). */
  hash?: HashFactory;
}

/**
 * JSON with object keys sorted and no whitespace. Numbers print as JSON prints them. Values JSON
 * would silently turn into null or {} (NaN, Infinity, undefined in an array, Map, Set, functions)
 * throw instead, so a trace can never hide a bug behind a lossy encoding. An undefined object
 * property is omitted, as JSON does.
 */
export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${String(value)} is not valid JSON`);
      return String(value); // the same digits as JSON.stringify for every finite number (-0 too)
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      if (Array.isArray(value)) return canonicalArray(value);
      return canonicalObject(value as Record<string, unknown>);
    default:
      throw new TypeError(`canonicalJson: a ${typeof value} is not valid JSON`);
  }
}

// Trace events repeat a few short strings (event types, partition and node names, reasons) hundreds
// of thousands of times; each is quoted once. JSON.stringify's quoting is the reference: a string of
// printable ASCII without `"` or `\` is its own JSON body, anything else goes through JSON.stringify.
const quoted = new Map<string, string>();
const QUOTE_CACHE_MAX = 8192;
const QUOTE_CACHE_MAX_LENGTH = 64;

function quote(s: string): string {
  if (s.length > QUOTE_CACHE_MAX_LENGTH) return JSON.stringify(s);
  let q = quoted.get(s);
  if (q === undefined) {
    q = plainAscii(s) ? '"' + s + '"' : JSON.stringify(s);
    if (quoted.size < QUOTE_CACHE_MAX) quoted.set(s, q);
  }
  return q;
}

function plainAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return false;
  }
  return true;
}

function canonicalArray(xs: readonly unknown[]): string {
  let out = '[';
  for (let i = 0; i < xs.length; i++) {
    if (xs[i] === undefined) throw new TypeError(`canonicalJson: undefined at array index ${i}`);
    out += (i === 0 ? '' : ',') + canonicalJson(xs[i]);
  }
  return out + ']';
}

/**
 * The sorted keys of an object shape, with their quoted `"key":` prefixes. Trace events come from a
 * few code sites, each writing its keys in the same order, so a shape is sorted and quoted once, and
 * found again by the event's type and its keys in insertion order, compared without building a string.
 */
interface Shape {
  /** The keys as the object enumerates them. */
  order: string[];
  keys: string[];
  prefixes: string[];
}
const shapes = new Map<unknown, Shape[]>();
let shapeCount = 0;

function enumeratesAs(obj: Record<string, unknown>, order: readonly string[]): boolean {
  let i = 0;
  for (const k in obj) if (order[i++] !== k) return false;
  return i === order.length;
}

function shapeOf(obj: Record<string, unknown>): Shape {
  const tag = typeof obj.type === 'string' ? obj.type : '';
  let list = shapes.get(tag);
  if (list !== undefined) for (let i = 0; i < list.length; i++) if (enumeratesAs(obj, list[i].order)) return list[i];
  const order: string[] = [];
  for (const k in obj) order.push(k);
  // default sort compares UTF-16 code units: the same order in every engine
  const keys = [...order].sort();
  const shape = { order, keys, prefixes: keys.map((k) => JSON.stringify(k) + ':') };
  if (shapeCount < 4096) {
    if (list === undefined) shapes.set(tag, (list = []));
    list.push(shape);
    shapeCount++;
  }
  return shape;
}

function canonicalObject(obj: Record<string, unknown>): string {
  if (obj instanceof Map || obj instanceof Set) {
    throw new TypeError('canonicalJson: convert a Map or Set to an array or object first');
  }
  if (typeof obj.toJSON === 'function') return canonicalJson((obj.toJSON as () => unknown)());
  const { keys, prefixes } = shapeOf(obj);
  let out = '{';
  let first = true;
  for (let i = 0; i < keys.length; i++) {
    const v = obj[keys[i]];
    if (v === undefined) continue;
    // the common values inline (an integer, a short string), the rest through canonicalJson
    let text: string;
    if (typeof v === 'number' && Number.isSafeInteger(v)) text = String(v);
    else if (typeof v === 'string') text = quote(v);
    else text = canonicalJson(v);
    out += (first ? prefixes[i] : ',' + prefixes[i]) + text;
    first = false;
  }
  return out + '}';
}

/** Lowercase hex SHA-256 of a JSONL text: what TraceRecorder.hash() reports for the same lines. */
export function hashJSONL(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)));
}

// Hashing line by line costs a call into the hash per event, and encoding line by line a call into
// the encoder; lines are joined into a batch of text, encoded and hashed once per batch instead. The
// batch is small (a few hundred lines), so its garbage still dies young. The bytes hashed are the
// same: UTF-8 of each line and its "\n" (a lone surrogate becomes U+FFFD, as TextEncoder writes it;
// the newline after each line keeps surrogates of two lines from pairing up).
const HASH_BATCH_CHARS = 1 << 14;
const encoder = new TextEncoder();

export class TraceRecorder {
  private readonly keep: boolean;
  private readonly sink: TraceSink | undefined;
  private readonly kept: TraceEvent[] = [];
  private readonly lines: string[] = [];
  private readonly hasher: StreamingHash;
  private batch = '';
  private recorded = 0;

  constructor(opts: TraceRecorderOptions = {}) {
    this.keep = opts.keep ?? true;
    this.sink = opts.sink;
    this.hasher = (opts.hash ?? nobleSha256)();
  }

  /** Appends one event. Do not mutate it afterwards: the kept event would no longer match its line. */
  record(event: TraceEvent): void {
    const line = canonicalJson(event);
    this.recorded++;
    this.hashLine(line);
    if (this.keep) {
      this.kept.push(event);
      this.lines.push(line);
    }
    if (this.sink !== undefined) this.sink(line, event);
  }

  /** The events recorded so far; empty when keep=false. */
  get events(): readonly TraceEvent[] {
    return this.kept;
  }

  get count(): number {
    return this.recorded;
  }

  /** Lowercase hex SHA-256 of every line so far, each followed by "\n". Callable repeatedly. */
  hash(): string {
    this.flush();
    return this.hasher.hex();
  }

  /** The whole journal as JSONL (each line ends in "\n"); only available with keep=true. */
  toJSONL(): string {
    if (!this.keep) throw new Error('TraceRecorder.toJSONL() needs keep=true');
    return this.lines.length === 0 ? '' : this.lines.join('\n') + '\n';
  }

  /** Adds the line and its "\n" to the batch. */
  private hashLine(line: string): void {
    this.batch += line + '\n';
    if (this.batch.length >= HASH_BATCH_CHARS) this.flush();
  }

  private flush(): void {
    if (this.batch.length === 0) return;
    this.hasher.update(encoder.encode(this.batch));
    this.batch = '';
  }
}
