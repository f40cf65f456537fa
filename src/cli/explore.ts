// `kafkasim explore FILE --budget N`: random fault schedules over a scenario's workload until one
// breaks its expectations (without any: no acknowledged record lost), shrunk to a minimal scenario
// that is written as a file. The files and the terminal are here; the search, the shrinking and the
// file's text are src/experiments/explore, which is pure.
//
// Exit codes, as `check`'s: 0 nothing found within the budget (what CI asserts), 1 a failure was
// found and written, 2 bad input or usage, 3 a run broke the simulator itself.

import { basename } from 'node:path';
import { formatDuration, formatError } from '../scenario/index.ts';
import { didYouMean } from '../scenario/suggest.ts';
import { coverageLines } from '../experiments/explore/coverage.ts';
import { loadBase } from '../experiments/explore/document.ts';
import { DEFAULT_SHRINK_LIMIT, explore, type ExploreResult, type Progress } from '../experiments/explore/explore.ts';
import { NothingToExplore, type Judged } from '../experiments/explore/judged.ts';
import { FAULT_KINDS, describeFault, type FaultKind } from '../experiments/explore/schedule.ts';
import { fits, horizonUs } from '../experiments/explore/nemesis.ts';
import type { Workload } from '../experiments/explore/shrink.ts';
import { parseCommandArgs, parseSeedFlag, UsageError } from './args.ts';
import { paint, type Out } from './io.ts';
import { readScenarioFile } from './inputs.ts';
import { checkWritableOutput, writeOutputFile } from './outputs.ts';
import { BadScenario } from './load.ts';
import { simulatorFailure } from './failures.ts';
import { startProgress } from './progress.ts';
import type { Command } from './main.ts';

export const exploreCommand: Command = {
  summary:
    'Draw random fault schedules over a scenario until one breaks its expectations (without any: no acknowledged record lost), ' +
    'shrink it to its smallest story and write that as a scenario file.',
  usage: [
    'kafkasim explore FILE --budget N [--seed S] [--faults K,…] [--out FOUND.yaml] [--shrink-runs N]',
    '',
    '--budget       how many schedules to try at most (each a run with its own seed)',
    '--seed         the explore seed (default: the scenario\'s seed); the same seed and budget find the same failure and write the same file',
    `--faults       the fault kinds to draw (default: all): ${FAULT_KINDS.join(',')}`,
    '--out          where to write the minimal failing scenario (default: <scenario name>-found.yaml here)',
    `--shrink-runs  how many runs shrinking may use (default ${DEFAULT_SHRINK_LIMIT}; 0 writes the schedule as drawn)`,
    '',
    'The scenario keeps its cluster, topics, clients and configs; its timeline\'s faults are replaced by the drawn ones.',
    'Its expectations are judged (without any: lost: 0); those that fail with no fault at all describe its own timeline and are set aside.',
    'Shrinking keeps the failing run\'s seed: fewer faults (delta debugging), earlier and shorter ones, fewer nodes, a smaller workload.',
    'exit:  0 nothing found within the budget, 1 a failure found (the file written), 2 bad input or usage,',
    '       3 a run broke the simulator (the scenario that did it is written instead)',
  ].join('\n'),
  run: (argv, o) => exploreMain(argv, o),
};

interface ExploreArgs {
  file: string;
  budget: number;
  seed?: number;
  kinds: FaultKind[];
  out?: string;
  shrinkRuns: number;
}

function readArgs(argv: string[]): ExploreArgs {
  const { values, positionals } = parseCommandArgs('explore', argv, {
    budget: { type: 'string' },
    seed: { type: 'string' },
    faults: { type: 'string' },
    out: { type: 'string' },
    'shrink-runs': { type: 'string' },
  });
  if (positionals.length !== 1) throw new UsageError('kafkasim explore: name exactly one scenario file');
  if (values.budget === undefined) throw new UsageError('kafkasim explore: --budget N is required (how many schedules to try, e.g. --budget 100)');
  return {
    file: positionals[0],
    budget: countFlag('budget', values.budget as string, 1),
    seed: values.seed === undefined ? undefined : parseSeedFlag(values.seed as string),
    kinds: values.faults === undefined ? [...FAULT_KINDS] : faultKinds(values.faults as string),
    out: values.out as string | undefined,
    shrinkRuns: values['shrink-runs'] === undefined ? DEFAULT_SHRINK_LIMIT : countFlag('shrink-runs', values['shrink-runs'] as string, 0),
  };
}

function countFlag(flag: string, text: string, min: number): number {
  const what = min > 0 ? 'a positive whole number' : 'a whole number';
  if (!/^\d+$/.test(text.trim()) || Number(text) < min || !Number.isSafeInteger(Number(text))) throw new UsageError(`--${flag} expects ${what}, got '${text}'`);
  return Number(text);
}

