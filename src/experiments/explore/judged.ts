// Which expectations the search judges. A scenario's expectations may describe its own timeline (the
// library's do: "ISR [1, 2] at 15 s" after its crash at 5 s); with that timeline replaced they fail
// under any schedule, even an empty one, and every schedule would be a "finding". So the workload is
// first run with no fault at all (with the scenario's seed): expectations that fail then are set
// aside and reported, and when none is left, "no acknowledged record lost" is judged instead. A
// workload that loses acknowledged records with no fault at all leaves nothing to explore.

import type { ExpectationResult } from '../../scenario/verdict.ts';
import { initialWorkload, type Base } from './document.ts';
import { runTrial, type TrialOptions, type TrialOutcome } from './trial.ts';

export interface Judged {
  /** The base the search runs: the original, or with `lost: 0` added. */
  base: Base;
  /** The expectations judged, by path (`expect[2]`). */
  paths: Set<string>;
  /** Expectations that fail with no fault at all, left out. */
  setAside: ExpectationResult[];
  /** `lost: 0` was added because nothing else was left. */
  addedDefault: boolean;
}

/** The input leaves nothing to explore: the CLI's usage error. */
export class NothingToExplore extends Error {
  override readonly name = 'NothingToExplore';
}

export type JudgedOutcome = { kind: 'judged'; judged: Judged } | { kind: 'broken'; outcome: Extract<TrialOutcome, { kind: 'broken' }> };

export function judgedExpectations(base: Base, trial: TrialOptions): JudgedOutcome {
  const first = baseline(base, trial);
  if (first.kind === 'broken') return { kind: 'broken', outcome: first };
  const setAside = first.result.expectations.filter((e) => !e.ok);
  const paths = new Set(first.result.expectations.filter((e) => e.ok).map((e) => e.path));
  if (paths.size > 0) return { kind: 'judged', judged: { base, paths, setAside, addedDefault: false } };
  if (setAside.length === 0) throw new NothingToExplore(`${base.scenario.name} has no expectation one run can check`);
  const withDefault: Base = { ...base, withDefaultExpect: true };
  const second = baseline(withDefault, trial);
  if (second.kind === 'broken') return { kind: 'broken', outcome: second };
  const added = second.result.expectations[second.result.expectations.length - 1];
  if (!added.ok) throw new NothingToExplore(`${base.scenario.name} loses acknowledged records with no fault at all (lost: ${added.actual}); there is nothing for faults to break`);
  return { kind: 'judged', judged: { base: withDefault, paths: new Set([added.path]), setAside, addedDefault: true } };
}

function baseline(base: Base, trial: TrialOptions): Extract<TrialOutcome, { kind: 'ran' | 'broken' }> {
  const o = runTrial(base, { faults: [], workload: initialWorkload(base.scenario) }, base.scenario.seed, trial);
  if (o.kind === 'invalid') throw new Error(`explore: the workload without its timeline's faults does not validate: ${o.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  return o;
}
