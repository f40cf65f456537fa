// One trial: a candidate written as a scenario, validated, and run with its run seed. The outcome is
// the run (with its expectations checked), a candidate the validator refuses (the shrinker's
// problem, not the user's: such a candidate simply does not fail), or a simulator failure.

import { parseScenario, type ScenarioError } from '../../scenario/index.ts';
import { runScenario, SimulationFailure, type RunResult } from '../../scenario/run.ts';
import { scenarioText, type Base } from './document.ts';
import type { Candidate } from './shrink.ts';

export type TrialOutcome =
  | { kind: 'ran'; result: RunResult; text: string }
  | { kind: 'invalid'; errors: ScenarioError[]; text: string }
  | { kind: 'broken'; failure: SimulationFailure; text: string };

export interface TrialOptions {
  /** Check the simulator's invariants after every event (slower; finds simulator bugs). */
  checkInvariants: boolean;
}

export function runTrial(base: Base, c: Candidate, runSeed: number, opts: TrialOptions): TrialOutcome {
  const text = scenarioText(base, c, { seed: runSeed, expect: 'original' });
  // the text is YAML even when the explored file was JSON
  const parsed = parseScenario(text, base.fileName.replace(/\.json$/i, '.yaml'));
  if (!parsed.ok) return { kind: 'invalid', errors: parsed.errors, text };
  try {
    const result = runScenario(parsed.scenario, parsed.spec, { trace: false, checkInvariants: opts.checkInvariants });
    return { kind: 'ran', result, text };
  } catch (err) {
    if (err instanceof SimulationFailure) return { kind: 'broken', failure: err, text };
    throw err;
  }
}

/** The first expectation (in file order) that failed, by its path (`expect[2]`), or undefined. */
export function firstFailure(r: RunResult): RunResult['expectations'][number] | undefined {
  return r.expectations.find((e) => !e.ok);
}
