// The ledger keeps its counts up to date as records live instead of recounting them on every
// summary(). Whenever it is asked — mid-run, under random faults, with real clients — the kept counts
// agree with the brokers' logs: lost is the number of lost records read from the leaders' logs,
// duplicates the extra copies in them, and every record produced is acked, failed, pending or in flight.
import { describe, it, expect } from 'vitest';
import { RandomStreams, SEC } from '../../sim/engine/index.ts';
import { assembleSimulation, type Simulation } from '../../sim/kafka/index.ts';
import { standardParts } from '../../src/scenario/standard-parts.ts';
import { LoadClient } from '../kafka/support/test-client.ts';
import { randomSpec } from './support/random-run.ts';
import { duplicatesInLeaderLogs, libraryScenario, unaccounted } from './support/library.ts';

/** What the kept counts say against what the logs say, or '' when they agree. */
function disagreement(sim: Simulation): string {
  const s = sim.ledgerSummary();
  const lost = sim.lostRecords().length;
  const duplicates = duplicatesInLeaderLogs(sim);
  const leaderless = sim.topics().flatMap((t) => t.partitions).filter((p) => p.leader === null);
  const unavailable = leaderless.reduce((n, p) => n + sim.ledgerSummary({ partition: p.name }).acked, 0);
  const wrong = [
    s.lost !== lost && `lost ${s.lost}, the logs say ${lost}`,
    s.duplicates !== duplicates && `duplicates ${s.duplicates}, the logs say ${duplicates}`,
    s.unavailable !== unavailable && `unavailable ${s.unavailable}, leaderless partitions hold ${unavailable} acked`,
    unaccounted(s) !== 0 && `${unaccounted(s)} records produced but not acked, failed, pending or in flight`,
  ].filter(Boolean);
  return wrong.length === 0 ? '' : `at ${sim.now / SEC}s: ${wrong.join('; ')}`;
}

function randomRun(seed: number): Simulation {
  const spec = randomSpec(seed);
  const sim = assembleSimulation(spec, standardParts(), { eventLimit: 3_000_000, trace: false });
  const partitions = spec.topics.flatMap((t) => Array.from({ length: t.partitions! }, (_, i) => `${t.name}-${i}`));
  const rng = new RandomStreams(seed).stream('load');
  new LoadClient(sim, partitions, rng.pick([50, 200]), { acks: rng.pick([0, 1, -1] as const), requestTimeoutMs: rng.pick([500, 2000]) });
  return sim;
}

describe('the summary is kept, not recounted', () => {
  it('under random faults, it agrees with the logs at every second of 60 runs', () => {
    const wrong: string[] = [];
    let lossy = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const sim = randomRun(seed);
      for (let t = 1; t <= 20; t++) {
        sim.runUntil(t * SEC);
        const d = disagreement(sim);
        if (d !== '') wrong.push(`seed ${seed} ${d}`);
      }
      if (sim.ledgerSummary().lost > 0) lossy++;
    }
    expect(wrong).toEqual([]);
    expect(lossy).toBeGreaterThan(3); // the comparison saw losses, not only quiet runs
  });

  it.each([
    'retry-duplicates-without-idempotence',
    'unclean-election-loses-acked-writes',
    'power-loss-all-replicas',
    'clean-election-waits-for-isr',
    'consumer-crash-rebalance-lag',
    'kip-101-high-watermark-divergence',
  ])('with real clients in %s, it agrees with the logs every second', (name) => {
    const { spec } = libraryScenario(name);
    const sim = assembleSimulation(spec, standardParts(), { trace: false });
    const wrong: string[] = [];
    for (let t = 1; t * SEC <= spec.durationUs; t++) {
      sim.runUntil(t * SEC);
      const d = disagreement(sim);
      if (d !== '') wrong.push(d);
    }
    expect(wrong).toEqual([]);
  });

  it('lost and duplicated records are really there to count', () => {
    const dup = assembleSimulation(libraryScenario('retry-duplicates-without-idempotence').spec, standardParts(), { trace: false });
    dup.run();
    expect(dup.ledgerSummary().duplicates).toBeGreaterThan(0);
    const lossy = assembleSimulation(libraryScenario('power-loss-all-replicas').spec, standardParts(), { trace: false });
    lossy.run();
    expect(lossy.ledgerSummary().lost).toBe(600);
  });
});
