// `npm run bench`: every figure of the speed issue (12) measured in one run and printed as one table,
// each with its target: the engine against the raw typed-array heap, the model on the reference
// workload (scenarios/bench/reference.yaml) in sweep mode (no trace, no invariants) and as
// `kafkasim run --json` runs it (trace hashed, invariants checked, start-up included), events per
// record, memory, the garbage collector's share, the command's start-up, the page's first frame, the
// 30 brokers × 1,000 partitions workload with trace and invariants, and sweeps. Sweep mode runs dist/
// when it is fresh (what `kafkasim sweep` runs; else the sources through tsx) and the 30 × 1,000
// workload the sources, both with the V8 flag bin/kafkasim.js sets; the CLI figures run
// bin/kafkasim.js, i.e. dist/ (`npm run build` first, or it runs the sources, slower). Other load on the machine slows everything: the load average is printed,
// and CPU-second ratios move least. Each part has its own script with more detail (run.ts, model.ts,
// clients.ts, reference.ts, page.ts, sweep.ts); the profiling commands are in test/bench/README.md.
import { setFlagsFromString } from 'node:v8';
setFlagsFromString('--max-inlined-bytecode-size-cumulative=200'); // as bin/kafkasim.js, before any model code is compiled

const { loadavg, availableParallelism } = await import('node:os');
const { compare } = await import('./run.ts');
const { engineLoop, rawHeap } = await import('./workloads.ts');
const { cliGcShare, cliMode, MODEL_CODE, REFERENCE, startup, sweepMode } = await import('./reference.ts');
const { BIG, runWorkload } = await import('./model.ts');
const { measurePage } = await import('./page.ts');
const { timeSweep } = await import('./sweep.ts');

interface Row {
  figure: string;
  value: string;
  target: string;
  /** undefined: no target */
  ok?: boolean;
}

const rows: Row[] = [];
const add = (figure: string, value: string, target = '', ok?: boolean): void => {
  rows.push({ figure, value, target, ok });
  process.stderr.write(`  ${figure}: ${value}\n`);
};
const started = process.hrtime.bigint();
const load0 = loadavg()[0];

// the engine
for (const size of [1_000, 100_000, 1_000_000]) {
  const c = compare(rawHeap(size), engineLoop(size));
  add(`engine / raw heap, ${size.toExponential(0)} pending`, `${(c.ratio * 100).toFixed(0)}% (${(c.other / 1e6).toFixed(2)}M vs ${(c.base / 1e6).toFixed(2)}M events/s)`);
}

// the reference workload, sweep mode
const s = await sweepMode();
const sweepSpeed = s.simS / s.wallS;
add('reference, sweep mode: sim s per wall s', sweepSpeed.toFixed(1), '>= 300', sweepSpeed >= 300);
add('reference, sweep mode: sim s per CPU s', (s.simS / s.cpuS).toFixed(1));
const perRecord = s.events / s.records;
add('reference, sweep mode: events per record', `${perRecord.toFixed(2)} (${s.events} events, ${s.records} records)`, '<= 2', perRecord <= 2);
add('reference, sweep mode: peak heap', `${s.peakHeapMB.toFixed(0)} MB`);
add('reference, sweep mode: GC share of wall time', `${(s.gcShare * 100).toFixed(1)}%`, '<= 10%', s.gcShare <= 0.1);

// the reference workload, as the CLI runs it
const c = cliMode();
const cliSpeed = c.simS / c.wallS;
add('reference, kafkasim run --json: sim s per wall s (start-up incl.)', cliSpeed.toFixed(1), '>= 60', cliSpeed >= 60);
if (c.cpuS !== undefined) add('reference, kafkasim run --json: sim s per CPU s', (c.simS / c.cpuS).toFixed(1));
if (c.rssMB !== undefined) add('reference, kafkasim run --json: peak RSS', `${c.rssMB.toFixed(0)} MB`, '<= 200 MB', c.rssMB <= 200);
const gc = cliGcShare();
add('reference, kafkasim run --json: GC share of a CPU profile', `${(gc * 100).toFixed(1)}%`, '<= 10%', gc <= 0.1);

// start-up
const help = startup(['--help']);
add('kafkasim --help', `${help.toFixed(0)} ms`, '<= 200 ms', help <= 200);
const validate = startup(['validate', REFERENCE]);
add('kafkasim validate reference.yaml', `${validate.toFixed(0)} ms`, '<= 200 ms', validate <= 200);

// the page
const page = await measurePage();
if (page === undefined) add('page: first frame of the reference scenario, from its pick', 'skipped: no Chromium', '<= 1000 ms');
else {
  add('page: first frame of the reference scenario, from its pick', `${page.firstFrameMs.toFixed(0)} ms (${page.fromNavigationMs.toFixed(0)} ms from navigation)`, '<= 1000 ms', page.firstFrameMs <= 1000);
  add('page: the whole run drawn', `${page.wholeRunMs.toFixed(0)} ms (simulating ${page.simulatedMs} ms of it)`);
}

// 30 brokers × 1,000 partitions, trace and invariants
runWorkload({ ...BIG, durationUs: 2_000_000 }); // warm-up
const cpu0 = process.cpuUsage();
const big = runWorkload(BIG, { trace: true, checkInvariants: true });
const bigCpu = process.cpuUsage(cpu0);
const bigSpeed = BIG.durationUs / 1e6 / (big.wallMs / 1000);
add('30 brokers x 1000 partitions, trace + invariants: sim s per wall s', `${bigSpeed.toFixed(1)} (${((BIG.durationUs / 1e6) / ((bigCpu.user + bigCpu.system) / 1e6)).toFixed(1)} per CPU s)`, '>= 10', bigSpeed >= 10);

// sweeps
const cores = availableParallelism();
await timeSweep(20, 1); // warm-up
const one = await timeSweep(50, 1);
const all = await timeSweep(50 * cores, cores);
add('sweep (unclean-election, 4 cells): runs per s, 1 worker', (one.runs / one.seconds).toFixed(1));
add(`sweep: runs per s, ${cores} workers`, `${(all.runs / all.seconds).toFixed(1)} (scaling ${((all.runs / all.seconds) / (one.runs / one.seconds)).toFixed(2)}x)`);
const thousand = await timeSweep(1000, cores);
add(`sweep: 1000 seeds x 4 cells on ${cores} workers`, `${thousand.seconds.toFixed(1)} s`, '< 60 s', thousand.seconds < 60);

const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const w = [0, 1, 2].map((i) => Math.max(...rows.map((r) => [r.figure, r.value, r.target][i].length), ['figure', 'measured', 'target'][i].length));
const line = (a: string, b: string, t: string, ok: string): string => `${a.padEnd(w[0])}  ${b.padEnd(w[1])}  ${t.padEnd(w[2])}  ${ok}`;
console.log(`\nkafkasim bench (issue 12), ${new Date().toISOString().slice(0, 16)}Z, load average ${load0.toFixed(2)} -> ${loadavg()[0].toFixed(2)}, ${cores} cores, ${seconds.toFixed(0)} s; sweep mode ran ${MODEL_CODE}`);
console.log(line('figure', 'measured', 'target', 'met'));
console.log(line('-'.repeat(w[0]), '-'.repeat(w[1]), '-'.repeat(w[2]), '---'));
for (const r of rows) console.log(line(r.figure, r.value, r.target, r.ok === undefined ? '' : r.ok ? 'yes' : 'NO'));
