// `kafkasim check FILE… | DIR`: runs every scenario with its expectations, one line per scenario and a
// closing `N passed, N failed` line; what CI calls. Exit 0 if all held, 1 if an expectation failed,
// 2 if a file is invalid, 3 if the simulator broke an invariant (the worst outcome wins).

import { formatTime } from '../../sim/engine/index.ts';
import { runScenario } from '../scenario/run.ts';
import { parseCommandArgs, parseSeedFlag, UsageError } from './args.ts';
import { paint, type Out } from './io.ts';
import { expandScenarioPaths, type ScenarioPath } from './inputs.ts';
import { BadScenario, loadScenario } from './load.ts';
import { simulatorFailure } from './failures.ts';
import { goldenCheck, type GoldenMode } from './golden.ts';
import type { Command } from './main.ts';

export const checkCommand: Command = {
  summary: 'Run scenarios and their expectations; one line per scenario, then a summary. Non-zero exit if any fails.',
  usage: 'kafkasim check FILE… | DIR [--seed N] [--golden [--golden-file F]] [--update-golden]',
  run(argv: string[], o: Out): number {
    const { values, positionals } = parseCommandArgs('check', argv, {
      seed: { type: 'string' },
      golden: { type: 'boolean' },
      'update-golden': { type: 'boolean' },
      'golden-file': { type: 'string' },
    });
    if (positionals.length === 0) throw new UsageError('kafkasim check: name scenario files or a directory');
    const seed = values.seed === undefined ? undefined : parseSeedFlag(values.seed as string);
    const mode: GoldenMode = values['update-golden'] ? 'update' : values.golden ? 'verify' : 'off';
    if (mode !== 'off' && seed !== undefined) throw new UsageError('--golden and --update-golden replay each scenario with its own seed; drop --seed');
    const files = expandScenarioPaths(positionals);
    if (files.length === 0) throw new UsageError(`kafkasim check: no scenario files in ${positionals.join(' ')}`);
    const golden = goldenCheck(mode, (values['golden-file'] as string | undefined) ?? 'scenarios/golden/golden.json', o);
    let passed = 0;
    let failed = 0;
    let worst = 0;
    for (const file of files) {
      const outcome = checkOne(file, seed, golden, o);
      if (outcome === 0) passed++;
      else failed++;
      worst = Math.max(worst, outcome);
    }
    golden.finish(files.map((f) => f.path));
    o.out(`${passed} passed, ${failed} failed`);
    return worst;
  },
};

function checkOne({ path: file, unreadable }: ScenarioPath, seed: number | undefined, golden: ReturnType<typeof goldenCheck>, o: Out): number {
  if (unreadable !== undefined) {
    o.out(`${paint(o, 'red', 'INVALID')} ${file}`);
    o.err(`  ${unreadable}`);
    return 2;
  }
  let loaded;
  try {
    loaded = loadScenario(file);
  } catch (err) {
    if (!(err instanceof BadScenario)) throw err;
    o.out(`${paint(o, 'red', 'INVALID')} ${file}`);
    for (const l of err.lines) o.err(`  ${l}`);
    return 2;
  }
  const { scenario, spec } = loaded;
  try {
    const r = runScenario(scenario, spec, { seed, keepTrace: golden.needsTrace });
    const failures = r.expectations.filter((e) => !e.ok);
    const goldenProblem = golden.compare(file, scenario.name, r.sim.trace);
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
    const failure = simulatorFailure(err, file);
    if (!failure) throw err;
    o.out(`${paint(o, 'red', 'BROKEN')} ${scenario.name}  ${file}`);
    o.err(failure);
    return 3;
  }
}