function faultKinds(text: string): FaultKind[] {
  const names = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (names.length === 0) throw new UsageError(`--faults expects a comma-separated list of fault kinds (${FAULT_KINDS.join(', ')})`);
  for (const n of names) {
    if (!(FAULT_KINDS as readonly string[]).includes(n)) {
      throw new UsageError(`--faults: unknown fault kind '${n}'${didYouMean(n, FAULT_KINDS)} (kinds: ${FAULT_KINDS.join(', ')})`);
    }
  }
  // in FAULT_KINDS order, so `--faults pause,crash` and `--faults crash,pause` explore alike
  return FAULT_KINDS.filter((k) => names.includes(k));
}

function exploreMain(argv: string[], o: Out): number {
  const a = readArgs(argv);
  const loaded = loadBase(readScenarioFile(a.file), a.file);
  if (!loaded.ok) throw new BadScenario(loaded.errors.map(formatError));
  const base = loaded.base;
  const seed = a.seed ?? base.scenario.seed;
  // before the search: the file it may write must not be the scenario it reads
  for (const kind of a.out === undefined ? ['found', 'broken'] : []) checkWritableOutput(`${base.scenario.name}-${kind}.yaml`, { inputs: [a.file] });
  if (a.out !== undefined) checkWritableOutput(a.out, { flag: '--out', inputs: [a.file] });
  // a kind that cannot fit in the run would leave every schedule without it (and "nothing found")
  const unfit = a.kinds.filter((k) => !fits(k, base.scenario.durationUs));
  if (unfit.length > 0) {
    const why = `must end by ${formatDuration(horizonUs(base.scenario.durationUs))} of ${base.scenario.name}'s ${formatDuration(base.scenario.durationUs)} (the rest is left for their consequences)` +
      (unfit.includes('shutdown') ? '; a shutdown lasts at least 5s' : '');
    if (unfit.length === a.kinds.length) throw new UsageError(`kafkasim explore ${a.file}: --faults ${a.kinds.join(',')}: no such fault fits: faults ${why}; lengthen the run's duration or choose other --faults`);
    o.err(`note: ${unfit.join(', ')} cannot be drawn: faults ${why}`);
  }
  const allKinds = a.kinds.length === FAULT_KINDS.length;
  o.err(`explore ${base.scenario.name}: up to ${a.budget} schedules, explore seed ${seed}, faults ${allKinds ? 'all' : a.kinds.join(',')}`);
  const progress = startProgress(o, 'explore', a.budget, 'schedules');
  const started = process.hrtime.bigint();
  let result: ExploreResult;
  try {
    result = explore(base, { budget: a.budget, seed, kinds: a.kinds, shrinkLimit: a.shrinkRuns, onProgress: progressTo(progress, o) });
  } catch (err) {
    if (err instanceof NothingToExplore) throw new UsageError(`kafkasim explore ${a.file}: ${err.message}`);
    throw err;
  } finally {
    progress.stop();
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  o.err(`explore: ${seconds.toFixed(1)} s`);
  const out = a.out ?? `${base.scenario.name}-${result.kind === 'broken' ? 'broken' : 'found'}.yaml`;
  const code = result.kind === 'none' ? reportNone(result, a, seed, o) : result.kind === 'broken' ? reportBroken(result, a.file, out, o) : reportFound(result, a, out, o);
  reportJudged(result.judged, o);
  return code;
}

/** Expectations that fail with no fault at all describe the file's own timeline: say they were left out. */
function reportJudged(j: Judged | undefined, o: Out): void {
  if (!j || j.setAside.length === 0) return;
  o.out(`set aside: ${j.setAside.length} expectation(s) that fail with no fault at all (they describe the file's own timeline):`);
  for (const e of j.setAside) o.out(`  ${e.path} ${e.check} ${e.atUs === undefined ? 'at end' : `at ${formatDuration(e.atUs)}`}: expected ${e.expected}, got ${e.actual} without faults`);
  if (j.addedDefault) o.out('judged instead: no acknowledged record lost (lost: 0)');
}

function progressTo(progress: ReturnType<typeof startProgress>, o: Out): (p: Progress) => void {
  let shrinking = false;
  return (p) => {
    if (p.phase === 'search') return progress.update(p.done);
    if (p.phase === 'found') {
      progress.stop();
      o.err(`explore: schedule ${p.schedule} (run seed ${p.runSeed}) broke ${p.check}: ${p.faults.map(describeFault).join('; ')}; ${p.shrinkLimit > 0 ? `shrinking it (at most ${p.shrinkLimit} runs)` : 'not shrinking it (--shrink-runs 0)'}`);
      return;
    }
    if (!shrinking) progress.stop();
    shrinking = true;
    o.err(`explore: shrinking, ${p.runs}/${p.limit} runs`);
  };
}

function reportNone(r: Extract<ExploreResult, { kind: 'none' }>, a: ExploreArgs, seed: number, o: Out): number {
  o.out(`${paint(o, 'green', 'nothing found')} in ${r.coverage.schedules} schedules of ${basename(a.file)} (explore seed ${seed}); no file written`);
  for (const l of coverageLines(r.coverage)) o.out(l);
  return 0;
}

function reportBroken(r: Extract<ExploreResult, { kind: 'broken' }>, file: string, out: string, o: Out): number {
  writeOutputFile(out, r.text, { flag: '--out', inputs: [file] });
  const which = r.schedule === 0 ? 'the workload with no fault at all' : `schedule ${r.schedule}`;
  o.out(`${paint(o, 'red', 'BROKEN')} ${which} (run seed ${r.runSeed}) broke the simulator itself; this is not a finding about Kafka but a simulator bug`);
  for (const f of r.faults) o.out(`  ${describeFault(f)}`);
  o.err((simulatorFailure(r.failure, out) ?? r.failure.message).split('\n')[0]);
  o.out(`wrote ${out} (the scenario of that run, from ${file})`);
  o.out(`replay: npx kafkasim run ${out}`);
  return 3;
}

function reportFound(r: Extract<ExploreResult, { kind: 'found' }>, a: ExploreArgs, out: string, o: Out): number {
  const f = r.finding;
  writeOutputFile(out, r.text, { flag: '--out', inputs: [a.file] });
  const first = `${f.result.check} ${f.result.atUs === undefined ? 'at end' : `at ${formatDuration(f.result.atUs)}`}`;
  o.out(`${paint(o, 'red', 'FOUND')} schedule ${f.schedule} of ${a.budget} broke ${first} (expected ${f.result.expected}), run seed ${f.runSeed}`);
  o.out(`  drawn:   ${f.original.faults.map(describeFault).join('; ') || 'no faults'}`);
  // past the runs allowed the result is only smaller, not known to be minimal: say so rather than call it minimal
  const spent = f.shrinkLimit === 0 ? 'not shrunk (--shrink-runs 0)' : f.shrinkCutShort
    ? `shrunk in ${f.shrinkRuns} runs, all that --shrink-runs allowed (it may shrink further with more)`
    : f.shrinkUnsettled ? `shrunk in ${f.shrinkRuns} runs (at most ${f.shrinkLimit}; its last round still made it smaller, so it may shrink further)`
    : `shrunk in ${f.shrinkRuns} runs (at most ${f.shrinkLimit})`;
  o.out(`  ${spent}: ${shrinkSummary(f.original, f.minimal)}`);
  o.out(`  ${f.shrinkCutShort || f.shrinkUnsettled ? 'smaller:' : 'minimal:'} ${f.minimal.faults.map(describeFault).join('; ') || 'no faults at all'}`);
  if (r.facts.lost > 0) {
    const where = r.facts.lossByPartition.map((p) => `${p.partition}: ${p.lost}, leader ${p.leader ?? 'none'} at the end`).join('; ');
    o.out(`  lost ${r.facts.lost} acknowledged record${r.facts.lost === 1 ? '' : 's'} (${where})${r.facts.uncleanElections ? `, after ${r.facts.uncleanElections} unclean election(s)` : ''}`);
  }
  if (r.brokenWhileShrinking) o.err(`note: a shrink candidate broke the simulator (not pursued): ${r.brokenWhileShrinking.message}`);
  o.out(`wrote ${out}`);
  o.out(`replay: npx kafkasim run ${out}`);
  return 1;
}

function shrinkSummary(from: { faults: unknown[]; workload: Workload }, to: { faults: unknown[]; workload: Workload }): string {
  const parts = [`${from.faults.length} fault${from.faults.length === 1 ? '' : 's'} → ${to.faults.length}`];
  for (const p of to.workload.producers) {
    const was = from.workload.producers.find((q) => q.id === p.id)!;
    if (was.ratePerSec !== p.ratePerSec) parts.push(`producer ${p.id} ${was.ratePerSec}/s → ${p.ratePerSec}/s`);
  }
  if (from.workload.producers.length !== to.workload.producers.length) parts.push(`producers ${from.workload.producers.length} → ${to.workload.producers.length}`);
  if (from.workload.consumers.length !== to.workload.consumers.length) parts.push(`consumers ${from.workload.consumers.length} → ${to.workload.consumers.length}`);
  if (from.workload.durationUs !== to.workload.durationUs) parts.push(`duration ${formatDuration(from.workload.durationUs)} → ${formatDuration(to.workload.durationUs)}`);
  return parts.join(', ');
}
