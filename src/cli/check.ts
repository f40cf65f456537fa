// `kafkasim check FILE… | DIR`: runs every scenario with its expectations, one line per scenario and a
// closing `N passed, N failed` line; what CI calls. Exit 0 if all held, 1 if an expectation failed,
// 2 if a file is invalid, 3 if the simulator broke an invariant or a run hit its event limit (the worst
// outcome wins). Runs stream their trace (to the hash, and with --golden to the comparison or the
// recording), so memory does not grow with the length of a run. Ctrl-C stops at once and says where.

import { formatTime, Scheduler } from '../../sim/engine/index.ts';
import type { TraceSink } from '../../sim/engine/trace.ts';
import type { Scenario } from '../scenario/index.ts';
import type { ClusterSpec } from '../../sim/kafka/spec.ts';
import { parseCommandArgs, parseEventLimitFlag, parseSeedFlag, UsageError } from './args.ts';
import { Interrupted, runInSlices, watchInterrupt } from './drive.ts';
import { paint, type Out } from './io.ts';
import { expandScenarioPaths, type ScenarioPath } from './inputs.ts';
import { BadScenario, loadScenario } from './load.ts';
import { simulatorFailure } from './failures.ts';
import { goldenCheck, type GoldenCheck, type GoldenMode } from './golden.ts';
import type { Command } from './main.ts';

const INTERRUPTED = 130;

export const checkCommand: Command = {
  summary: 'Run scenarios and their expectations; one line per scenario, then a summary. Non-zero exit if any fails.',
  usage: [
    'kafkasim check FILE… | DIR [--seed N] [--golden [--golden-file F]] [--update-golden] [--event-limit N]',
    '',
    `--event-limit  the most events each run may take (default ${new Scheduler().eventLimit})`,
    'exit:  0 every expectation held, 1 an expectation failed, 2 a file is invalid or unreadable,',
    '       3 the simulator broke an invariant or a run hit its event limit, 130 interrupted; the worst wins',
  ].join('\n'),
  run: (argv, o) => check(argv, o),
};

async function check(argv: string[], o: Out): Promise<number> {
  const { values, positionals } = parseCommandArgs('check', argv, {
    seed: { type: 'string' },
    golden: { type: 'boolean' },
    'update-golden': { type: 'boolean' },
    'golden-file': { type: 'string' },
    'event-limit': { type: 'string' },
  });
  if (positionals.length === 0) throw new UsageError('kafkasim check: name scenario files or a directory');
  const seed = values.seed === undefined ? undefined : parseSeedFlag(values.seed as string);
  const eventLimit = parseEventLimitFlag(values['event-limit'] as string | undefined);
  const mode: GoldenMode = values['update-golden'] ? 'update' : values.golden ? 'verify' : 'off';
  if (mode !== 'off' && seed !== undefined) throw new UsageError('--golden and --update-golden replay each scenario with its own seed; drop --seed');
  const files = expandScenarioPaths(positionals);
  if (files.length === 0) throw new UsageError(`kafkasim check: no scenario files in ${positionals.join(' ')}`);
  const golden = goldenCheck(mode, (values['golden-file'] as string | undefined) ?? 'scenarios/golden/golden.json', o);
  let passed = 0;
  let failed = 0;
  let worst = 0;
  const interrupt = watchInterrupt();
  try {
    for (const file of files) {
      const outcome = await checkOne(file, { seed, eventLimit, golden, interrupt }, o);
      if (outcome === 0) passed++;
      else failed++;
      worst = Math.max(worst, outcome);
    }
  } catch (err) {
    if (!(err instanceof Interrupted)) throw err;
    o.out(`${passed} passed, ${failed} failed before the interruption`);
    return INTERRUPTED;
  } finally {
    interrupt.dispose();
  }
  golden.finish(files.map((f) => f.path));
  o.out(`${passed} passed, ${failed} failed`);
  return worst;
}

interface CheckContext {
  seed: number | undefined;
  eventLimit: number | undefined;
  golden: GoldenCheck;
  interrupt: { readonly requested: boolean };
}

async function checkOne({ path: file, unreadable }: ScenarioPath, c: CheckContext, o: Out): Promise<number> {
  if (unreadable !== undefined) {
    o.out(`${paint(o, 'red', 'INVALID')} ${file}`);
    o.err(`  ${unreadable}`);
    return 2;
  }
  let loaded;
  try {
    loaded = loadScenario(file);
  } catch (err) {
    // unreadable (a UsageError naming it) or invalid: this scenario fails, the others still run
    if (!(err instanceof BadScenario || err instanceof UsageError)) throw err;
    o.out(`${paint(o, 'red', 'INVALID')} ${file}`);
    for (const l of err.message.split('\n')) o.err(`  ${l}`);
    return 2;
  }
  const { scenario, spec } = loaded;
  const run = (sink: TraceSink | undefined) => runOnce(scenario, spec, c, sink, file, o);
  const golden = c.golden.begin(file, scenario.name);
  try {
    const r = await run(golden?.sink);
    const goldenProblem = await golden?.finish(r.sim.trace, async (sink) => void (await run(sink)));
    const failures = r.expectations.filter((e) => !e.ok);
    if (failures.length === 0 && goldenProblem === undefined) {
      o.out(`${paint(o, 'green', 'PASS')} ${scenario.name}  ${paint(o, 'gray', `${file}, seed ${r.spec.seed}, ${r.expectations.length} expectations`)}`);
      return 0;
    }
    o.out(`${paint(o, 'red', 'FAIL')} ${scenario.name}  ${paint(o, 'gray', `${file}, seed ${r.spec.seed}`)}`);
    for (const e of failures) {
      const when = e.atUs === undefined ? 'at end' : `at ${formatTime(e.atUs)}`;
      o.out(`  ${file}:${e.line}:${e.column}  ${e.path}  ${e.check} ${when}: expected ${e.expected}, got ${e.actual}`);
    }
    if (goldenProblem) for (const l of goldenProblem) o.out(`  ${l}`);
    return 1;
  } catch (err) {
    golden?.abort();
    const failure = simulatorFailure(err, file);
    if (!failure) throw err;
    o.out(`${paint(o, 'red', 'BROKEN')} ${scenario.name}  ${file}`);
    o.err(failure);
    return 3;
  }
}

/** One run of a scenario, its trace streamed to `sink`; Ctrl-C stops it where it is, saying so. */
async function runOnce(scenario: Scenario, spec: ClusterSpec, c: CheckContext, sink: TraceSink | undefined, file: string, o: Out) {
  return runInSlices(scenario, spec, { seed: c.seed, eventLimit: c.eventLimit, keepTrace: false, traceSink: sink }, {
    between(sim, endUs) {
      if (!c.interrupt.requested) return;
      o.err(`interrupted in ${scenario.name} (${file}) at simulated time ${formatTime(sim.now)} of ${formatTime(endUs)}, after ${sim.trace.count} events`);
      throw new Interrupted(sim.now, sim.trace.count, endUs);
    },
  });
}
