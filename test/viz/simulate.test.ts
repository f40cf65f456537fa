// The page's view of a run agrees with the simulator's own queries: for each library scenario, the
// view state folded from the trace (and the model's observer hooks) at several moments shows the
// same leader, epoch, ISR, per-replica LEO and HW, and lost count as assembleSimulation + runUntil.
import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { simulate } from '../../viz/run/simulate.ts';
import { CheckpointedFold } from '../../viz/lib/checkpoints.ts';
import { viewFold } from '../../viz/lib/view-state.ts';
import { parseScenario } from '../../src/scenario/index.ts';
import { assembleSimulation } from '../../sim/kafka/index.ts';
import { standardParts } from '../../src/scenario/standard-parts.ts';

const repo = resolve(__dirname, '../..');

function scenarioFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? scenarioFiles(p) : /\.ya?ml$/.test(n) ? [p] : [];
  });
}

const files = scenarioFiles(join(repo, 'scenarios'))
  .map((f) => ({ f: relative(repo, f), text: readFileSync(f, 'utf8') }))
  .filter(({ f, text }) => {
    const r = parseScenario(text, f);
    return r.ok && r.spec.brokers.length <= 6 && r.spec.durationUs <= 120_000_000;
  });

describe('the page\'s view state equals the simulator\'s queries at the same moment', () => {
  it('has library scenarios to check', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  for (const { f, text } of files) {
    it(f, () => {
      const parsed = parseScenario(text, f);
      if (!parsed.ok) throw new Error('invalid');
      let data;
      try {
        data = simulate({ text, fileName: f });
      } catch (e) {
        // When the simulator itself fails on a scenario, the page must fail the same way the CLI does.
        let cli: unknown;
        try {
          assembleSimulation(parsed.spec, standardParts()).run();
        } catch (c) {
          cli = c;
        }
        expect(cli, 'the page failed where the CLI did not').toBeInstanceOf(Error);
        expect((e as Error).message).toBe((cli as Error).message);
        return;
      }
      const fold = new CheckpointedFold(data.events, (e) => e.tUs, viewFold(data.topology));
      const sim = assembleSimulation(parsed.spec, standardParts());
      const end = parsed.spec.durationUs;
      const times = [1, 0.1, 0.2, 0.3, 0.45, 0.6, 0.75, 0.9].map((x) => Math.round(end * x) - (x === 1 ? 0 : 1234));
      for (const t of [...times].sort((a, b) => a - b)) {
        sim.runUntil(t);
        const s = fold.stateAt(t);
        for (const topic of sim.topics()) {
          for (const p of topic.partitions) {
            const v = s.partitions[p.name];
            const want = { leader: p.leader, epoch: p.leaderEpoch, isr: [...p.isr].sort(), logs: p.brokers.map((b) => [b.broker, b.logEndOffset, b.highWatermark]) };
            const got = { leader: v.leader, epoch: v.leaderEpoch, isr: [...v.isr].sort(), logs: p.brokers.map((b) => [b.broker, v.logs[b.broker].leo, v.logs[b.broker].hw]) };
            expect(got, `${p.name} at ${t} µs`).toEqual(want);
          }
        }
        expect(s.counts.ledger?.lost, `lost at ${t} µs`).toBe(sim.ledgerSummary().lost);
        const q = sim.parts.groupQueries;
        for (const g of q.groups()) {
          for (const row of q.groupOffsets(g)) {
            const name = `${row.topic}-${row.partition}`;
            expect(s.groups[g]?.committed[name], `${g} committed ${name} at ${t} µs`).toBe(row.committed);
          }
        }
      }
      expect(data.traceHash).toBe(sim.trace.hash());
    });
  }
});
