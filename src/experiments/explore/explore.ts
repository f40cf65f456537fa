// The explorer: draws fault schedules over a scenario's workload and runs each with its own run seed
// until one breaks an expectation of the scenario (without any, "no acknowledged record lost"; those
// that break with no fault at all are set aside first, see judged.ts), then shrinks that schedule
// with the run seed fixed and writes the minimal scenario. A run that breaks the simulator itself (an
// invariant, the event limit) is no finding about Kafka: exploration stops and reports it with the
// scenario that did it. Pure: text in, text out; the CLI reads and writes the files.

import { formatDuration, parseScenario } from '../../scenario/index.ts';
import { runScenario, type SimulationFailure } from '../../scenario/run.ts';
import { addSchedule, emptyCoverage, type Coverage } from './coverage.ts';
import { initialWorkload, type Base } from './document.ts';
import { drawSchedule, horizonUs, scheduleRng, type Target } from './nemesis.ts';
import type { EndFacts } from './observe.ts';
import { wellFormed, type Fault, type FaultKind } from './schedule.ts';
import { shrink, type Candidate, type Oracle } from './shrink.ts';
import { judgedExpectations, type Judged } from './judged.ts';
import { runTrial, type TrialOptions } from './trial.ts';
import { foundScenarioText, type Finding } from './write.ts';

export const DEFAULT_SHRINK_LIMIT = 500;

export interface ExploreOptions {
  /** How many schedules to try at most. */
  budget: number;
  /** The explore seed (default in the CLI: the scenario's seed). */
  seed: number;
  kinds: readonly FaultKind[];
  /** How many runs shrinking may use. */
  shrinkLimit?: number;
  /** Check the simulator's invariants after every event (default true: it costs little, and finds simulator bugs). */
  checkInvariants?: boolean;
  onProgress?: (p: Progress) => void;
}

export type Progress =
  | { phase: 'search'; done: number; total: number }
  /** A schedule failed: said before shrinking starts, so an interrupted shrink still leaves its seed. */
  | { phase: 'found'; schedule: number; runSeed: number; faults: Fault[]; check: string; shrinkLimit: number }
  | { phase: 'shrink'; runs: number; limit: number };

export type ExploreResult = (
  | { kind: 'found'; finding: Finding; text: string; facts: EndFacts; brokenWhileShrinking?: SimulationFailure }
  | { kind: 'none' }
  /** Schedule 0 is the workload with no fault at all (the baseline run). */
  | { kind: 'broken'; schedule: number; runSeed: number; faults: Fault[]; failure: SimulationFailure; text: string }
) & { coverage: Coverage; judged?: Judged };

