// The scenario file as text (issue 10, points 4, 6 and 11): a size limit checked before the YAML
// parser runs (it costs about 90 MB of memory per MB of input), and bytes decoded as strict UTF-8
// with the first invalid byte located, instead of silently replaced by U+FFFD.

import { describe, expect, it } from 'vitest';
import { MAX_SCENARIO_BYTES, decodeScenarioBytes, parseScenario, type ScenarioError } from '../../src/scenario/index.ts';
import { firstInvalidUtf8, utf8LengthAbove } from '../../src/scenario/text.ts';

const HEAD = 'name: notes\nduration: 60s\ncluster: { brokers: 3 }\ntimeline:\n';
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

/** A timeline of `steps` notes of `noteLength` characters each. */
function notes(steps: number, noteLength: number): string {
  const step = `  - at: 1s\n    note: ${'n'.repeat(noteLength)}\n`;
  return HEAD + step.repeat(steps);
}

describe('the size limit', () => {
  it('is 4 MiB', () => {
    expect(MAX_SCENARIO_BYTES).toBe(4 * 1024 * 1024);
  });

  it('refuses 50 MB of timeline notes at once, before parsing, with one located message naming the limit', () => {
    // Parsed, this text took 53 s and 3.3 GB; refused unparsed, it takes as long as measuring it.
    const text = notes(50_000, 1000);
    expect(text.length).toBeGreaterThan(50_000_000);
    const result = parseScenario(text, 'huge.yaml');
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.errors).toEqual([{
      file: 'huge.yaml', line: 1, column: 1, path: '',
      message: expect.stringMatching(/^the file is too large \(at least \d+ bytes, 4[89]\.\d MiB\): a scenario file may be at most 4 MiB \(4194304 bytes\)$/),
    }]);
  });

  it('counts bytes, not characters: 4 MiB of text in a 3-byte script is over the limit at 1.4 M characters', () => {
    const text = `${HEAD}  - at: 1s\n    note: ${'가'.repeat(Math.ceil(MAX_SCENARIO_BYTES / 3))}\n`;
    expect(text.length).toBeLessThan(MAX_SCENARIO_BYTES);
    const result = parseScenario(text, 'korean.yaml');
    expect(result.ok ? [] : result.errors.map((e) => e.message)).toEqual([expect.stringContaining('at most 4 MiB')]);
    expect(utf8LengthAbove(text, MAX_SCENARIO_BYTES)).toBe(bytes(text).length);
  });

  it('is exact: a file of exactly 4 MiB is read, one byte more is refused', () => {
    const base = `${HEAD}  - at: 1s\n    note: `;
    const exact = `${base}${'n'.repeat(MAX_SCENARIO_BYTES - base.length - 1)}\n`;
    expect(bytes(exact).length).toBe(MAX_SCENARIO_BYTES);
    expect(parseScenario(exact, 'exact.yaml').ok).toBe(true);
    const over = `${exact} `;
    expect(parseScenario(over, 'over.yaml').ok).toBe(false);
    expect(utf8LengthAbove(over, MAX_SCENARIO_BYTES)).toBe(MAX_SCENARIO_BYTES + 1);
  });

  it('a large file of notes under the limit validates (well within the test timeout)', () => {
    const text = notes(3_800, 1000);
    expect(text.length).toBeGreaterThan(3_800_000);
    expect(text.length).toBeLessThan(MAX_SCENARIO_BYTES);
    const result = parseScenario(text, 'notes.yaml');
    expect(result.ok ? [] : result.errors.slice(0, 3)).toEqual([]);
    expect(result.ok && result.spec.timeline.length).toBe(3_800);
  });

  it('so does one of many short notes (60,000 steps)', () => {
    const text = notes(60_000, 30);
    expect(text.length).toBeLessThan(MAX_SCENARIO_BYTES);
    const result = parseScenario(text, 'notes.yaml');
    expect(result.ok ? [] : result.errors.slice(0, 3)).toEqual([]);
  });
});

