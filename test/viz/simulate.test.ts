// The page's view of a run agrees with the simulator's own queries: for each library scenario, the
// view state folded from the trace alone at several moments shows the same leader, epoch, ISR,
// per-replica LEO and HW, lost count and committed offsets as assembleSimulation + runUntil. And a
// trace file as `kafkasim run --trace` writes it (plain or gzipped) gives the page the same run.
import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { openTrace, simulate } from '../../viz/run/simulate.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { cli } from '../cli/support.ts';
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
    it(f, async () => {
      const parsed = parseScenario(text, f);
      if (!parsed.ok) throw new Error('invalid');
      let data;
      try {
        data = await simulate({ text, fileName: f });
      } catch (e) {
        // When the simulator itself fails on a scenario, the page must fail the same way the CLI does.
        let cli: unknown;
        try {
          assembleSimulation(parsed.spec, standardParts()).run();
        } catch (c) {
          cli = c;
        }
        expect(cli, 'the page failed where the CLI did not').toBeInstanceOf(Error);
        expect((e as Error).message).toContain((cli as Error).message);
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
      sim.run(); // the end-of-run checks, and the journal's final counts and lost records
      expect(data.traceHash).toBe(sim.trace.hash());
      expect(data.lost.length).toBe(sim.ledgerSummary().lost);
      // consumers that take time: the page's count of records processed twice and skipped is the ledger's
      const withApp = parsed.spec.consumers.some((c) => c.application !== undefined);
      expect(data.processing.length > 0).toBe(withApp);
      for (const g of data.processing) {
        const p = sim.ledger.processing({ group: g.group });
        expect([g.duplicateTimes.length, g.skipTimes.length], `${g.group} processed twice, skipped`).toEqual([p.duplicatesProcessed, p.skipped]);
      }
      // the reference workload (60,000 records) takes ~20 s alone, several times that on a busy machine
    }, 240_000);
  }
});

describe('a trace file written by kafkasim run --trace is the run the page simulates', () => {
  const chosen = ['scenarios/library/unclean-election-loses-acked-writes.yaml', 'scenarios/library/consumer-crash-rebalance-lag.yaml', 'scenarios/library/disk-loss-follower-rebuilds.yaml'];
  for (const f of chosen) {
    it.each(['jsonl', 'jsonl.gz'])(`${f} (.%s)`, async (ext) => {
      const dir = mkdtempSync(join(tmpdir(), 'kafkasim-trace-'));
      try {
        const out = join(dir, `run.${ext}`);
        const r = await cli('run', join(repo, f), '--trace', out);
        expect(r.code, r.stderr).toBeLessThan(2);
        const bytes = new Uint8Array(readFileSync(out));
        expect(bytes[0] === 0x1f && bytes[1] === 0x8b).toBe(ext.endsWith('.gz'));
        const fromFile = await openTrace(bytes);
        const live = await simulate({ text: readFileSync(join(repo, f), 'utf8'), fileName: f.split('/').pop()! });
        expect(fromFile.header).toMatchObject({ type: 'kafkasim-trace', format: 1, scenario: live.name, seed: live.seed });
        expect(fromFile.traceHash).toBe(live.traceHash);
        expect(r.stdout).toContain(`trace ${live.traceHash}`);
        for (const k of ['events', 'flights', 'lost', 'topology', 'final', 'title', 'durationUs', 'traceEvents', 'fingerprints', 'rawTimes'] as const) {
          expect(fromFile[k], k).toEqual(live[k]);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  it('a file without a header is refused, saying why', async () => {
    await expect(openTrace(new TextEncoder().encode('{"t":0,"type":"note","text":"x"}\n'))).rejects.toThrow(/kafkasim-trace header/);
  });
});


describe('a run streamed ahead of the playhead', () => {
  // the reference workload cut to 10 s (its timeline dropped): still many slices, so the run so far can
  // be sent early. The partial run must be the whole run cut short, never another run.
  const text = readFileSync(join(repo, 'scenarios/bench/reference.yaml'), 'utf8').replace('duration: 60s', 'duration: 10s').replace(/\ntimeline:[\s\S]*$/, '\n');

  it('sends the run so far once, a simulated second past the playhead, as a prefix of the whole run', async () => {
    const partials: Awaited<ReturnType<typeof simulate>>[] = [];
    let clock = 0;
    // a clock that moves 10 ms per call, so slices stay short and there is a later slice to send from
    const whole = await simulate({ text, fileName: 'reference.yaml', streamFromUs: 2_000_000 }, undefined, () => (clock += 10), (d) => partials.push(d));
    expect(whole.durationUs).toBe(10_000_000);
    expect(partials.length).toBe(1);
    const part = partials[0];
    const partEnd = part.events[part.events.length - 1].tUs;
    // STREAM_LEAD_US (1 s) past the playhead at 2 s, and well short of the end
    expect(partEnd).toBeGreaterThanOrEqual(3_000_000 - 100_000);
    expect(partEnd).toBeLessThan(whole.durationUs);
    expect(part.events.length).toBeLessThan(whole.events.length);
    expect(part.durationUs).toBe(whole.durationUs);
    expect(part.traceHash).toBe('simulating');
    expect(whole.traceHash).toMatch(/^[0-9a-f]{64}$/);
    // the same events up to where the partial run stops (lines are the same lines)
    expect(whole.events.slice(0, part.events.length - 1).map((e) => [e.tUs, e.type])).toEqual(part.events.slice(0, -1).map((e) => [e.tUs, e.type]));
  });

  it('sends nothing early without a playhead to stream from', async () => {
    const partials: unknown[] = [];
    let clock = 0;
    await simulate({ text, fileName: 'reference.yaml' }, undefined, () => (clock += 10), (d) => partials.push(d));
    expect(partials).toEqual([]);
  });
});
