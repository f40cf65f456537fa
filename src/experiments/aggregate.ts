// From a sweep's runs to its report: per cell, the share of runs that lost acknowledged data with its
// Wilson interval, the distributions of lost records and of time without a leader, duplicates,
// unavailable records, producer errors by code, the expectations each cell broke, and the cell's
// verdict. A pure function of the sweep's definition and its outcomes, sorted by (cell, seed): one
// machine, several workers or merged shards give the same report, byte for byte.

import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { formatTime } from '../../sim/engine/index.ts';
import type { Bound, Scenario } from '../scenario/index.ts';
import type { RunOutcome } from './outcome.ts';
import { cellLabel, type Axis, type Cell } from './set-keys.ts';
import { distribution, mean, round, roundProbability, wilson, type Distribution } from './stats.ts';
import { lossCaveat } from './caveats.ts';

/** What was swept: enough to merge shards and write the report without the scenario file. */
export interface SweepDefinition {
  scenario: string;
  title?: string;
  /** The scenario file's name (no folders: shards may run in different directories). */
  file: string;
  /** SHA-256 of the scenario text: shards of different files refuse to merge. */
  scenarioHash: string;
  seeds: { first: number; count: number };
  axes: Axis[];
  cells: { index: number; label: string; settings: { key: string; value: string }[] }[];
  /** The scenario's per-run expectations, checked in every run. */
  expectations: { path: string; label: string }[];
  /** The sweep-only `loss-probability` expectation, if the scenario states one. */
  lossProbability?: { path: string; bound: Bound };
  /** Every run recorded Kafka's metrics (--metrics): the cells report latency and time under min ISR. */
  metrics?: true;
}

export interface CellSummary {
  index: number;
  label: string;
  settings: { key: string; value: string }[];
  runs: number;
  /** Runs that lost at least one acknowledged record. */
  lossRuns: number;
  lossProbability: number;
  /** 95% Wilson score interval of lossProbability. */
  lossInterval: [number, number];
  lost: Distribution;
  duplicates: { mean: number; max: number; runs: number };
  unavailable: { mean: number; max: number; runs: number };
  /** Producer errors by Kafka error code, summed over runs. */
  errors: Record<string, number>;
  /** The worst partition's time without a leader per run, in ms. */
  leaderlessMs: { mean: number; max: number };
  /** Per expectation: the runs that broke it (and the first such seed). */
  expectations: { path: string; label: string; failedRuns: number; firstSeed?: number }[];
  /** Runs the simulator could not finish (a broken invariant, a bug, or the event limit), with their seeds. */
  broken: { runs: number; seeds: number[]; first?: string };
  ok: boolean;
  /** Why the cell fails, one line each. */
  problems: string[];
  /** What its verdict does not show: a loss-probability bound kept on the share while the 95% interval crosses it. */
  caveats: string[];
  /** Per seed, in seed order: for the report's distributions. */
  samples: { seed: number[]; lost: number[]; leaderlessMs: number[] };
  /**
   * With --metrics: send() to acknowledgement, ms — the median over runs of each run's p50 and p99 — and
   * the seconds per run with UnderMinIsrPartitionCount > 0.
   */
  produceLatencyMs?: { p50: number; p99: number };
  underMinIsrSeconds?: { mean: number; max: number };
}

export interface SweepReport {
  kafkasimSweep: 1;
  definition: SweepDefinition;
  runs: number;
  ok: boolean;
  cells: CellSummary[];
}

export function scenarioHash(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)));
}

function expectationLabel(e: Scenario['expect'][number]): string {
  const what = [e.check, 'partition' in e ? e.partition : undefined, 'type' in e ? e.type : undefined, 'group' in e ? e.group : undefined]
    .filter((x) => x !== undefined).join(' ');
  // what it expects: `lost = 0`, `leader orders-0 is 2`, as the file states it
  const expected = 'bound' in e ? ` ${describe(e.bound as Bound)}` : 'is' in e ? ` is ${Array.isArray(e.is) ? `[${e.is.join(', ')}]` : e.is}` : '';
  return `${what}${expected}${e.atUs === undefined ? '' : ` at ${formatTime(e.atUs)}`} (line ${e.source.line})`;
}

export function defineSweep(scenario: Scenario, fileName: string, text: string, axes: Axis[], seeds: { first: number; count: number }, cells: Cell[]): SweepDefinition {
  const perRun = scenario.expect.filter((e) => String(e.check) !== 'loss-probability');
  const lp = scenario.expect.find((e) => String(e.check) === 'loss-probability') as (Scenario['expect'][number] & { bound: Bound }) | undefined;
  const def: SweepDefinition = {
    scenario: scenario.name,
    file: fileName.split(/[\\/]/).pop() ?? fileName,
    scenarioHash: scenarioHash(text),
    seeds,
    axes,
    cells: cells.map((c) => ({ index: c.index, label: cellLabel(c.settings), settings: c.settings })),
    expectations: perRun.map((e) => ({ path: e.path, label: expectationLabel(e) })),
  };
  if (scenario.title !== undefined) def.title = scenario.title;
  if (lp) def.lossProbability = { path: lp.path, bound: lp.bound };
  return def;
}

export function seedList(seeds: SweepDefinition['seeds']): number[] {
  return Array.from({ length: seeds.count }, (_, i) => seeds.first + i);
}

/** Orders outcomes by (cell, seed), the one order every report is computed in. */
export function sortOutcomes(outcomes: readonly RunOutcome[]): RunOutcome[] {
  return [...outcomes].sort((a, b) => a.cell - b.cell || a.seed - b.seed);
}