describe('decodeScenarioBytes', () => {
  const errorOf = (input: Uint8Array | number[], file = 'bad.yaml'): ScenarioError | undefined => {
    const r = decodeScenarioBytes(input instanceof Uint8Array ? input : Uint8Array.from(input), file);
    return 'error' in r ? r.error : undefined;
  };

  it('decodes UTF-8, keeping a byte-order mark and a U+FFFD written in the file', () => {
    const text = '\uFEFFname: x\nnote: caf\u00e9 \uFFFD \u{1F600}\n';
    expect(decodeScenarioBytes(bytes(text), 'ok.yaml')).toEqual({ text });
  });

  it('locates the first invalid byte by line and column (in characters, as the other errors count them)', () => {
    const input = [...bytes('name: x\nnote: caf\u00e9 '), 0xe9, ...bytes(' au lait\n'), 0xff];
    expect(errorOf(input)).toEqual({
      file: 'bad.yaml', line: 2, column: 12, path: '',
      message: 'invalid UTF-8 (byte 0xE9 at byte offset 20): a scenario file must be UTF-8 text; was it saved as Latin-1 or Windows-1252?',
    });
  });

  it('the decoded text would have parsed: the error is what keeps the U+FFFD out', () => {
    const input = Uint8Array.from([...bytes('name: x\nduration: 1s\ncluster: { brokers: 1 }\ntitle: caf'), 0xe9, 0x0a]);
    expect(parseScenario(new TextDecoder().decode(input), 'latin1.yaml').ok).toBe(true);
    expect(errorOf(input, 'latin1.yaml')).toMatchObject({ line: 4, column: 11 });
  });

  it('does not count a byte-order mark as a column', () => {
    expect(errorOf([0xef, 0xbb, 0xbf, ...bytes('ab'), 0xc0, 0x80])).toMatchObject({ line: 1, column: 3 });
  });

  it('refuses truncated, overlong and surrogate sequences as the WHATWG decoder does', () => {
    for (const bad of [[0xc3], [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf8], [0x80]]) {
      const input = Uint8Array.from([0x61, ...bad, 0x62]);
      expect(() => new TextDecoder('utf-8', { fatal: true }).decode(input)).toThrow();
      expect(firstInvalidUtf8(input), bad.join(',')).toBe(1);
      expect(errorOf(input)).toMatchObject({ line: 1, column: 2 });
    }
    for (const good of ['\u00e9', '\u20ac', '\uFFFD', '\u{1F600}', '\u{10FFFF}', '\uD7FF', '\uE000']) expect(firstInvalidUtf8(bytes(`a${good}b`))).toBe(bytes(`a${good}b`).length);
  });

  it('names UTF-16 for a file that starts with its byte-order mark', () => {
    expect(errorOf([0xff, 0xfe, 0x6e, 0x00, 0x61, 0x00])?.message).toBe('the file is UTF-16 (it starts with a UTF-16 byte-order mark): save it as UTF-8');
  });

  it('refuses bytes over the size limit without decoding them', () => {
    const e = errorOf(new Uint8Array(MAX_SCENARIO_BYTES + 1), 'big.yaml');
    expect(e).toMatchObject({ file: 'big.yaml', line: 1, column: 1, path: '', message: expect.stringContaining('at most 4 MiB (4194304 bytes)') });
  });
});

describe('a byte-order mark', () => {
  it('is not a column: a host that strips it and one that keeps it read the same scenario', () => {
    const text = 'name: 7\nduration: 1s\ncluster: { brokers: 1 }\n';
    const without = parseScenario(text, 'a.yaml');
    const withBom = parseScenario(`\uFEFF${text}`, 'a.yaml');
    expect(withBom).toEqual(without);
    expect(without.ok ? [] : without.errors.map((e) => `${e.line}:${e.column}`)).toEqual(['1:7']);
  });
});
