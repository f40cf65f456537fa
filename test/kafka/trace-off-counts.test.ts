// A run without a trace (sweeps, explore) skips building the busy events nobody reads (appends, HW
// moves, acks, round trips) and only counts them, unless a watch asked for their type before the run.
// Counts and watches must be those of the same run with a trace, event for event.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/index.ts';
import { startScenario } from '../../src/scenario/run.ts';

const FILE = join(import.meta.dirname, '../../scenarios/library/consumer-crash-rebalance-lag.yaml');

function run(trace: boolean) {
  const parsed = parseScenario(readFileSync(FILE, 'utf8'), FILE);
  if (!parsed.ok) throw new Error('invalid library scenario');
  const r = startScenario(parsed.scenario, parsed.spec, { trace });
  // a watch with a filter on a busy type, and one on a type no watch covers otherwise
  const appends = r.sim.watchEvents('append', { partition: 'orders-0' });
  const acks = r.sim.watchEvents('produce-acked', { client: 'checkout' });
  r.sim.run();
  return { counts: r.sim.eventCounts(), appends: { ...appends }, acks: { ...acks }, ledger: r.sim.ledgerSummary() };
}

describe('a run without a trace', () => {
  it('counts every busy event it does not build, and feeds watches as a traced run does', () => {
    const traced = run(true);
    const untraced = run(false);
    for (const type of ['append', 'hw-advanced', 'produce-acked', 'rt', 'consumed']) expect(traced.counts[type], type).toBeGreaterThan(0);
    // the journal's per-second `ledger` lines are written only into a trace (assemble-simulation.test.ts)
    const { ledger, ...tracedCounts } = traced.counts;
    expect(ledger).toBeGreaterThan(0);
    expect(untraced.counts).toEqual(tracedCounts);
    expect(untraced.appends).toEqual(traced.appends);
    expect(untraced.appends.count).toBeGreaterThan(0);
    expect(untraced.acks).toEqual(traced.acks);
    expect(untraced.acks.count).toBeGreaterThan(0);
    expect(untraced.ledger).toEqual(traced.ledger);
  });
});
