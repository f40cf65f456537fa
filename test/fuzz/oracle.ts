// What "ran cleanly" means for a fuzz run, in one place for the test and the shrinker: the scenario
// runs to its end without an exception, an invariant violation or hitting the event limit; then the
// full invariant pass that sim.run() would make (runScenario stops short of it) holds; and the ledger
// adds up (sim/kafka/ledger-port.ts): counts are whole and non-negative, nothing is both acked and failed more
// than was produced, lost and unavailable records are acked ones, and every lost record is explained.

import { parseScenario, type Scenario } from '../../src/scenario/index.ts';
import { runScenario, type RunOptions, type RunResult } from '../../src/scenario/run.ts';
import type { ClusterSpec } from '../../sim/kafka/spec.ts';
import { CLIENT_IDS, GROUPS, TOPIC_NAMES } from './generate.ts';

/** The ledger does not add up: a simulator bug that no exception announces. */
export class LedgerInconsistency extends Error {
  override readonly name = 'LedgerInconsistency';
}

/** Runs the scenario and applies every check; throws what the first failed check found. */
export function runChecked(scenario: Scenario, spec: ClusterSpec, opts: RunOptions): RunResult {
  const r = runScenario(scenario, spec, opts);
  if (r.endUs === r.spec.durationUs) for (const check of r.sim.parts.endOfRunChecks) check();
  const problems = ledgerProblems(r);
  if (problems.length > 0) throw new LedgerInconsistency(problems.join('; '));
  return r;
}

function ledgerProblems(r: RunResult): string[] {
  const sum = r.sim.ledgerSummary();
  const lost = r.sim.lostRecords();
  const p: string[] = [];
  for (const [k, v] of Object.entries(sum)) if (!Number.isInteger(v) || v < 0) p.push(`${k} is ${v}, not a count`);
  if (sum.sent > sum.produced) p.push(`sent ${sum.sent} > produced ${sum.produced}`);
  if (sum.acked + sum.failed > sum.produced) p.push(`acked ${sum.acked} + failed ${sum.failed} > produced ${sum.produced}`);
  if (sum.lost + sum.unavailable > sum.acked) p.push(`lost ${sum.lost} + unavailable ${sum.unavailable} > acked ${sum.acked}`);
  if (lost.length !== sum.lost) p.push(`lostRecords() lists ${lost.length} records, the summary says lost ${sum.lost}`);
  const unexplained = lost.filter((l) => l.text === '' || !l.explanation.some((s) => s.kind === 'acked'));
  if (unexplained.length > 0) p.push(`${unexplained.length} lost record(s) without an explanation starting at their ack`);
  let ackedByTopic = 0;
  for (const t of r.sim.topics()) ackedByTopic += r.sim.ledgerSummary({ topic: t.name }).acked;
  if (ackedByTopic !== sum.acked) p.push(`acked per topic adds up to ${ackedByTopic}, not ${sum.acked}`);
  return p;
}

/** The generator's names, blurred in signatures so "no node called audit" and "… billing-1" are one failure. */
const NAMES = new RegExp(`(?<![\\w.-])(${[...CLIENT_IDS, ...GROUPS, ...TOPIC_NAMES].map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})(?![\\w.])`, 'g');

/** What went wrong in a run, as a stable string: class and message with numbers and names blurred. */
export function signature(err: unknown): string {
  const e = err instanceof Error ? err : new Error(String(err));
  const reason = (e as { reason?: unknown }).reason;
  const inner = reason instanceof Error ? `${reason.name}: ${reason.message}` : e.message;
  return `${e.name}: ${inner}`
    .replace(/scenario \S+, seed \d+:?\s*/g, '')
    .replace(/"[^"]*"/g, '"…"')
    .replace(NAMES, '<name>')
    .replace(/\d+(\.\d+)?/g, 'N')
    .slice(0, 300);
}

/** What kind of failure: an exception, an invariant violation, the event limit, or a ledger that does not add up. */
export function kindOf(err: unknown): string {
  if (!(err instanceof Error)) return 'exception';
  if (err.name === 'InvariantViolation') return 'invariant violation (end-of-run pass)';
  if (err.name === 'LedgerInconsistency') return 'ledger inconsistency';
  if (err.name !== 'SimulationFailure') return 'exception';
  const reason = (err as Error & { reason?: Error }).reason;
  if (reason?.name === 'InvariantViolation') return 'invariant violation';
  if (reason?.name === 'EventLimitExceeded') return 'event limit';
  return 'simulation failure';
}

/** Runs a scenario text; the failure, or undefined when it runs cleanly (or does not validate). */
export function failureOf(text: string, opts: RunOptions): { signature: string; error: unknown } | undefined {
  const parsed = parseScenario(text, 'fuzz.yaml');
  if (!parsed.ok) return undefined;
  try {
    runChecked(parsed.scenario, parsed.spec, opts);
    return undefined;
  } catch (error) {
    return { signature: signature(error), error };
  }
}
