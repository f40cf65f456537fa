// The page's view of a controller quorum and of a reassignment, folded from the trace alone, agrees
// with the simulator's queries at the same moments: the active controller (or none) and its epoch,
// each partition's replicas with the ones being added and removed; and the timeline's strips mark the
// gap without an active controller and the reassignment's window where the trace puts them.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { simulate } from '../../viz/run/simulate.ts';
import { CheckpointedFold } from '../../viz/lib/checkpoints.ts';
import { viewFold } from '../../viz/lib/view-state.ts';
import { faultIntervals } from '../../viz/lib/series.ts';
import { parseScenario } from '../../src/scenario/index.ts';
import { assembleSimulation } from '../../sim/kafka/index.ts';
import { standardParts } from '../../src/scenario/standard-parts.ts';

const repo = resolve(__dirname, '../..');

async function compare(name: string, moments: number[]) {
  const f = `scenarios/library/${name}.yaml`;
  const text = readFileSync(join(repo, f), 'utf8');
  const parsed = parseScenario(text, f);
  if (!parsed.ok) throw new Error('invalid');
  const data = await simulate({ text, fileName: f });
  const fold = new CheckpointedFold(data.events, (e) => e.tUs, viewFold(data.topology));
  const sim = assembleSimulation(parsed.spec, standardParts());
  for (const t of moments) {
    sim.runUntil(t);
    const s = fold.stateAt(t);
    const q = sim.quorumView();
    if (q) {
      const active = q.voters.find((v) => v.active);
      expect(s.quorum?.active ?? null, `active controller at ${t}`).toBe(active?.node ?? null);
      if (active) expect(s.quorum?.epoch, `quorum epoch at ${t}`).toBe(active.epoch);
      for (const v of q.voters) expect(s.quorum?.nodes[v.node].status === 'crashed', `${v.node} down at ${t}`).toBe(v.state === 'down');
    }
    for (const p of sim.topics().flatMap((x) => x.partitions)) {
      const v = s.partitions[p.name];
      expect({ replicas: v.replicas, adding: v.adding, removing: v.removing, isr: [...v.isr].sort() }, `${p.name} at ${t}`)
        .toEqual({ replicas: p.replicas, adding: p.adding ?? [], removing: p.removing ?? [], isr: [...p.isr].sort() });
    }
  }
  return data;
}

describe('the page\'s view of a controller quorum and of a reassignment', () => {
  it('controller-failover-delays-election: the active controller, the gap without one', async () => {
    const data = await compare('controller-failover-delays-election', [5e6, 10.2e6, 11e6, 12.5e6, 21e6, 39e6]);
    const gap = faultIntervals(data.events, data.topology).filter((f) => f.kind === 'no-controller');
    const activated = data.events.find((e) => e.type === 'quorum' && e.change === 'active' && e.tUs > 0)!;
    // one gap, from the crash of the active controller at 10 s to the next activation
    expect(gap).toHaveLength(1);
    expect(gap[0]).toMatchObject({ fromUs: 10e6, toUs: activated.tUs });
  });

  it('reassignment-under-replication-window: replicas, adding and removing as kafka-topics has them', async () => {
    const data = await compare('reassignment-under-replication-window', [35e6, 40.5e6, 55e6, 70e6, 81e6, 83e6, 99e6]);
    const strip = faultIntervals(data.events, data.topology).filter((f) => f.kind === 'reassigning');
    expect(strip).toHaveLength(1);
    expect(strip[0].fromUs).toBe(40e6);
    const done = data.events.find((e) => e.type === 'reassign' && e.phase === 'completed')!;
    expect(strip[0].toUs).toBe(done.tUs);
    // broker 4, added by the reassignment, has a row in the partition's card from the start
    expect(data.topology.partitions.find((p) => p.name === 'orders-0')!.replicas).toEqual([1, 2, 3, 4]);
  });
});
