// The journal: canonical JSON (sorted keys, no whitespace, no lossy values) and a SHA-256 over
// its JSONL text that identifies a run. Known vectors were computed with `printf ... | sha256sum`.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { TraceRecorder, canonicalJson, hashJSONL, type TraceEvent, type TraceRecorderOptions } from '../../sim/engine/trace.ts';

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

function recorded(events: TraceEvent[], opts: TraceRecorderOptions = {}): TraceRecorder {
  const trace = new TraceRecorder(opts);
  for (const e of events) trace.record(e);
  return trace;
}

describe('canonicalJson', () => {
  it('sorts keys at every depth and adds no whitespace', () => {
    const value = { type: 'x', t: 5, b: { z: 1, a: [{ y: 2, x: 1 }] }, a: 'é\n"' };
    expect(canonicalJson(value)).toBe('{"a":"é\\n\\"","b":{"a":[{"x":1,"y":2}],"z":1},"t":5,"type":"x"}');
  });

  it('does not depend on the order keys were written in', () => {
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });

  it('prints numbers, booleans and null as JSON does, and omits undefined properties', () => {
    expect(canonicalJson([0, -0, 1.5, 1e21, -3, true, false, null])).toBe('[0,0,1.5,1e+21,-3,true,false,null]');
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
  });

  it('throws on values JSON would silently mangle', () => {
    expect(() => canonicalJson(Number.NaN)).toThrow(TypeError);
    expect(() => canonicalJson({ x: Number.POSITIVE_INFINITY })).toThrow(TypeError);
    expect(() => canonicalJson([1, undefined])).toThrow(/undefined at array index 1/);
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(TypeError);
    expect(() => canonicalJson({ m: new Map() })).toThrow(/Map or Set/);
    expect(() => canonicalJson(10n)).toThrow(TypeError);
  });

  it('quotes strings and prints numbers in objects exactly as JSON.stringify does, repeated or not', () => {
    const strings = ['orders-0', '', 'a"b', 'a\\b', 'tab\there', '\u007f', '\u0001', 'é', '\ud800', 'x'.repeat(100), '\u2028'];
    for (let round = 0; round < 2; round++) {
      for (const s of strings) {
        expect(canonicalJson(s)).toBe(JSON.stringify(s));
        expect(canonicalJson({ t: 1, type: 'q', s })).toBe(`{"s":${JSON.stringify(s)},"t":1,"type":"q"}`);
      }
    }
    for (const n of [0, -0, 7, -7, 2 ** 53 - 1, 2 ** 53, 1.25, -1e-7, 1e21]) expect(canonicalJson({ n })).toBe(`{"n":${JSON.stringify(n)}}`);
  });
});

