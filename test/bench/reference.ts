// The model on the reference workload (scenarios/bench/reference.yaml), as one table: in sweep mode
// (no trace, no per-event invariants: what a sweep runs) and as the CLI runs it (`kafkasim run --json`:
// trace hashed, invariants checked), simulated seconds per wall second and per CPU second, events per
// record and peak memory; then the command's start-up time. Measured in one run; the figures are
// ratios, so other load on the machine moves them less than absolute times.
// `npx tsx test/bench/reference.ts`; profile with `node --cpu-prof --import tsx bin/kafkasim.js run scenarios/bench/reference.yaml --json`.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { parseScenario } from '../../src/scenario/index.ts';
import { runScenario } from '../../src/scenario/run.ts';

const REPO = join(import.meta.dirname, '../..');
const FILE = join(REPO, 'scenarios/bench/reference.yaml');
const BIN = join(REPO, 'bin/kafkasim.js');

function sweepMode(): { wall: number; cpu: number; events: number; records: number; heapMB: number; simS: number } {
  const parsed = parseScenario(readFileSync(FILE, 'utf8'), FILE);
  if (!parsed.ok) throw new Error('reference.yaml is invalid');
  runScenario(parsed.scenario, { ...parsed.spec, durationUs: 5_000_000 }, { trace: false, checkInvariants: false }); // warm-up
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const r = runScenario(parsed.scenario, parsed.spec, { trace: false, checkInvariants: false });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const c = process.cpuUsage(cpu0);
  return {
    wall, cpu: (c.user + c.system) / 1e6, events: r.sim.scheduler.executed, records: r.sim.ledgerSummary().produced,
    heapMB: getHeapStatistics().used_heap_size / 1e6, simS: parsed.spec.durationUs / 1e6,
  };
}

/** `kafkasim run --json` in a child: wall time, and peak RSS where GNU time is there to tell it. */
function cliMode(): { wall: number; rssMB?: number; events: number } {
  const time = existsSync('/usr/bin/time');
  const args = [BIN, 'run', FILE, '--json'];
  const t0 = process.hrtime.bigint();
  const r = time
    ? spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 })
    : spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const json = JSON.parse(r.stdout) as { events: number };
  const rssKB = time ? Number(r.stderr.trim().split('\n').pop()) : undefined;
  return { wall, events: json.events, rssMB: rssKB === undefined ? undefined : rssKB / 1000 };
}

function startup(args: string[]): number {
  const walls: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = process.hrtime.bigint();
    spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
    walls.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return walls.sort((a, b) => a - b)[2];
}

console.log(`reference workload (${FILE.slice(REPO.length + 1)}): 60 simulated s, 1,000 records/s, 6 partitions; load average ${loadavg()[0].toFixed(2)}`);
const s = sweepMode();
console.log(`  sweep mode (no trace, no invariants): ${(s.simS / s.wall).toFixed(1)} sim s per wall s, ${(s.simS / s.cpu).toFixed(1)} per CPU s, ` +
  `${s.events} events for ${s.records} records = ${(s.events / s.records).toFixed(2)} events per record, heap after ${s.heapMB.toFixed(0)} MB`);
const c = cliMode();
console.log(`  kafkasim run --json (trace hashed, invariants): ${(s.simS / c.wall).toFixed(1)} sim s per wall s (start-up included), ` +
  `${c.events} trace events, peak RSS ${c.rssMB === undefined ? 'n/a' : `${c.rssMB.toFixed(0)} MB`}`);
console.log(`  start-up: kafkasim --help ${startup(['--help']).toFixed(0)} ms, validate ${startup(['validate', FILE]).toFixed(0)} ms (median of 5)`);
