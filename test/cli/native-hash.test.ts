// The command hashes the trace with node:crypto, the page with @noble/hashes: the two must agree on
// every input, or a CLI run and the same run in the page would report different hashes.
import { describe, expect, it } from 'vitest';
import { nobleSha256, TraceRecorder } from '../../sim/engine/index.ts';
import { nodeSha256 } from '../../src/cli/native-hash.ts';
import { RandomStreams } from '../../sim/engine/index.ts';

describe('node:crypto and @noble/hashes give the trace the same hash', () => {
  it('on lines of every length around the recorder batch (64 KiB), non-ASCII text, and repeated digests', () => {
    const rng = new RandomStreams(7).stream('hash-test');
    const node = new TraceRecorder({ keep: false, hash: nodeSha256 });
    const noble = new TraceRecorder({ keep: false, hash: nobleSha256 });
    expect(node.hash()).toBe(noble.hash()); // nothing yet
    for (let i = 0; i < 400; i++) {
      const len = i % 50 === 0 ? 70_000 + rng.int(1000) : rng.int(300);
      const e = { t: i, type: 'x', s: 'é✓𝄞'.repeat(i % 3) + 'a'.repeat(len) };
      node.record(e);
      noble.record(e);
      if (i % 37 === 0) expect(node.hash()).toBe(noble.hash());
    }
    expect(node.hash()).toBe(noble.hash());
    expect(node.hash()).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a run the command advances (runInSlices, node:crypto) has the hash runScenario gives it (@noble/hashes, as the page)', async () => {
    const { runScenario } = await import('../../src/scenario/run.ts');
    const { runInSlices } = await import('../../src/cli/drive.ts');
    const { parseScenario } = await import('../../src/scenario/index.ts');
    const text = 'name: h\nduration: 3s\ncluster: { brokers: 3 }\ntopics:\n  - { name: t, partitions: 2, replication.factor: 3 }\nproducers:\n  - { id: p, topic: t, rate: 200/s }\n';
    const parsed = parseScenario(text, 'h.yaml');
    if (!parsed.ok) throw new Error('bad');
    const cli = await runInSlices(parsed.scenario, parsed.spec, { keepTrace: false });
    const page = runScenario(parsed.scenario, parsed.spec, { keepTrace: false });
    expect(cli.sim.trace.count).toBeGreaterThan(1000);
    expect(cli.sim.trace.hash()).toBe(page.sim.trace.hash());
  });
});
