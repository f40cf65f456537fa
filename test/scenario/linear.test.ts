// Validation is linear in the size of the file (issue 10, point 5): 17,000 topics took 13 s because
// each name was compared with every earlier one. Each case below is large enough that a quadratic
// loop over topics, clients, groups, timeline steps or expectations would blow the test timeout
// (minutes instead of about a second), and is generated here rather than committed.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseScenario, type ParseResult } from '../../src/scenario/index.ts';
import { Context } from '../../src/scenario/context.ts';
import { Problems } from '../../src/scenario/errors.ts';
import { closest, didYouMean, editDistance } from '../../src/scenario/suggest.ts';

const HEAD = 'name: big\nduration: 600s\ncluster: { brokers: 3 }\n';
const lines = (n: number, line: (i: number) => string): string => Array.from({ length: n }, (_, i) => line(i)).join('');
const messages = (r: ParseResult): string[] => (r.ok ? [] : r.errors.map((e) => e.message));

describe('validation is linear', () => {
  it('40,000 topics, with "." and "_" in their names, validate (the collision check was quadratic)', () => {
    const text = `${HEAD}topics:\n${lines(40_000, (i) => `  - { name: ${i % 2 ? 'a.' : 'b_'}${i}, partitions: 1 }\n`)}`;
    const result = parseScenario(text, 'topics.yaml');
    expect(messages(result)).toEqual([]);
    expect(result.ok && result.spec.topics.length).toBe(40_000);
  });

  it('and the collisions among them are each found, against the first name of the pair', () => {
    const text = `${HEAD}topics:\n${lines(20_000, (i) => `  - { name: t.${i} }\n  - { name: t_${i} }\n`)}`;
    const errors = messages(parseScenario(text, 'collide.yaml'));
    expect(errors).toHaveLength(20_000);
    expect(errors[19_999]).toBe('topic "t_19999" collides with topic "t.19999" ("." and "_" are the same in metric names)');
  });

  it('20,000 misspelt topics among 20,000: each error is found, guesses stop at a budget, the list is cut short', () => {
    const text = `${HEAD}topics:\n${lines(20_000, (i) => `  - { name: topic-${i} }\n`)}producers:\n${lines(20_000, (i) => `  - { id: p${i}, topic: topik-${i}, rate: 1/s }\n`)}`;
    const errors = messages(parseScenario(text, 'refs.yaml'));
    expect(errors).toHaveLength(20_000);
    expect(errors[0]).toBe('topic "topik-0" does not exist (did you mean "topic-0"?)');
    expect(errors[19_999]).toBe('topic "topik-19999" does not exist (20000 topics are defined: topic-0, topic-1, topic-2, topic-3, topic-4, topic-5, topic-6, topic-7, topic-8, topic-9, topic-10, topic-11, topic-12, topic-13, topic-14, topic-15, topic-16, topic-17, topic-18, topic-19, …)');
  });

  it('20,000 steps naming unknown producers, groups and nodes among 20,000 clients', () => {
    const clients = `${lines(10_000, (i) => `  - { id: p${i}, topic: o, rate: 1/s }\n`)}consumers:\n${lines(10_000, (i) => `  - { id: c${i}, group: g${i}, topics: [o] }\n`)}`;
    const steps = lines(7_000, (i) => `  - { at: 1s, stop-producer: q${i} }\n  - { at: 1s, isolate: q${i} }\n  - { at: 1s, reset-offsets: { group: h${i}, topic: o, to: earliest } }\n`);
    const errors = messages(parseScenario(`${HEAD}topics: [{ name: o }]\nproducers:\n${clients}timeline:\n${steps}`, 'clients.yaml'));
    expect(errors).toHaveLength(21_000);
    expect(errors[0]).toMatch(/^producer "q0" does not exist \(10000 producers are defined: p0, p1, .*, p19, …\)$/);
    expect(errors[2]).toMatch(/^group "h0" does not exist \(10000 groups \(of the consumers\) are defined: g0, .*, …\)$/);
  });

  it('a crash of 20,000 clients at once, and 1,000 brokers named in one list', () => {
    const text = `${HEAD.replace('{ brokers: 3 }', `{ brokers: [${lines(1000, (i) => `${i}, `)}] }`)}topics: [{ name: o }]\nproducers:\n${lines(20_000, (i) => `  - { id: p${i}, topic: o, rate: 1/s }\n`)}timeline:\n  - at: 1s\n    crash: [${lines(20_000, (i) => `p${i}, `)}]\n`;
    expect(messages(parseScenario(text, 'crash.yaml'))).toEqual([]);
  });

  it('a list of 100,000 broker ids is refused at once (at most 1,000 brokers, as the count form)', () => {
    const text = `name: x\nduration: 60s\ncluster: { brokers: [${lines(100_000, (i) => `${i}, `)}] }\n`;
    expect(messages(parseScenario(text, 'brokers.yaml'))).toEqual(['at most 1000 brokers, got 100000']);
  });

  it('20,000 unknown broker configs, each compared with the config catalog', () => {
    const text = HEAD.replace('{ brokers: 3 }', `{ brokers: 3, config: {${lines(20_000, (i) => ` log.retention.hourz.${i}: 1,`)} } }`);
    const errors = messages(parseScenario(text, 'configs.yaml'));
    expect(errors).toHaveLength(20_000);
    // log.retention.hours is a real config since retention is modelled: the near-miss gets its suggestion
    expect(errors[0]).toBe('unknown broker config "log.retention.hourz.0" (did you mean "log.retention.hours"?)');
  });

  it('a 3 MB unknown key and a 3 MB topic name are refused without comparing them letter by letter', () => {
    const text = `${HEAD}? ${'k'.repeat(1_500_000)}\n: 1\ntopics: [{ name: o }]\nproducers:\n  - { id: p, topic: ${'o'.repeat(1_500_000)}, rate: 1/s }\n`;
    const errors = messages(parseScenario(text, 'long.yaml'));
    expect(errors.map((e) => e.slice(0, 16))).toEqual(['unknown key "kkk', 'topic "ooooooooo']);
  });

  it('10,000 add-partitions steps and as many expectations back in time', () => {
    const steps = lines(5_000, (i) => `  - { at: { between: [${i}ms, 500s] }, add-partitions: { topic: o, count: 2 } }\n  - { at: ${i}ms, add-partitions: { topic: p, count: ${i + 2} } }\n`);
    const expects = lines(5_000, (i) => `  - { at: ${5_000 - i}ms, hw: { partition: p-${5_000 - i}, min: 0 } }\n  - { at: 500s, hw: { partition: o-1, min: 0 } }\n`);
    const text = `${HEAD}topics: [{ name: o }, { name: p }]\ntimeline:\n${steps}expect:\n${expects}`;
    expect(messages(parseScenario(text, 'grow.yaml'))).toEqual([]);
  });
});

