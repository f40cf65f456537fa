// `kafkasim check FILE… | DIR`: runs every scenario with its expectations, one line per scenario and a
// closing `N passed, N failed` line; what CI calls. Exit 0 if all held, 1 if an expectation failed,
// 2 if a file is invalid, 3 if the simulator broke an invariant or a run hit its event limit (the worst
// outcome wins). Runs stream their trace (to the hash, and with --golden to the comparison or the
// recording), so memory does not grow with the length of a run. Ctrl-C stops at once and says where.
// A scenario runs at its seed, at each of its `seeds:`, or at `--seeds`; the results can also be
// written as JUnit XML, TAP or JSON (check-report.ts) for a CI system to show.

import { formatTime, Scheduler } from '../../sim/engine/index.ts';
import type { TraceSink } from '../../sim/engine/trace.ts';
import type { Scenario } from '../scenario/index.ts';
import type { ClusterSpec } from '../../sim/kafka/spec.ts';
import { parseCommandArgs, parseEventLimitFlag, parseSeedFlag, parseSeedsFlag, UsageError } from './args.ts';
import { jsonReport, junitReport, replayCommand, tapReport, type ScenarioRun } from './check-report.ts';
import { Interrupted, runInSlices, watchInterrupt } from './drive.ts';
import { paint, type Out } from './io.ts';
import { expandScenarioPaths, type ScenarioPath } from './inputs.ts';
import { BadScenario, loadScenario } from './load.ts';
import { simulatorFailure } from './failures.ts';
import { goldenCheck, type GoldenCheck, type GoldenMode } from './golden.ts';
import { writeOutputFile } from './outputs.ts';
import type { Command } from './main.ts';

const INTERRUPTED = 130;

const REPORTERS = ['text', 'junit', 'tap'] as const;
type Reporter = (typeof REPORTERS)[number];

export const checkCommand: Command = {
  summary: 'Run scenarios and their expectations; one line per scenario, then a summary. Non-zero exit if any fails.',
  usage: [
    'kafkasim check FILE… | DIR [--seed N | --seeds N|A-B] [--golden [--golden-file F]] [--update-golden] [--event-limit N]',
    '                          [--reporter text|junit|tap] [--out FILE] [--json]',
    '',
    '--seeds        run each scenario at seeds 1..N (or A..B) instead of its own; without it, a scenario with a',
    '               seeds: field runs at each of those. Failing seeds are listed with the command that replays one',
    '--golden       compare each run\'s trace with the one recorded in --golden-file (default scenarios/golden/golden.json);',
    '               each scenario runs at its own seed once',
    '--reporter     junit: JUnit XML (a test suite per scenario run, a test case per expectation, the run and the',
    '               golden trace); tap: TAP 13; to --out FILE if given (the lines still print), else to stdout alone',
    '--json         print the results as JSON instead of lines',
    `--event-limit  the most events each run may take (default ${new Scheduler().eventLimit})`,
    'exit:  0 every expectation held, 1 an expectation failed, 2 a file is invalid or unreadable,',
    '       3 the simulator broke an invariant or a run hit its event limit, 130 interrupted; the worst wins',
  ].join('\n'),
  run: (argv, o) => check(argv, o),
};

/** Lines that go nowhere: when the report itself is what stdout carries. */
const quiet = (o: Out): Out => ({ out: () => {}, err: o.err, color: false });