export function aggregate(def: SweepDefinition, outcomes: readonly RunOutcome[]): SweepReport {
  const sorted = sortOutcomes(outcomes);
  const cells = def.cells.map((c) => summarizeCell(def, c, sorted.filter((o) => o.cell === c.index)));
  return { kafkasimSweep: 1, definition: def, runs: sorted.length, ok: cells.every((c) => c.ok), cells };
}

function summarizeCell(def: SweepDefinition, cell: SweepDefinition['cells'][number], runs: RunOutcome[]): CellSummary {
  const good = runs.filter((r) => r.broken === undefined);
  const lossRuns = good.filter((r) => r.lost > 0).length;
  const n = good.length;
  const [lo, hi] = wilson(lossRuns, n);
  const errors: Record<string, number> = {};
  for (const r of good) for (const code of Object.keys(r.errors)) errors[code] = (errors[code] ?? 0) + r.errors[code];
  const sortedErrors: Record<string, number> = {};
  for (const code of Object.keys(errors).sort()) sortedErrors[code] = errors[code];
  const leaderless = good.map((r) => r.leaderlessMs);
  const expectations = def.expectations.map((e) => {
    const failing = good.filter((r) => r.failed.includes(e.path));
    return { path: e.path, label: e.label, failedRuns: failing.length, ...(failing.length ? { firstSeed: failing[0].seed } : {}) };
  });
  const brokenRuns = runs.filter((r) => r.broken !== undefined);
  const summary: CellSummary = {
    index: cell.index,
    label: cell.label,
    settings: cell.settings,
    runs: runs.length,
    lossRuns,
    lossProbability: n === 0 ? 0 : roundProbability(lossRuns / n),
    lossInterval: [roundProbability(lo), roundProbability(hi)],
    lost: distribution(good.map((r) => r.lost)),
    duplicates: countStats(good.map((r) => r.duplicates)),
    unavailable: countStats(good.map((r) => r.unavailable)),
    errors: sortedErrors,
    leaderlessMs: { mean: round(mean(leaderless), 3), max: round(maxOf(leaderless), 3) },
    expectations,
    broken: { runs: brokenRuns.length, seeds: brokenRuns.map((r) => r.seed), ...(brokenRuns.length ? { first: brokenRuns[0].broken } : {}) },
    ok: true,
    problems: [],
    caveats: [],
    samples: { seed: good.map((r) => r.seed), lost: good.map((r) => r.lost), leaderlessMs: leaderless.map((x) => round(x, 3)) },
  };
  if (def.metrics) {
    const median = (xs: number[]) => {
      const s = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
      return s.length === 0 ? 0 : s[Math.floor((s.length - 1) / 2)];
    };
    summary.produceLatencyMs = { p50: round(median(good.map((r) => r.produceLatencyP50Ms ?? Number.NaN)), 3), p99: round(median(good.map((r) => r.produceLatencyP99Ms ?? Number.NaN)), 3) };
    const under = good.map((r) => r.underMinIsrSeconds ?? 0);
    summary.underMinIsrSeconds = { mean: round(mean(under), 3), max: round(maxOf(under), 3) };
  }
  summary.problems = cellProblems(def, summary);
  summary.ok = summary.problems.length === 0;
  const lp = def.lossProbability;
  const caveat = lp && lossCaveat(lp.path, lp.bound, n === 0 ? 0 : lossRuns / n, lossRuns, n);
  if (caveat) summary.caveats.push(caveat);
  return summary;
}

function countStats(values: number[]): { mean: number; max: number; runs: number } {
  return { mean: roundProbability(mean(values)), max: maxOf(values), runs: values.filter((v) => v > 0).length };
}

function maxOf(values: readonly number[]): number {
  let m = 0;
  for (const v of values) if (v > m) m = v;
  return m;
}

function cellProblems(def: SweepDefinition, c: CellSummary): string[] {
  const problems: string[] = [];
  for (const e of c.expectations) {
    if (e.failedRuns > 0) problems.push(`${e.path} ${e.label}: broken in ${e.failedRuns} of ${c.runs - c.broken.runs} runs (first at seed ${e.firstSeed})`);
  }
  const lp = def.lossProbability;
  // the exact share, not the printed one: 1 loss in 30,000 runs breaks max: 0 though it prints as 0.0%
  const n = c.runs - c.broken.runs;
  if (lp && !inBound(lp.bound, n === 0 ? 0 : c.lossRuns / n)) {
    problems.push(`${lp.path} loss-probability ${describe(lp.bound)}: was ${c.lossProbability} (${c.lossRuns} of ${c.runs - c.broken.runs} runs, 95% CI ${c.lossInterval[0]}–${c.lossInterval[1]})`);
  }
  // a broken invariant or the event limit: the message says which
  if (c.broken.runs > 0) problems.push(`the simulator failed in ${c.broken.runs} run(s), seeds ${c.broken.seeds.slice(0, 5).join(', ')}: ${c.broken.first}`);
  return problems;
}

function inBound(b: Bound, x: number): boolean {
  if ('is' in b) return x === b.is;
  return (b.min === undefined || x >= b.min) && (b.max === undefined || x <= b.max);
}

function describe(b: Bound): string {
  if ('is' in b) return `= ${b.is}`;
  return [b.min !== undefined ? `≥ ${b.min}` : '', b.max !== undefined ? `≤ ${b.max}` : ''].filter(Boolean).join(' and ');
}
