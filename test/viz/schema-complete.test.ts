// The editor's completion from scenarios/scenario.schema.json: the YAML path at the cursor (block
// keys, "- " items, flow maps on the line) and what the schema offers there.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { completeAt, type JsonSchema } from '../../viz/app/schema-complete.ts';

const schema = JSON.parse(readFileSync(join(import.meta.dirname, '../../scenarios/scenario.schema.json'), 'utf8')) as JsonSchema;

/** Complete where the `|` is. */
function at(textWithBar: string) {
  const pos = textWithBar.indexOf('|');
  const r = completeAt(textWithBar.replace('|', ''), pos, schema);
  return { ...r, labels: r?.options.map((o) => o.label) ?? [] };
}

describe('schema completion in the scenario editor', () => {
  it('offers the top-level keys, not those already written, with their descriptions', () => {
    const r = at('name: x\ndur|\ncluster: { brokers: 3 }\n');
    expect(r.kind).toBe('key');
    expect(r.path).toEqual([]);
    expect(r.labels).toContain('duration');
    expect(r.labels).toContain('timeline');
    expect(r.labels).not.toContain('name');
    expect(r.labels).not.toContain('cluster');
    expect(r.options!.find((o) => o.label === 'timeline')!.info).toMatch(/Faults and operations/);
    expect(r.from).toBe('name: x\n'.length);
  });

  it('follows "- " items: the keys of a timeline step, the actions among them', () => {
    const r = at('timeline:\n  - at: 10s\n    cr|\n');
    expect(r.path).toEqual(['timeline', '[]']);
    expect(r.labels).toEqual(expect.arrayContaining(['crash', 'restart', 'note', 'power-loss']));
    expect(r.labels).not.toContain('at');
    const first = at('timeline:\n  - at: 10s\n    crash: 1\n  - |\n');
    expect(first.path).toEqual(['timeline', '[]']);
    expect(first.labels).toContain('at');
  });

  it('completes keys inside a flow map on the line: a topic, and a producer config', () => {
    const topic = at('topics:\n  - { name: orders, partitions: 1, rep| }\n');
    expect(topic.path).toEqual(['topics', '[]']);
    expect(topic.labels).toEqual(expect.arrayContaining(['replication.factor', 'replicas', 'config']));
    expect(topic.labels).not.toContain('name');
    const cfg = at('producers:\n  - { id: p, topic: orders, config: { ac| } }\n');
    expect(cfg.path).toEqual(['producers', '[]', 'config']);
    expect(cfg.labels).toContain('acks');
    expect(cfg.labels).toContain('enable.idempotence');
  });

  it('offers enum and boolean values', () => {
    const acks = at('producers:\n  - id: p\n    config:\n      acks: |\n');
    expect(acks.kind).toBe('value');
    expect(acks.path).toEqual(['producers', '[]', 'config', 'acks']);
    expect(acks.labels).toEqual(expect.arrayContaining(['all', '0', '1']));
    const flow = at('producers:\n  - { id: p, config: { enable.idempotence: | } }\n');
    expect(flow.labels).toEqual(expect.arrayContaining(['true', 'false']));
    const ctl = at('cluster:\n  controller: |\n');
    expect(ctl.labels).toEqual(expect.arrayContaining(['kraft', 'zookeeper']));
  });

  it('nested block mappings: cluster keys and topic config keys', () => {
    expect(at('cluster:\n  bro|\n').labels).toContain('brokers');
    const r = at('topics:\n  - name: orders\n    config:\n      min|\n');
    expect(r.path).toEqual(['topics', '[]', 'config']);
    expect(r.labels).toContain('min.insync.replicas');
  });
});