async function check(argv: string[], o: Out): Promise<number> {
  const { values, positionals } = parseCommandArgs('check', argv, {
    seed: { type: 'string' },
    seeds: { type: 'string' },
    golden: { type: 'boolean' },
    'update-golden': { type: 'boolean' },
    'golden-file': { type: 'string' },
    'event-limit': { type: 'string' },
    reporter: { type: 'string' },
    out: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (positionals.length === 0) throw new UsageError('kafkasim check: name scenario files or a directory');
  const seed = values.seed === undefined ? undefined : parseSeedFlag(values.seed as string);
  const seeds = values.seeds === undefined ? undefined : parseSeedsFlag(values.seeds as string);
  if (seed !== undefined && seeds !== undefined) throw new UsageError('give --seed or --seeds, not both');
  const eventLimit = parseEventLimitFlag(values['event-limit'] as string | undefined);
  const mode: GoldenMode = values['update-golden'] ? 'update' : values.golden ? 'verify' : 'off';
  if (mode !== 'off' && (seed !== undefined || seeds !== undefined)) {
    throw new UsageError('--golden and --update-golden replay each scenario with its own seed; drop --seed/--seeds');
  }
  const reporter = (values.reporter as string | undefined) ?? 'text';
  if (!(REPORTERS as readonly string[]).includes(reporter)) throw new UsageError(`--reporter expects one of ${REPORTERS.join(', ')}, got '${reporter}'`);
  const outPath = values.out as string | undefined;
  if (values.json && reporter !== 'text') throw new UsageError('give --json or --reporter, not both');
  if (outPath !== undefined && reporter === 'text' && !values.json) throw new UsageError('--out writes a report: add --reporter junit or tap (or --json)');
  const files = expandScenarioPaths(positionals);
  if (files.length === 0) throw new UsageError(`kafkasim check: no scenario files in ${positionals.join(' ')}`);
  // the report on stdout stands alone; written to a file, the lines still print
  const lines = (reporter !== 'text' || values.json) && outPath === undefined ? quiet(o) : o;
  const golden = goldenCheck(mode, (values['golden-file'] as string | undefined) ?? 'scenarios/golden/golden.json', lines);
  const runs: ScenarioRun[] = [];
  let passed = 0;
  let failed = 0;
  let worst = 0;
  const interrupt = watchInterrupt();
  try {
    for (const file of files) {
      const outcome = await checkFile(file, { seed, seeds, eventLimit, golden, interrupt, runs }, lines);
      if (outcome === 0) passed++;
      else failed++;
      worst = Math.max(worst, outcome);
    }
  } catch (err) {
    if (!(err instanceof Interrupted)) throw err;
    lines.out(`${passed} passed, ${failed} failed before the interruption`);
    return INTERRUPTED;
  } finally {
    interrupt.dispose();
  }
  golden.finish(files.map((f) => f.path));
  lines.out(`${passed} passed, ${failed} failed`);
  const report = values.json ? JSON.stringify(jsonReport(runs), null, 2) + '\n'
    : reporter === 'junit' ? junitReport(runs)
      : reporter === 'tap' ? tapReport(runs) : undefined;
  if (report !== undefined) {
    if (outPath === undefined) o.out(report.replace(/\n$/, ''));
    else writeOutputFile(outPath, report, { flag: '--out', inputs: files.map((f) => f.path) });
  }
  return worst;
}

interface CheckContext {
  seed: number | undefined;
  seeds: { first: number; count: number } | undefined;
  eventLimit: number | undefined;
  golden: GoldenCheck;
  interrupt: { readonly requested: boolean };
  /** Every run so far, for the reports. */
  runs: ScenarioRun[];
}

/** The seeds a scenario runs at: --seed, --seeds, its seeds: field, or its seed. */
function seedsOf(scenario: Scenario, c: CheckContext, golden: boolean): number[] {
  if (c.seed !== undefined) return [c.seed];
  if (c.seeds !== undefined) return Array.from({ length: c.seeds.count }, (_, i) => c.seeds!.first + i);
  if (!golden && scenario.seeds !== undefined) return scenario.seeds;
  return [scenario.seed];
}

const elapsed = (t0: number): number => (performance.now() - t0) / 1000;

/** Checks one file at each of its seeds; returns the worst exit code of its runs. */
async function checkFile({ path: file, unreadable }: ScenarioPath, c: CheckContext, o: Out): Promise<number> {
  const t0 = performance.now();
  const invalid = (problems: string[]): number => {
    o.out(`${paint(o, 'red', 'INVALID')} ${file}`);
    for (const l of problems) o.err(`  ${l}`);
    c.runs.push({ file, status: 'invalid', expectations: [], problems, seconds: elapsed(t0) });
    return 2;
  };
  if (unreadable !== undefined) return invalid([unreadable]);
  let loaded;
  try {
    loaded = loadScenario(file);
  } catch (err) {
    // unreadable (a UsageError naming it) or invalid: this scenario fails, the others still run
    if (!(err instanceof BadScenario || err instanceof UsageError)) throw err;
    return invalid(err.message.split('\n'));
  }
  const { scenario, spec } = loaded;
  const golden = c.golden.begin(file, scenario.name);
  const seeds = seedsOf(scenario, c, golden !== undefined);
  const runs: ScenarioRun[] = [];
  // a scenario's only run tells its own lines (and is the one the golden trace is of); several are told together
  const alone = seeds.length === 1;
  for (const seed of seeds) runs.push(await checkRun(file, scenario, spec, seed, alone ? golden : undefined, alone, c, o));
  c.runs.push(...runs);
  if (seeds.length > 1) tellSeeds(file, scenario, runs, o);
  return Math.max(...runs.map((r) => ({ pass: 0, fail: 1, invalid: 2, broken: 3 })[r.status]));
}

/** One run of a scenario at one seed, told in lines when it is the scenario's only run. */
async function checkRun(
  file: string, scenario: Scenario, spec: ClusterSpec, seed: number, golden: ReturnType<GoldenCheck['begin']>, alone: boolean, c: CheckContext, o: Out,
): Promise<ScenarioRun> {
  const t0 = performance.now();
  const run = (sink: TraceSink | undefined) => runOnce(scenario, spec, seed, c, sink, file, o);
  try {
    const r = await run(golden?.sink);
    const goldenProblem = await golden?.finish(r.sim.trace, async (sink) => void (await run(sink)));
    const failures = r.expectations.filter((e) => !e.ok);
    const result: ScenarioRun = {
      file, scenario: scenario.name, seed, status: failures.length === 0 && goldenProblem === undefined ? 'pass' : 'fail',
      expectations: r.expectations, problems: [], seconds: elapsed(t0),
      ...(golden ? { golden: { matched: goldenProblem === undefined, lines: goldenProblem ?? [] } } : {}),
    };
    if (!alone) return result;
    const goldenNote = golden === undefined ? '' : goldenProblem === undefined ? ', golden trace matched' : '';
    if (result.status === 'pass') {
      o.out(`${paint(o, 'green', 'PASS')} ${scenario.name}  ${paint(o, 'gray', `${file}, seed ${seed}, ${r.expectations.length} expectations${goldenNote}`)}`);
      return result;
    }
    o.out(`${paint(o, 'red', 'FAIL')} ${scenario.name}  ${paint(o, 'gray', `${file}, seed ${seed}`)}`);
    for (const e of failures) {
      const when = e.atUs === undefined ? 'at end' : `at ${formatTime(e.atUs)}`;
      o.out(`  ${file}:${e.line}:${e.column}  ${e.path}  ${e.check} ${when}: expected ${e.expected}, got ${e.actual}`);
    }
    if (goldenProblem) for (const l of goldenProblem) o.out(`  ${l}`);
    return result;
  } catch (err) {
    golden?.abort();
    const failure = simulatorFailure(err, file);
    if (!failure) throw err;
    if (alone) {
      o.out(`${paint(o, 'red', 'BROKEN')} ${scenario.name}  ${file}`);
      o.err(failure);
    }
    return { file, scenario: scenario.name, seed, status: 'broken', expectations: [], problems: failure.split('\n'), seconds: elapsed(t0) };
  }
}

/** A scenario run at several seeds: one line, then each failing expectation with the seeds it failed at. */
function tellSeeds(file: string, scenario: Scenario, runs: ScenarioRun[], o: Out): void {
  const seeds = runs.map((r) => r.seed!);
  const span = `seeds ${seeds.length <= 6 ? seeds.join(', ') : `${seeds[0]}…${seeds[seeds.length - 1]}`} (${seeds.length} runs)`;
  const bad = runs.filter((r) => r.status !== 'pass');
  if (bad.length === 0) {
    o.out(`${paint(o, 'green', 'PASS')} ${scenario.name}  ${paint(o, 'gray', `${file}, ${span}, ${runs[0].expectations.length} expectations`)}`);
    return;
  }
  const broken = bad.filter((r) => r.status === 'broken');
  o.out(`${paint(o, 'red', broken.length > 0 ? 'BROKEN' : 'FAIL')} ${scenario.name}  ${paint(o, 'gray', `${file}, ${span}: ${bad.length} failed`)}`);
  for (const r of broken) {
    o.out(`  seed ${r.seed}: ${r.problems[0]}`);
    o.out(`    replay: ${replayCommand(r)}`);
  }
  // each expectation that failed somewhere, with the seeds where it did and what they got
  const byPath = new Map<string, { e: ScenarioRun['expectations'][number]; at: { seed: number; actual: string }[] }>();
  for (const r of runs) {
    for (const e of r.expectations) {
      if (e.ok) continue;
      const entry = byPath.get(e.path) ?? { e, at: [] };
      entry.at.push({ seed: r.seed!, actual: e.actual });
      byPath.set(e.path, entry);
    }
  }
  for (const { e, at } of byPath.values()) {
    const when = e.atUs === undefined ? 'at end' : `at ${formatTime(e.atUs)}`;
    const shown = at.slice(0, 5).map((x) => `${x.seed} (got ${x.actual})`).join(', ') + (at.length > 5 ? `, … ${at.length - 5} more` : '');
    o.out(`  ${file}:${e.line}:${e.column}  ${e.path}  ${e.check} ${when}: expected ${e.expected}; failed at seed ${shown}`);
    o.out(`    replay: kafkasim run ${file} --seed ${at[0].seed}`);
  }
}

/** One run of a scenario, its trace streamed to `sink`; Ctrl-C stops it where it is, saying so. */
async function runOnce(scenario: Scenario, spec: ClusterSpec, seed: number, c: CheckContext, sink: TraceSink | undefined, file: string, o: Out) {
  return runInSlices(scenario, spec, { seed, eventLimit: c.eventLimit, keepTrace: false, traceSink: sink }, {
    between(sim, endUs) {
      if (!c.interrupt.requested) return;
      o.err(`interrupted in ${scenario.name} (${file}) at simulated time ${formatTime(sim.now)} of ${formatTime(endUs)}, after ${sim.trace.count} events`);
      throw new Interrupted(sim.now, sim.trace.count, endUs);
    },
  });
}
