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
  /** The prefixes as UTF-8, with and without the comma before them (for the byte writer). */
  prefixBytes: Uint8Array[];
  commaPrefixBytes: Uint8Array[];
}
const encoder = new TextEncoder();
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
  const prefixes = keys.map((k) => JSON.stringify(k) + ':');
  const shape = { order, keys, prefixes, prefixBytes: prefixes.map((x) => encoder.encode(x)), commaPrefixBytes: prefixes.map((x) => encoder.encode(',' + x)) };
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

// A trace that is only hashed (no kept events, no sink: `kafkasim run --json`, `check --golden`) needs
// no line strings at all: CanonicalBytes writes the same canonical JSON straight into a byte buffer as
// UTF-8, the buffer is hashed when full, and nothing per event is left for the garbage collector.
// Every value goes the way canonicalJson takes it (same quoting, same number digits, same throws), so
// the bytes hashed are the bytes of the lines (test/engine/trace.test.ts compares the two on random events).
const quotedBytes = new Map<string, Uint8Array>();

/** The UTF-8 of a string's JSON quoting (cached like quote()). */
function quotedUtf8(s: string): Uint8Array {
  let b = quotedBytes.get(s);
  if (b === undefined) {
    b = encoder.encode(quote(s));
    if (s.length <= QUOTE_CACHE_MAX_LENGTH && quotedBytes.size < QUOTE_CACHE_MAX) quotedBytes.set(s, b);
  }
  return b;
}

const BYTES_CHUNK = 1 << 16;

class CanonicalBytes {
  /** Made at the first event (a simulation without a trace records none). */
  buf = new Uint8Array(0);
  pos = 0;