describe('partition counts over time (add-partitions)', () => {
  /** The definition: the largest count added at or before the moment, or the topic's own. */
  function naive(initial: number, steps: { atUs: number; count: number }[], atUs: number | undefined): number {
    return steps.reduce((n, s) => (atUs === undefined || s.atUs <= atUs ? Math.max(n, s.count) : n), initial);
  }

  it('answers as the definition does, for questions in time order and back in time', () => {
    const op = fc.oneof(
      fc.record({ add: fc.constant(true), atUs: fc.nat(50), count: fc.nat(20) }),
      fc.record({ add: fc.constant(false), atUs: fc.option(fc.nat(60), { nil: undefined }) }),
    );
    fc.assert(fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
      const ctx = new Context(new Problems('x.yaml'));
      ctx.topics.set('o', 1);
      const steps: { atUs: number; count: number }[] = [];
      for (const o of ops) {
        if (o.add) {
          ctx.addPartitions('o', o.atUs as number, o.count as number);
          steps.push({ atUs: o.atUs as number, count: o.count as number });
        } else expect(ctx.partitionCount('o', o.atUs)).toBe(naive(1, steps, o.atUs));
      }
    }), { numRuns: 500 });
  });

  it('200,000 steps and questions as the timeline asks them, then 200,000 back in time', () => {
    const ctx = new Context(new Problems('x.yaml'));
    ctx.topics.set('o', 1);
    let wrong = 0;
    for (let i = 0; i < 200_000; i++) {
      if (ctx.partitionCount('o', i) !== i + 1) wrong++;
      ctx.addPartitions('o', i + 1, i + 2);
    }
    for (let i = 200_000; i > 0; i--) if (ctx.partitionCount('o', i) !== i + 1) wrong++;
    expect(wrong).toBe(0);
  });
});

describe('did you mean, bounded', () => {
  /** The textbook optimal-string-alignment distance, for comparison. */
  function reference(a: string, b: string): number {
    const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    for (let i = 1; i <= a.length; i++) {
      for (let j = 1; j <= b.length; j++) {
        d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
    return d[a.length][b.length];
  }

  it('computes the same distances and guesses as the unbounded definition', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '.', 'A'), maxLength: 9 });
    fc.assert(fc.property(word, word, (a, b) => {
      expect(editDistance(a, b)).toBe(reference(a, b));
    }), { numRuns: 2000 });
    fc.assert(fc.property(word, fc.array(word, { maxLength: 8 }), (name, known) => {
      const tolerance = name.length <= 2 ? 0 : name.length <= 3 ? 1 : name.length <= 6 ? 2 : 3;
      let best: string | undefined;
      let bestDistance = Infinity;
      for (const k of known) {
        const d = reference(name.toLowerCase(), k.toLowerCase());
        if (d < bestDistance) [best, bestDistance] = [k, d];
      }
      expect(closest(name, known)).toBe(bestDistance <= tolerance ? best : undefined);
    }), { numRuns: 2000 });
  });

  it('makes no guess for a name over 100 characters', () => {
    const long = 'x'.repeat(101);
    expect(didYouMean(long, [`${long}y`])).toBe('');
  });
});
