// kafkasim as a library (the package's main export): validate a scenario, run it, and read what the
// command prints — the verdict of each expectation, the ledger, the lost records with the chain of
// events that lost each one, and the trace hash that identifies the run. The same code as
// `kafkasim run`; nothing here touches files, the terminal or the clock.
//
//   import { runScenarioText } from 'kafkasim';
//   const r = runScenarioText(readFileSync('my.yaml', 'utf8'), { fileName: 'my.yaml', seed: 7 });
//   if (!r.ok) console.error(r.errors.join('\n'));
//   else console.log(r.passed, r.ledger.lost, r.lost.map((x) => x.text));

import { formatError, parseScenario, type Scenario } from '../scenario/index.ts';
import { runScenario, type RunResult } from '../scenario/run.ts';
import type { ExpectationResult } from '../scenario/verdict.ts';
import type { LedgerSummary, LostRecord } from '../../sim/kafka/ledger-port.ts';
import type { ClusterSpec } from '../../sim/kafka/spec.ts';

export { parseScenario, formatError, EVENT_TYPES, EXPECTATION_CHECKS, TIMELINE_ACTIONS } from '../scenario/index.ts';
export type { ParseResult, Scenario, ScenarioError, Expectation } from '../scenario/index.ts';
export { runScenario, type RunOptions, type RunResult } from '../scenario/run.ts';
export type { ExpectationResult } from '../scenario/verdict.ts';
export type { LedgerSummary, LostRecord } from '../../sim/kafka/ledger-port.ts';
export type { ClusterSpec } from '../../sim/kafka/spec.ts';

export interface RunTextOptions {
  /** Names the file in error messages (default `scenario.yaml`). */
  fileName?: string;
  /** Overrides the scenario's seed, as `--seed` does. */
  seed?: number;
  /** Stops at this simulated time (µs), as `--until` does; later expectations are not checked. */
  untilUs?: number;
}

/** A run's outcome, as `kafkasim run --json` reports it, plus the run itself for deeper reading. */
export interface RunVerdict {
  ok: true;
  scenario: Scenario;
  seed: number;
  /** Every expectation held. */
  passed: boolean;
  expectations: ExpectationResult[];
  ledger: LedgerSummary;
  lost: LostRecord[];
  /** SHA-256 of the trace's JSONL: two runs are the same run iff these match. */
  traceHash: string;
  events: number;
  /** The finished run: `run.sim` answers what the command's story prints (topics, groups, …). */
  run: RunResult;
}

export interface InvalidScenario {
  ok: false;
  /** `file:line:column  path  message`, one per problem, as `kafkasim validate` prints them. */
  errors: string[];
}

/** Validates a scenario's text and runs it with its expectations; a bad scenario returns its errors. */
export function runScenarioText(text: string, opts: RunTextOptions = {}): RunVerdict | InvalidScenario {
  const parsed = parseScenario(text, opts.fileName ?? 'scenario.yaml');
  if (!parsed.ok) return { ok: false, errors: parsed.errors.map(formatError) };
  return verdictOf(runScenario(parsed.scenario, parsed.spec as ClusterSpec, { seed: opts.seed, untilUs: opts.untilUs, keepTrace: false }));
}

function verdictOf(r: RunResult): RunVerdict {
  return {
    ok: true, scenario: r.scenario, seed: r.spec.seed, passed: r.passed, expectations: r.expectations,
    ledger: r.sim.ledgerSummary(), lost: r.sim.lostRecords(), traceHash: r.sim.trace.hash(), events: r.sim.trace.count, run: r,
  };
}
