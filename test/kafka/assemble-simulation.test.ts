// A simulation is what it is assembled from: the parts handed to assembleSimulation, installed in a
// fixed order (faults, checks, clients, then extra observers), and nothing else. A part left out is
// not there, and what a part adds can be read off sim.parts.
import { describe, it, expect } from 'vitest';
import { SEC } from '../../sim/engine/index.ts';
import { checks } from '../../sim/check/index.ts';
import { faults } from '../../sim/faults/index.ts';
import { assembleSimulation, type ModelObserver } from '../../sim/kafka/index.ts';
import { clients } from '../../sim/kafka/clients/index.ts';
import { standardParts } from '../../src/scenario/standard-parts.ts';
import { spec } from './support/cluster.ts';
import { clusterParts } from './support/sim.ts';

/** A cluster with a producer and a consumer group, and a step that resets the group's offsets. */
function withClients() {
  const s = spec({ timeline: [{ atUs: 30 * SEC, action: { type: 'reset-offsets', group: 'billing', topic: 'orders', to: 'earliest' } }] });
  s.producers = [{ id: 'checkout', topic: 'orders', ratePerSec: 10, keys: { kind: 'none' }, startUs: 0, partitioner: 'uniform-sticky', recordSizeBytes: 100, config: {} }];
  s.consumers = [{ id: 'billing-1', group: 'billing', topics: ['orders'], startUs: 0, config: {} }];
  return s;
}

describe('assembling a simulation from its parts', () => {
  it('the full simulator: the faults, the checks, the clients and the journal, each adding what it runs', () => {
    const sim = assembleSimulation(withClients(), standardParts());
    expect(Object.keys(sim.parts.actions)).toEqual(expect.arrayContaining(['crash', 'partition', 'reset-offsets', 'stop-producer']));
    expect([...sim.parts.nodeFaults.keys()]).toEqual(['checkout', 'billing-1']);
    expect(sim.parts.brokerExtensions.flatMap((e) => e.kinds)).toContain('init-producer-id');
    // the invariants' full pass; then, once, the journal's final counts and lost records
    expect(sim.parts.endOfRunChecks).toHaveLength(1);
    expect(sim.parts.atEnd).toHaveLength(1);
    sim.run();
    expect(sim.ledgerSummary().acked).toBeGreaterThan(500);
    expect(sim.parts.groupQueries.groups()).toEqual(['billing']);
    const last = sim.trace.events.at(-1)!;
    expect(last).toMatchObject({ type: 'ledger', t: sim.spec.durationUs, acked: sim.ledgerSummary().acked });
  });

  it('a cluster without clients has no client nodes and no groups, and the brokers serve only Kafka\'s own requests', () => {
    const sim = assembleSimulation(spec(), clusterParts());
    expect(sim.parts.nodeFaults.size).toBe(0);
    expect(sim.parts.brokerExtensions).toEqual([]);
    sim.run();
    expect(sim.parts.groupQueries.groups()).toEqual([]);
  });

  it('a sweep\'s checks keep the ledger and leave the invariants out; without a trace the journal writes nothing', () => {
    const sim = assembleSimulation(withClients(), { ...standardParts(), checks: checks({ invariants: false }) }, { trace: false });
    expect(sim.parts.afterEachEvent).toEqual([]);
    expect(sim.parts.endOfRunChecks).toEqual([]);
    expect(sim.parts.atEnd).toEqual([]);
    sim.run();
    expect(sim.ledgerSummary().acked).toBeGreaterThan(500);
    expect(sim.eventCount('ledger')).toBe(0);
  });

  it('without the checks part there is no ledger, and asking for one says which part is missing', () => {
    const sim = assembleSimulation(spec(), { faults });
    sim.run();
    expect(() => sim.ledgerSummary()).toThrow(/checks part/);
  });

  it('a timeline action no part handles is refused when the simulation is assembled, naming the parts', () => {
    expect(() => assembleSimulation(withClients(), clusterParts())).toThrow(/reset-offsets.*clients part/);
  });

  it('two parts may not handle the same action', () => {
    expect(() => assembleSimulation(spec(), { faults, clients: faults })).toThrow(/two parts handle the timeline action crash/);
  });

  it('extra observers watch the model after the parts\' own, in the order given, and the same run results', () => {
    const heard: string[] = [];
    const made: ModelObserver[] = [];
    const tag = (name: string) => (): ModelObserver => {
      const o: ModelObserver = { event: (e) => void (e.type === 'cluster-started' && heard.push(name)) };
      made.push(o);
      return o;
    };
    const plain = assembleSimulation(withClients(), standardParts());
    const watched = assembleSimulation(withClients(), { ...standardParts(), observers: [tag('first'), tag('second')] });
    expect(heard).toEqual(['first', 'second']);
    expect(watched.parts.observers).toEqual([...plain.parts.observers.map(() => expect.anything()), ...made]);
    expect(watched.parts.observers.slice(-2)).toEqual(made);
    plain.run();
    watched.run();
    expect(watched.trace.hash()).toBe(plain.trace.hash());
  });

  it('parts are installed before the run starts, not after', () => {
    const sim = assembleSimulation(spec(), { faults, checks: checks(), clients });
    expect(() => sim.install({ observers: [{}] })).toThrow(/before the simulation starts/);
  });
});