describe('TraceRecorder', () => {
  const events: TraceEvent[] = [
    { t: 0, type: 'start' },
    { type: 'x', t: 5, b: [1, 2.5, null, true], a: 'y' },
  ];

  it('hashes nothing to the SHA-256 of the empty string', () => {
    expect(new TraceRecorder().hash()).toBe(EMPTY_SHA256);
    expect(hashJSONL('')).toBe(EMPTY_SHA256);
    expect(new TraceRecorder().toJSONL()).toBe('');
  });

  it('matches a known vector for a small JSONL', () => {
    const trace = recorded(events);
    expect(trace.toJSONL()).toBe('{"t":0,"type":"start"}\n{"a":"y","b":[1,2.5,null,true],"t":5,"type":"x"}\n');
    expect(trace.hash()).toBe('cf804af7447564e8b6d62db39d4870a5594bc249d010833f41e9b98335c25384');
  });

  it('hashes text as UTF-8', () => {
    expect(recorded([{ t: 0, type: 'x', z: 'é' }]).hash()).toBe('feff6bfcce1a817471453d386e1bd289453e3c5abca222cee715a5350681c239');
  });

  it('agrees with hashJSONL of its own JSONL, including past the batching threshold', () => {
    const many: TraceEvent[] = Array.from({ length: 5000 }, (_, i) => ({ t: i, type: 'tick', n: i, s: 'x'.repeat(i % 40) }));
    const trace = recorded(many);
    expect(trace.count).toBe(5000);
    expect(trace.hash()).toBe(hashJSONL(trace.toJSONL()));
  });

  it('can be hashed repeatedly while recording continues', () => {
    const trace = new TraceRecorder();
    trace.record(events[0]);
    const first = trace.hash();
    expect(trace.hash()).toBe(first);
    trace.record(events[1]);
    expect(trace.hash()).toBe(recorded(events).hash());
    expect(trace.hash()).not.toBe(first);
  });

  it('is equal for equal event sequences and differs when one field differs', () => {
    const same = recorded([{ t: 0, type: 'start' }, { t: 5, type: 'x', a: 'y', b: [1, 2.5, null, true] }]);
    expect(same.hash()).toBe(recorded(events).hash());
    const changed = recorded([events[0], { ...events[1], a: 'z' }]);
    expect(changed.hash()).not.toBe(recorded(events).hash());
    const reordered = recorded([events[1], events[0]]);
    expect(reordered.hash()).not.toBe(recorded(events).hash());
  });

  it('with keep=false keeps nothing but still hashes and feeds the sink', () => {
    const lines: string[] = [];
    const trace = recorded(events, { keep: false, sink: (line: string) => lines.push(line) });
    expect(trace.events).toEqual([]);
    expect(trace.count).toBe(2);
    expect(trace.hash()).toBe(recorded(events).hash());
    expect(lines).toEqual(['{"t":0,"type":"start"}', '{"a":"y","b":[1,2.5,null,true],"t":5,"type":"x"}']);
    expect(() => trace.toJSONL()).toThrow(/keep=true/);
  });

  it('hands the sink each event with its line, so a long run can stream both without keeping either', () => {
    const seen: [string, TraceEvent][] = [];
    const trace = recorded(events, { keep: false, sink: (line, event) => seen.push([line, event]) });
    expect(seen.map(([, e]) => e)).toEqual(events);
    expect(seen.map(([line, e]) => line === canonicalJson(e))).toEqual([true, true]);
    expect(trace.events).toEqual([]);
  });

  it('keeps the events themselves when keep=true', () => {
    const trace = recorded(events);
    expect(trace.events).toEqual(events);
  });

  // keep=false without a sink writes events straight to the hash as bytes, never as lines: the hash
  // must be the SHA-256 of the very lines the string path writes (hashJSONL of canonicalJson's lines)
  describe('hashed without lines (keep=false, no sink)', () => {
    const text = fc.oneof(
      fc.constantFrom('', 'orders-0', 'a"b', 'back\\slash', 'tab\there', 'line\nbreak', '\u0000', 'é', '日本', '🙂', '\ud800', 'x\udc00y', '\u007f'),
      fc.string({ maxLength: 80 }),
      fc.string({ unit: 'binary', maxLength: 80 }),
    );
    const number = fc.oneof(fc.integer(), fc.constantFrom(0, -0, -1, 9, 10, -10, 99, 100, 999_999_999, 1_000_000_000, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), 2 ** 53 - 1, -(2 ** 53) + 1, 2 ** 53, 1e21, 1e-7, 0.1, -2.5), fc.double({ noNaN: true, noDefaultInfinity: true }));
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, text, number, fc.boolean(), fc.constant(null), tie('array'), tie('object')),
      array: fc.array(tie('value'), { maxLength: 4 }),
      object: fc.dictionary(text, fc.oneof(tie('value'), fc.constant(undefined)), { maxKeys: 5 }),
    }));
    const event = fc.record({ t: fc.nat(), type: fc.constantFrom('append', 'rt', 'ledger', 'x'), a: value, b: value }, { requiredKeys: ['t', 'type'] });

    it('hashes random events exactly as their lines', () => {
      fc.assert(
        fc.property(fc.array(event, { maxLength: 30 }), (events) => {
          const lines = events.map((e) => canonicalJson(e) + '\n').join('');
          expect(recorded(events as TraceEvent[], { keep: false }).hash()).toBe(hashJSONL(lines));
        }),
        { seed: 12, numRuns: 400 },
      );
    });

    it('hashes a long run exactly as its lines, across many buffer refills', () => {
      const events: TraceEvent[] = Array.from({ length: 20_000 }, (_, i) => ({ t: i * 7, type: 'rt', k: 'fetch', f: i % 3, to: `b${i % 5}`, s: i - 1, u: [[`orders-${i % 6}`, i, i - 3]] }));
      expect(recorded(events, { keep: false }).hash()).toBe(recorded(events).hash());
    });

    it('leaves nothing of an event it refuses (NaN) in the hash', () => {
      const trace = recorded(events, { keep: false });
      expect(() => trace.record({ t: 9, type: 'bad', x: 'a long enough prefix', y: Number.NaN })).toThrow(/not valid JSON/);
      expect(trace.count).toBe(2);
      expect(trace.hash()).toBe(recorded(events).hash());
    });
  });
});