export function explore(original: Base, opts: ExploreOptions): ExploreResult {
  const trial: TrialOptions = { checkInvariants: opts.checkInvariants ?? true };
  const coverage = emptyCoverage();
  const j = judgedExpectations(original, trial);
  if (j.kind === 'broken') {
    const { failure, text } = j.outcome;
    return { kind: 'broken', schedule: 0, runSeed: original.scenario.seed, faults: [], failure, text, coverage };
  }
  const { base, paths } = j.judged;
  const workload = initialWorkload(base.scenario);
  const target = targetOf(base, workload.durationUs);
  for (let i = 1; i <= opts.budget; i++) {
    const drawn = drawSchedule(scheduleRng(opts.seed, i), target, opts.kinds);
    addSchedule(coverage, drawn.faults);
    const c: Candidate = { faults: drawn.faults, workload };
    const o = runTrial(base, c, drawn.runSeed, trial);
    opts.onProgress?.({ phase: 'search', done: i, total: opts.budget });
    if (o.kind === 'invalid') throw new Error(`explore: schedule ${i} does not validate (a bug in the nemesis): ${o.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
    if (o.kind === 'broken') return { kind: 'broken', schedule: i, runSeed: drawn.runSeed, faults: drawn.faults, failure: o.failure, text: o.text, coverage, judged: j.judged };
    const failed = o.result.expectations.find((e) => !e.ok && paths.has(e.path));
    if (failed) {
      const check = `${failed.check} ${failed.atUs === undefined ? 'at end' : `at ${formatDuration(failed.atUs)}`}`;
      opts.onProgress?.({ phase: 'found', schedule: i, runSeed: drawn.runSeed, faults: drawn.faults, check, shrinkLimit: opts.shrinkLimit ?? DEFAULT_SHRINK_LIMIT });
      return { ...found(base, opts, trial, { schedule: i, runSeed: drawn.runSeed, candidate: c, path: failed.path }), coverage, judged: j.judged };
    }
  }
  return { kind: 'none', coverage, judged: j.judged };
}

function targetOf(base: Base, durationUs: number): Target {
  const s = base.scenario;
  return { brokers: s.cluster.brokers, clients: [...s.producers.map((p) => p.id), ...s.consumers.map((c) => c.id)], durationUs };
}

/** A failing candidate: which schedule it was, its run seed, and the broken expectation. */
export interface Failing {
  schedule: number;
  runSeed: number;
  candidate: Candidate;
  /** The broken expectation, `expect[2]`. */
  path: string;
}

export interface Shrunk {
  minimal: Candidate;
  runs: number;
  /** Runs spent with candidates untried: `minimal` may shrink further. */
  cutShort: boolean;
  /** The last round of passes still changed it (the rounds ran out, not the runs): it may shrink further. */
  unsettled: boolean;
  broken?: SimulationFailure;
}

/** Shrinks a failing candidate with its run seed fixed, using at most `limit` runs. */
export function shrinkFailing(base: Base, f: Failing, limit: number, opts: { checkInvariants?: boolean; onProgress?: ExploreOptions['onProgress'] } = {}): Shrunk {
  const oracle = shrinkOracle(base, f, { checkInvariants: opts.checkInvariants ?? true }, limit, opts.onProgress);
  // the same room for consequences after the last fault as the nemesis leaves
  const settleUs = base.scenario.durationUs - horizonUs(base.scenario.durationUs);
  let settled = false;
  const minimal = shrink(f.candidate, oracle, { settleUs, onSettled: (s) => (settled = s) });
  // not known minimal: runs spent, or the last round still changed it (one more might shrink it again)
  return { minimal, runs: oracle.runs(), cutShort: oracle.cutShort(), unsettled: !oracle.cutShort() && !settled, broken: oracle.broken() };
}

function found(base: Base, opts: ExploreOptions, trial: TrialOptions, f: Failing): Omit<Extract<ExploreResult, { kind: 'found' }>, 'coverage' | 'judged'> {
  const limit = opts.shrinkLimit ?? DEFAULT_SHRINK_LIMIT;
  const { minimal, runs, cutShort, unsettled, broken } = shrinkFailing(base, f, limit, { checkInvariants: trial.checkInvariants, onProgress: opts.onProgress });
  const finalRun = runTrial(base, minimal, f.runSeed, trial);
  if (finalRun.kind !== 'ran') throw new Error(`explore: the minimal schedule no longer runs (${finalRun.kind}), a bug in the shrinker`);
  const result = finalRun.result.expectations.find((e) => e.path === f.path)!;
  const expectation = finalRun.result.scenario.expect.find((e) => e.path === f.path)!;
  const finding: Finding = {
    exploreSeed: opts.seed, kinds: opts.kinds, schedule: f.schedule, runSeed: f.runSeed, original: f.candidate, minimal,
    shrinkRuns: runs, shrinkLimit: limit, shrinkCutShort: cutShort, shrinkUnsettled: unsettled, expectation, result,
  };
  const { text, facts } = foundScenarioText(base, finding);
  checkReplay(text, base.fileName);
  return { kind: 'found', finding, text, facts, brokenWhileShrinking: broken };
}

/**
 * "Still fails the same way": the same expectation breaks with the run seed fixed. Ill-formed
 * candidates fail without a run; each candidate runs once (cached); past the limit nothing fails,
 * and the oracle remembers that it refused one (the result is then not known to be minimal).
 */
function shrinkOracle(base: Base, f: Failing, trial: TrialOptions, limit: number, onProgress: ExploreOptions['onProgress']) {
  const cache = new Map<string, boolean>([[JSON.stringify(f.candidate), true]]);
  let runs = 0;
  let broken: SimulationFailure | undefined;
  let refused = false;
  const oracle: Oracle & { runs(): number; cutShort(): boolean; broken(): SimulationFailure | undefined } = {
    fails(c) {
      if (!wellFormed(c.faults, c.workload.durationUs)) return false;
      const key = JSON.stringify(c);
      const known = cache.get(key);
      if (known !== undefined) return known;
      if (runs >= limit) {
        refused = true;
        return false;
      }
      runs++;
      const o = runTrial(base, c, f.runSeed, trial);
      if (o.kind === 'broken') broken ??= o.failure;
      const fails = o.kind === 'ran' && o.result.expectations.some((e) => !e.ok && e.path === f.path);
      cache.set(key, fails);
      if (runs % 50 === 0) onProgress?.({ phase: 'shrink', runs, limit });
      return fails;
    },
    exhausted: () => runs >= limit,
    runs: () => runs,
    // refused a candidate, or spent every run (a pass that saw the budget gone skipped its candidates)
    cutShort: () => refused || runs >= limit,
    broken: () => broken,
  };
  return oracle;
}

/** The written file must validate and replay its own expectations; if not, explore has a bug. */
function checkReplay(text: string, fileName: string): void {
  const parsed = parseScenario(text, fileName.replace(/\.json$/i, '.yaml'));
  if (!parsed.ok) throw new Error(`explore: the found scenario does not validate (a bug in explore): ${parsed.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  const r = runScenario(parsed.scenario, parsed.spec, { trace: false });
  const failed = r.expectations.filter((e) => !e.ok);
  if (failed.length) throw new Error(`explore: the found scenario does not replay (a bug in explore): ${failed.map((e) => `${e.check}: expected ${e.expected}, got ${e.actual}`).join('; ')}`);
}
