// The model on the reference workload (scenarios/bench/reference.yaml): in sweep mode (no trace, no
// per-event invariants: what a sweep runs) and as the CLI runs it (`kafkasim run --json`: trace hashed,
// invariants checked), simulated seconds per wall second and per CPU second, events per record,
// memory and the garbage collector's share; then the command's start-up time. The figures are ratios
// measured in one run, so other load on the machine moves them less than absolute times; CPU
// seconds (process.cpuUsage, or the child's user + system time) move least.
// `npx tsx test/bench/reference.ts` prints them; test/bench/table.ts puts them in `npm run bench`'s table.
// Profile: `node --cpu-prof bin/kafkasim.js run scenarios/bench/reference.yaml --json` (after
// `npm run build`), or test/bench/README.md.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { parseScenario as parseFromSources } from '../../src/scenario/index.ts';
import { runScenario as runFromSources } from '../../src/scenario/run.ts';

const REPO = join(import.meta.dirname, '../..');

/**
 * Sweep mode runs the code `kafkasim sweep` runs: dist/ when it is built from the sources as they are
 * (bin/freshness.js), else the sources through tsx (whose transform adds a little of its own).
 */
const { staleness } = (await import(join(REPO, 'bin/freshness.js'))) as { staleness: (root: string) => string | null };
export const MODEL_CODE = staleness(REPO) === null ? 'dist/' : 'the sources (tsx; dist/ is stale or missing)';
const { parseScenario, runScenario } = staleness(REPO) === null
  ? {
    parseScenario: (await import(join(REPO, 'dist/src/scenario/index.js'))).parseScenario as typeof parseFromSources,
    runScenario: (await import(join(REPO, 'dist/src/scenario/run.js'))).runScenario as typeof runFromSources,
  }
  : { parseScenario: parseFromSources, runScenario: runFromSources };
export const REFERENCE = join(REPO, 'scenarios/bench/reference.yaml');
const BIN = join(REPO, 'bin/kafkasim.js');

export interface SweepFigures {
  simS: number;
  /** Median over the measured runs. */
  wallS: number;
  cpuS: number;
  events: number;
  records: number;
  /** The heap in use at the end of a run, garbage included (about its peak), the largest of the runs, MB. */
  peakHeapMB: number;
  /** Time in GC pauses over the runs' wall time. */
  gcShare: number;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** Sweep mode in this process: a 5 s warm-up run (the JIT), then `runs` runs of the whole workload. */
export async function sweepMode(runs = 3): Promise<SweepFigures> {
  const parsed = parseScenario(readFileSync(REFERENCE, 'utf8'), REFERENCE);
  if (!parsed.ok) throw new Error('reference.yaml is invalid');
  const opts = { trace: false, checkInvariants: false };
  runScenario(parsed.scenario, { ...parsed.spec, durationUs: 5_000_000 }, opts); // warm-up
  let gcMs = 0;
  let peakHeap = 0;
  const gcs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcMs += e.duration;
  });
  gcs.observe({ entryTypes: ['gc'] });
  const walls: number[] = [];
  const cpus: number[] = [];
  let events = 0;
  let records = 0;
  let wallAll = 0;
  for (let i = 0; i < runs; i++) {
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    const r = runScenario(parsed.scenario, parsed.spec, opts);
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    const c = process.cpuUsage(cpu0);
    peakHeap = Math.max(peakHeap, getHeapStatistics().used_heap_size);
    walls.push(wall);
    cpus.push((c.user + c.system) / 1e6);
    wallAll += wall;
    events = r.sim.scheduler.executed;
    records = r.sim.ledgerSummary().produced;
  }
  await new Promise((done) => setTimeout(done, 50)); // GC entries arrive on the event loop
  gcs.disconnect();
  return {
    simS: parsed.spec.durationUs / 1e6, wallS: median(walls), cpuS: median(cpus), events, records,
    peakHeapMB: peakHeap / 1e6, gcShare: gcMs / 1000 / wallAll,
  };
}

