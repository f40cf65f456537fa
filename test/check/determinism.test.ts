// One seed reproduces a run exactly: the same spec and seed give the same trace hash, another seed
// another hash; a new client node does not change the brokers' network draws (per-link streams).
import { describe, it, expect } from 'vitest';
import { SEC, MS } from '../../sim/engine/index.ts';
import { assembleSimulation, type Simulation } from '../../sim/kafka/index.ts';
import { spec } from '../kafka/support/cluster.ts';
import { clusterParts } from '../kafka/support/sim.ts';
import { LoadClient, TestClient } from '../kafka/support/test-client.ts';

function run(seed: number, extraClient = false): { hash: string; sim: Simulation } {
  const s = spec({
    seed,
    latencyUs: { minUs: 500, maxUs: 3 * MS },
    topics: [{ name: 'orders', partitions: 3, replicationFactor: 3, config: {} }],
    timeline: [
      { atUs: 3 * SEC, action: { type: 'crash', nodes: [1] } },
      { atUs: 15 * SEC, action: { type: 'restart', nodes: [1] } },
    ],
    durationUs: 30 * SEC,
  });
  const sim = assembleSimulation(s, clusterParts());
  new LoadClient(sim, ['orders-0', 'orders-1', 'orders-2'], 100);
  if (extraClient) new TestClient(sim, 'bystander');
  sim.run();
  return { hash: sim.trace.hash(), sim };
}

describe('determinism', () => {
  it('the same spec and seed give the same trace, byte for byte', () => {
    const a = run(7);
    const b = run(7);
    expect(a.hash).toBe(b.hash);
    expect(a.sim.trace.toJSONL()).toBe(b.sim.trace.toJSONL());
    expect(a.sim.trace.count).toBeGreaterThan(1000);
  });

  it('another seed gives another trace', () => {
    expect(run(7).hash).not.toBe(run(8).hash);
  });

  it('a client that only attaches changes nothing', () => {
    expect(run(7, true).hash).toBe(run(7).hash);
  });
});