  /** Room for `n` more bytes (grows within an event: the buffer is only hashed between events). */
  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const bigger = new Uint8Array(Math.max(BYTES_CHUNK, this.buf.length * 2, this.pos + n));
    bigger.set(this.buf.subarray(0, this.pos));
    this.buf = bigger;
  }

  private byte(c: number): void {
    this.room(1);
    this.buf[this.pos++] = c;
  }

  private bytes(b: Uint8Array): void {
    const n = b.length;
    this.room(n);
    const buf = this.buf;
    const pos = this.pos;
    // most are a quoted key or a short name: a loop beats TypedArray.set's call overhead there
    if (n <= 32) for (let i = 0; i < n; i++) buf[pos + i] = b[i];
    else buf.set(b, pos);
    this.pos = pos + n;
  }

  /** ASCII text (number digits, literals). */
  private ascii(t: string): void {
    this.room(t.length);
    const buf = this.buf;
    let pos = this.pos;
    for (let i = 0; i < t.length; i++) buf[pos++] = t.charCodeAt(i);
    this.pos = pos;
  }

  private int(v: number): void {
    // a safe integer's decimal digits, as String(v) prints them (-0 prints 0)
    if (v < 0) {
      this.byte(0x2d);
      v = -v;
    }
    if (v < 10) {
      this.byte(0x30 + v);
      return;
    }
    if (v > 0x7fffffff) return this.bigInt(v);
    // most values (times in µs, offsets, ids) fit 31 bits: `| 0` divides exactly there, with no float floor
    const digits = v < 100 ? 2 : v < 1000 ? 3 : v < 10_000 ? 4 : v < 100_000 ? 5 : v < 1_000_000 ? 6
      : v < 10_000_000 ? 7 : v < 100_000_000 ? 8 : v < 1_000_000_000 ? 9 : 10;
    this.room(digits);
    const buf = this.buf;
    const start = this.pos;
    let x = v;
    for (let pos = start + digits - 1; pos >= start; pos--) {
      const q = (x / 10) | 0;
      buf[pos] = 0x30 + x - q * 10;
      x = q;
    }
    this.pos = start + digits;
  }

  /** Digits of an integer above 2^31 and below 2^53 (v % 10 and v / 10 of an integer are exact there). */
  private bigInt(v: number): void {
    let digits = 1;
    for (let x = v; x >= 10; x = Math.floor(x / 10)) digits++;
    this.room(digits);
    const buf = this.buf;
    let pos = this.pos + digits;
    this.pos = pos;
    for (let x = v; pos > this.pos - digits; x = Math.floor(x / 10)) buf[--pos] = 0x30 + (x % 10);
  }

  private string(v: string): void {
    if (v.length <= QUOTE_CACHE_MAX_LENGTH) this.bytes(quotedUtf8(v));
    else this.bytes(encoder.encode(JSON.stringify(v)));
  }

  value(value: unknown): void {
    switch (typeof value) {
      case 'string':
        return this.string(value);
      case 'number':
        if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${String(value)} is not valid JSON`);
        if (Number.isSafeInteger(value)) return this.int(value);
        return this.ascii(String(value));
      case 'boolean':
        return this.ascii(value ? 'true' : 'false');
      case 'object':
        if (value === null) return this.ascii('null');
        if (Array.isArray(value)) return this.array(value);
        return this.object(value as Record<string, unknown>);
      default:
        throw new TypeError(`canonicalJson: a ${typeof value} is not valid JSON`);
    }
  }

  private array(xs: readonly unknown[]): void {
    this.byte(0x5b);
    for (let i = 0; i < xs.length; i++) {
      if (xs[i] === undefined) throw new TypeError(`canonicalJson: undefined at array index ${i}`);
      if (i > 0) this.byte(0x2c);
      this.value(xs[i]);
    }
    this.byte(0x5d);
  }

  private object(obj: Record<string, unknown>): void {
    if (obj instanceof Map || obj instanceof Set) {
      throw new TypeError('canonicalJson: convert a Map or Set to an array or object first');
    }
    if (typeof obj.toJSON === 'function') return this.value((obj.toJSON as () => unknown)());
    const shape = shapeOf(obj);
    const keys = shape.keys;
    this.byte(0x7b);
    let first = true;
    for (let i = 0; i < keys.length; i++) {
      const v = obj[keys[i]];
      if (v === undefined) continue;
      this.bytes(first ? shape.prefixBytes[i] : shape.commaPrefixBytes[i]);
      first = false;
      if (typeof v === 'number' && Number.isSafeInteger(v)) this.int(v);
      else if (typeof v === 'string') this.string(v);
      else this.value(v);
    }
    this.byte(0x7d);
  }

  /** One event and its newline; on a throw, nothing of it stays. */
  line(event: unknown): void {
    const start = this.pos;
    try {
      this.value(event);
      this.byte(0x0a);
    } catch (e) {
      this.pos = start;
      throw e;
    }
  }
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

export class TraceRecorder {
  private readonly keep: boolean;
  private readonly sink: TraceSink | undefined;
  private readonly kept: TraceEvent[] = [];
  private readonly lines: string[] = [];
  private readonly hasher: StreamingHash;
  private batch = '';
  private recorded = 0;
  /** Set when nobody reads the lines (keep=false, no sink): events go to the hash as bytes. */
  private readonly bytes: CanonicalBytes | undefined;

  constructor(opts: TraceRecorderOptions = {}) {
    this.keep = opts.keep ?? true;
    this.sink = opts.sink;
    this.hasher = (opts.hash ?? nobleSha256)();
    if (!this.keep && this.sink === undefined) this.bytes = new CanonicalBytes();
  }

  /** Appends one event. Do not mutate it afterwards: the kept event would no longer match its line. */
  record(event: TraceEvent): void {
    const bytes = this.bytes;
    if (bytes !== undefined) {
      bytes.line(event);
      this.recorded++;
      if (bytes.pos >= BYTES_CHUNK) this.flush();
      return;
    }
    const line = canonicalJson(event);
    this.recorded++;
    this.hashLine(line);
    if (this.keep) {
      this.kept.push(event);
      this.lines.push(line);
    }
    if (this.sink !== undefined) this.sink(line, event);
  }

  /**
   * Whether anyone reads an event of this type (its line, the hash, a watch). A caller on a hot path
   * may skip building an event nobody reads and tell `skipped` instead. This recorder reads them all.
   */
  wants(_type: string): boolean {
    return true;
  }

  /** An event of `type` that was not built because wants() said nobody reads it. */
  skipped(type: string): void {
    throw new Error(`a ${type} event was skipped, but this trace reads every event`);
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
    const bytes = this.bytes;
    if (bytes !== undefined) {
      if (bytes.pos === 0) return;
      this.hasher.update(bytes.buf.subarray(0, bytes.pos));
      bytes.pos = 0;
      return;
    }
    if (this.batch.length === 0) return;
    this.hasher.update(encoder.encode(this.batch));
    this.batch = '';
  }
}
