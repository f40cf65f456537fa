// The page's what-if "the same run on Kafka 2.4": a version re-reads the scenario with that release's
// defaults where the file is silent, as the CLI's kafka.version does (issue 15).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/index.ts';
import { buildSpec, textWithVersion } from '../../viz/run/trace-run.ts';
import { writtenValue, WHAT_IF_KEYS, VERSION_KEY } from '../../viz/lib/what-if.ts';

const FILE = join(import.meta.dirname, '../../scenarios/library/kafka-2-4-leader-crash-loses-acks.yaml');
const text = readFileSync(FILE, 'utf8');

describe('what-if kafka.version', () => {
  it('is offered, and a scenario as written shows its own version', () => {
    expect(WHAT_IF_KEYS.map((k) => k.key)).toContain(VERSION_KEY);
    const parsed = parseScenario(text, 'x.yaml');
    if (!parsed.ok) throw new Error('invalid');
    expect(writtenValue(parsed.spec, VERSION_KEY)).toBe('2.4');
    const current = parseScenario(readFileSync(join(import.meta.dirname, '../../scenarios/library/leader-crash-kraft.yaml'), 'utf8'), 'y.yaml');
    if (!current.ok) throw new Error('invalid');
    expect(writtenValue(current.spec, VERSION_KEY)).toBe('4.0');
  });

  it('builds the same spec the file would give with that kafka.version written in it', () => {
    const b = buildSpec({ text, fileName: 'x.yaml', overrides: { [VERSION_KEY]: '4.0' } });
    expect(b.producers[0].config.acks).toBeUndefined(); // 4.0's default: nothing written, nothing injected
    expect(b.controller).toBe('kraft');
    const a = buildSpec({ text, fileName: 'x.yaml' });
    expect([a.producers[0].config.acks, a.controller]).toEqual(['1', 'zookeeper']);
    const written = parseScenario(textWithVersion(text, '3.0'), 'x.yaml');
    if (!written.ok) throw new Error('invalid');
    expect(buildSpec({ text, fileName: 'x.yaml', overrides: { [VERSION_KEY]: '3.0' } })).toEqual(written.spec);
  });
});