export interface CliFigures {
  simS: number;
  /** The whole command, start-up included. */
  wallS: number;
  /** The child's user + system time (all its threads), when GNU time is there to tell it. */
  cpuS?: number;
  rssMB?: number;
  traceEvents: number;
}

/** `kafkasim run --json` in a child process, as CI runs it. */
export function cliMode(): CliFigures {
  const time = existsSync('/usr/bin/time');
  const args = [BIN, 'run', REFERENCE, '--json'];
  const t0 = process.hrtime.bigint();
  const r = time
    ? spawnSync('/usr/bin/time', ['-f', '%U %S %M', process.execPath, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 })
    : spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
  const json = JSON.parse(r.stdout) as { events: number };
  const parsed = parseScenario(readFileSync(REFERENCE, 'utf8'), REFERENCE);
  const simS = parsed.ok ? parsed.spec.durationUs / 1e6 : NaN;
  if (!time) return { simS, wallS, traceEvents: json.events };
  const [user, sys, rssKB] = (r.stderr.trim().split('\n').pop() ?? '').split(' ').map(Number);
  return { simS, wallS, cpuS: user + sys, rssMB: rssKB / 1000, traceEvents: json.events };
}

/** The garbage collector's share of a CPU profile of `kafkasim run --json` (node --cpu-prof). */
export function cliGcShare(): number {
  const dir = mkdtempSync(join(tmpdir(), 'kafkasim-prof-'));
  try {
    spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, BIN, 'run', REFERENCE, '--json'], { encoding: 'utf8', maxBuffer: 1 << 26 });
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (file === undefined) return NaN;
    const p = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
      nodes: { id: number; callFrame: { functionName: string } }[]; samples: number[]; timeDeltas: number[];
    };
    const gcNodes = new Set(p.nodes.filter((n) => n.callFrame.functionName === '(garbage collector)').map((n) => n.id));
    let gc = 0;
    let all = 0;
    p.samples.forEach((id, i) => {
      const dt = p.timeDeltas[i] ?? 0;
      all += dt;
      if (gcNodes.has(id)) gc += dt;
    });
    return gc / all;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Median wall time of five starts of the command, ms. */
export function startup(args: string[]): number {
  const walls: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = process.hrtime.bigint();
    spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
    walls.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return median(walls);
}

async function main(): Promise<void> {
  console.log(`reference workload (${REFERENCE.slice(REPO.length + 1)}): 60 simulated s, 1,000 records/s, 6 partitions; model code ${MODEL_CODE}; load average ${loadavg()[0].toFixed(2)}`);
  const s = await sweepMode();
  console.log(`  sweep mode (no trace, no invariants): ${(s.simS / s.wallS).toFixed(1)} sim s per wall s, ${(s.simS / s.cpuS).toFixed(1)} per CPU s, ` +
    `${s.events} events for ${s.records} records = ${(s.events / s.records).toFixed(2)} events per record, peak heap ${s.peakHeapMB.toFixed(0)} MB, GC ${(s.gcShare * 100).toFixed(1)}%`);
  const c = cliMode();
  console.log(`  kafkasim run --json (trace hashed, invariants): ${(c.simS / c.wallS).toFixed(1)} sim s per wall s (start-up included), ` +
    `${c.cpuS === undefined ? '' : `${(c.simS / c.cpuS).toFixed(1)} per CPU s, `}${c.traceEvents} trace events, peak RSS ${c.rssMB === undefined ? 'n/a' : `${c.rssMB.toFixed(0)} MB`}, ` +
    `GC ${(cliGcShare() * 100).toFixed(1)}% of a CPU profile`);
  console.log(`  start-up: kafkasim --help ${startup(['--help']).toFixed(0)} ms, validate ${startup(['validate', REFERENCE]).toFixed(0)} ms (median of 5)`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
