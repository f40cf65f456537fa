import { describe, it, expect } from 'vitest';
import { assembleSimulation } from '../../sim/kafka/assemble-simulation.ts';
import { clusterParts } from './support/sim.ts';
import { SEC, MS } from '../../sim/engine/index.ts';
import { spec } from './support/cluster.ts';
import { TestClient } from './support/test-client.ts';

describe('smoke', () => {
  it('replicates a record and advances the HW on every replica', () => {
    const sim = assembleSimulation(spec(), clusterParts());
    const c = new TestClient(sim);
    sim.runUntil(1 * SEC);
    const h = c.produce(1, 'orders-0', { count: 3 });
    sim.runUntil(2 * SEC);
    expect(h.error).toBe('NONE');
    expect(h.baseOffset).toBe(0);
    const p = sim.partition('orders-0')!;
    expect(p.leader).toBe(1);
    expect(p.highWatermark).toBe(3);
    sim.runUntil(3 * SEC);
    expect(sim.partition('orders-0')!.brokers.map((b) => [b.logEndOffset, b.highWatermark])).toEqual([[3, 3], [3, 3], [3, 3]]);
    expect(h.doneAt! - h.sentAt).toBeLessThan(10 * MS);
    console.log(sim.eventCounts(), sim.scheduler.executed);
  });
});
