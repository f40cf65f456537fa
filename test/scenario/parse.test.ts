// parseScenario as its callers use it: every mistake of a file in one pass, in file order, formatted
// for a terminal; never an exception, whatever the input.

import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatError, parseScenario, type ScenarioError } from '../../src/scenario/index.ts';
import { ROOT } from './corpus.ts';

const BASE = 'name: x\nduration: 60s\ncluster:\n  brokers: 3\ntopics:\n  - name: orders\n    partitions: 3\n';

function errorsOf(text: string, file = 'test.yaml'): ScenarioError[] {
  const result = parseScenario(text, file);
  return result.ok ? [] : result.errors;
}

describe('formatError', () => {
  it('prints file:line:column, path and message two spaces apart', () => {
    const e = { file: 'bad.yaml', line: 14, column: 5, path: 'timeline[3].crash', message: 'broker 7 does not exist (brokers are 1, 2, 3)' };
    expect(formatError(e)).toBe('bad.yaml:14:5  timeline[3].crash  broker 7 does not exist (brokers are 1, 2, 3)');
  });

  it('leaves the path out for a problem of the whole file', () => {
    expect(formatError({ file: 'e.yaml', line: 1, column: 1, path: '', message: 'the file is empty' })).toBe('e.yaml:1:1  the file is empty');
  });
});

describe('parseScenario', () => {
  it('reports a file of zero bytes as empty, at 1:1', () => {
    expect(errorsOf('', 'zero.yaml')).toEqual([
      { file: 'zero.yaml', line: 1, column: 1, path: '', message: 'the file is empty: a scenario needs at least name, duration and cluster' },
    ]);
  });

  it('reports every mistake of a file, in file order', () => {
    const text = `${BASE}timeline:\n  - at: 10s\n    crash: 7\n  - at: 20s\n    restart: 8\n  - at: 5s\n    isolate: nobody\nexpect:\n  - lost: -1\n  - lsot: 0\n`;
    expect(errorsOf(text).map((e) => `${e.line}:${e.column} ${e.path}`)).toEqual([
      '10:12 timeline[0].crash', '12:14 timeline[1].restart', '14:14 timeline[2].isolate', '16:11 expect[0].lost', '17:5 expect[1].lsot',
    ]);
  });

  it('checks the whole file even when a section is broken', () => {
    const text = 'name: x\nduration: 60s\ncluster:\n  brokers: three\ntopics:\n  - name: a b\nexpect:\n  - lost: x\n';
    expect(errorsOf(text).map((e) => e.path)).toEqual(['cluster.brokers', 'topics[0].name', 'expect[0].lost']);
  });

  it('does not mistake names of Object.prototype for known names', () => {
    const text = `${BASE}  - name: t2\n    config: { constructor: 1 }\ntimeline:\n  - at: 1s\n    toString: 1\n  - at: 2 constructor\n    note: x\n`;
    expect(errorsOf(text).map((e) => e.path)).toEqual(['topics[1].config.constructor', 'timeline[0].toString', 'timeline[1].at']);
  });

  it('says where a misplaced Kafka config belongs', () => {
    const text = `${BASE}    config: { log.flush.interval.messages: 1 }\nproducers:\n  - { id: p, topic: orders, rate: 1/s, config: { auto.offset.reset: earliest } }\n`;
    expect(errorsOf(text).map((e) => e.message)).toEqual([
      '"log.flush.interval.messages" is a broker config; its topic-level override is "flush.messages"',
      '"auto.offset.reset" is a consumer config, not a producer config (set it in consumers[].config)',
    ]);
  });

  it('places errors the same with Windows line ends and a byte-order mark', () => {
    const text = 'name: x\r\nduration: 60s\r\ncluster:\r\n  brokers: 3\r\ntimeline:\r\n  - at: 5s\r\n    crash: 7\r\n';
    for (const variant of [text, `\uFEFF${text}`]) {
      expect(errorsOf(variant).map((e) => `${e.line}:${e.column} ${e.path}`)).toEqual(['7:12 timeline[0].crash']);
    }
    expect(parseScenario('\uFEFF{"name": "x", "duration": "1s", "cluster": {"brokers": 1}}', 'bom.json').ok).toBe(true);
  });

  it('survives aliases that would expand a small file enormously', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++) lines.push(`a${i}: &a${i} [*a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}]`);
    const errors = errorsOf(lines.join('\n'));
    expect(errors.some((e) => e.message.includes('expands to more than'))).toBe(true);
  });

  it('never throws, and locates every error inside the file, whatever the text', () => {
    const sample = readFileSync(join(ROOT, 'test/fixtures/scenarios/valid/full.yaml'), 'utf8');
    const mutated = fc.tuple(fc.nat(sample.length), fc.nat(40), fc.string({ maxLength: 12 })).map(([at, cut, insert]) => sample.slice(0, at) + insert + sample.slice(at + cut));
    fc.assert(fc.property(fc.oneof(fc.string(), mutated), (text) => {
      const result = parseScenario(text, 'fuzz.yaml');
      const lines = text.split(/\r\n|\r|\n/).length + 1;
      for (const e of result.ok ? [] : result.errors) {
        expect(e.message).not.toContain('internal error');
        expect(e.line).toBeGreaterThanOrEqual(1);
        expect(e.line).toBeLessThanOrEqual(lines);
        expect(e.column).toBeGreaterThanOrEqual(1);
      }
    }), { numRuns: 400 });
  });
});
