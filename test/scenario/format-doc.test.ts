// docs/scenario-format.md is the users' reference of the format, so its examples must be what the
// validator accepts: every YAML block is validated, a fragment (a `timeline:` or an `expect:` alone)
// inside a small scenario that declares what the examples refer to.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { formatError, parseScenario } from '../../src/scenario/index.ts';
import { ROOT } from './corpus.ts';

const DOC = readFileSync(join(ROOT, 'docs', 'scenario-format.md'), 'utf8');

/** What the fragments refer to: brokers 1–3, topic orders, producer checkout, group billing. */
const BASE = {
  name: 'doc-example',
  duration: '2m',
  cluster: { brokers: 3 },
  topics: [{ name: 'orders', partitions: 3, 'replication.factor': 3 }],
  producers: [{ id: 'checkout', topic: 'orders', rate: '100/s' }],
  consumers: [{ id: 'billing-1', group: 'billing', topics: ['orders'] }],
};

const blocks = [...DOC.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m, i) => [`block ${i + 1}: ${m[1].split('\n')[0]}`, m[1]] as const);

describe('docs/scenario-format.md', () => {
  it('has YAML examples', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(10);
  });

  it.each(blocks)('%s is valid', (_, text) => {
    const fragment = (parse(text) ?? {}) as Record<string, unknown>;
    const full = 'name' in fragment ? text : stringify({ ...BASE, ...fragment });
    const result = parseScenario(full, 'example.yaml');
    expect(result.ok ? [] : result.errors.map(formatError)).toEqual([]);
  });
});
