// A sweep report as text: the terminal table a person reads, CSV for a spreadsheet, and JSON for
// programs. Only the report's own numbers go in (no wall-clock times, no host names), so the same
// sweep prints the same bytes on one machine, several workers or merged shards.

import type { CellSummary, SweepReport } from './aggregate.ts';

/** A share as a percentage to 0.1%; one that rounds to 0.0% but is not 0 reads <0.1% (a loss is never printed as none). */
const pct = (x: number) => (x > 0 && x < 0.0005 ? '<0.1%' : `${(x * 100).toFixed(1)}%`);

/** The terminal table: one row per cell, then what broke and the producer errors. */
export function formatTable(r: SweepReport): string[] {
  const d = r.definition;
  const lines: string[] = [];
  const seeds = d.seeds.count === 1 ? `seed ${d.seeds.first}` : `seeds ${d.seeds.first}–${d.seeds.first + d.seeds.count - 1}`;
  lines.push(`sweep ${d.scenario} (${d.file}): ${d.cells.length} cell(s) × ${seeds}, ${r.runs} runs`);
  lines.push('');
  const header = [
    'cell', ...d.axes.map((a) => a.key), 'runs', 'lost data', '95% CI', 'lost mean', 'p50', 'p99', 'max', 'dups', 'unavail', 'no leader mean', 'max',
    ...(d.metrics ? ['latency p50', 'p99', 'under min ISR'] : []), 'ok',
  ];
  const rows = r.cells.map((c) => [
    String(c.index + 1),
    ...c.settings.map((s) => s.value),
    String(c.runs),
    `${pct(c.lossProbability)} (${c.lossRuns})`,
    `${pct(c.lossInterval[0])}–${pct(c.lossInterval[1])}`,
    String(c.lost.mean),
    String(c.lost.p50),
    String(c.lost.p99),
    String(c.lost.max),
    String(c.duplicates.mean),
    String(c.unavailable.mean),
    seconds(c.leaderlessMs.mean),
    seconds(c.leaderlessMs.max),
    ...(d.metrics ? [latency(c.produceLatencyMs?.p50 ?? 0), latency(c.produceLatencyMs?.p99 ?? 0), seconds((c.underMinIsrSeconds?.mean ?? 0) * 1000)] : []),
    c.ok ? 'yes' : 'NO',
  ]);
  // right-aligned: the numbers, from runs to the last before ok; the cell number and the keys' values read left-aligned
  lines.push(...alignColumns([header, ...rows], header.length - d.axes.length - 2));
  const errors = r.cells.filter((c) => Object.keys(c.errors).length > 0);
  if (errors.length > 0) {
    lines.push('', 'producer errors by code (all runs of a cell):');
    for (const c of errors) lines.push(`  cell ${c.index + 1}: ${Object.entries(c.errors).map(([code, n]) => `${code} ${n}`).join(', ')}`);
  }
  const failing = r.cells.filter((c) => !c.ok);
  if (failing.length > 0) {
    lines.push('', 'expectations broken:');
    for (const c of failing) {
      lines.push(`  cell ${c.index + 1} (${c.label}):`);
      for (const p of c.problems) lines.push(`    ${p}`);
      const seed = replaySeed(c);
      if (seed !== undefined) lines.push(`    replay: ${replayCommand(d, c, seed)}`);
    }
  }
  const uncertain = r.cells.filter((c) => c.caveats.length > 0);
  if (uncertain.length > 0) {
    lines.push('', 'kept, but not shown by these runs:');
    for (const c of uncertain) for (const x of c.caveats) lines.push(`  cell ${c.index + 1}: ${x}`);
  }
  return lines;
}

/** A latency as a person reads it: 7.4ms, or 16.2s rather than 16244.736ms (the files keep the ms). */
function latency(ms: number): string {
  return ms >= 1000 ? seconds(ms) : `${Number(ms.toFixed(1))}ms`;
}

/** The seed that shows a cell's failure: a run the simulator could not finish, else the first that broke an expectation or lost data. */
function replaySeed(c: CellSummary): number | undefined {
  if (c.broken.seeds.length > 0) return c.broken.seeds[0];
  const firsts = c.expectations.filter((e) => e.firstSeed !== undefined).map((e) => e.firstSeed!);
  if (firsts.length > 0) return Math.min(...firsts);
  const i = c.samples.lost.findIndex((n) => n > 0);
  return i >= 0 ? c.samples.seed[i] : undefined;
}

/** `kafkasim run FILE --seed N --set KEY=VALUE …`: one run of a cell, as the sweep ran it. */
export function replayCommand(d: SweepReport['definition'], c: { settings: { key: string; value: string }[] }, seed: number): string {
  return [`kafkasim run ${shellWord(d.file)} --seed ${seed}`, ...c.settings.map((x) => `--set ${shellWord(`${x.key}=${x.value}`)}`)].join(' ');
}

/** A word a POSIX shell reads as it is: quoted when it holds spaces, braces or anything else it would interpret. */
function shellWord(w: string): string {
  return /^[A-Za-z0-9_.,:=/@%+-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}

function seconds(ms: number): string {
  return ms === 0 ? '0s' : `${(ms / 1000).toFixed(1)}s`;
}

/** Pads columns; the last `numeric` columns before the final one are right-aligned. */
function alignColumns(table: string[][], numeric: number): string[] {
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
  const firstNumeric = table[0].length - 1 - numeric;
  return table.map((row) =>
    row.map((cell, i) => (i >= firstNumeric && i < row.length - 1 ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('  ').trimEnd(),
  );
}

const CSV_COLUMNS = [
  'runs', 'loss_runs', 'loss_probability', 'loss_ci_low', 'loss_ci_high', 'lost_mean', 'lost_p50', 'lost_p99', 'lost_max',
  'duplicates_mean', 'duplicates_max', 'duplicate_runs', 'unavailable_mean', 'unavailable_max', 'unavailable_runs',
  'leaderless_ms_mean', 'leaderless_ms_max', 'producer_errors', 'broken_expectations', 'invariant_failures', 'ok',
] as const;

function csvRow(c: CellSummary): (string | number)[] {
  return [
    c.runs, c.lossRuns, c.lossProbability, c.lossInterval[0], c.lossInterval[1], c.lost.mean, c.lost.p50, c.lost.p99, c.lost.max,
    c.duplicates.mean, c.duplicates.max, c.duplicates.runs, c.unavailable.mean, c.unavailable.max, c.unavailable.runs,
    c.leaderlessMs.mean, c.leaderlessMs.max,
    Object.entries(c.errors).map(([code, n]) => `${code}=${n}`).join(';'),
    c.expectations.filter((e) => e.failedRuns > 0).map((e) => `${e.path}=${e.failedRuns}`).join(';'),
    c.broken.runs, c.ok ? 'true' : 'false',
  ];
}

/** RFC 4180: quote a field holding a comma, quote or line break. */
function field(v: string | number): string {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function formatCsv(r: SweepReport): string {
  const m = r.definition.metrics === true;
  const header = ['cell', ...r.definition.axes.map((a) => a.key), ...CSV_COLUMNS, ...(m ? ['produce_latency_p50_ms', 'produce_latency_p99_ms', 'under_min_isr_s_mean', 'under_min_isr_s_max'] : [])];
  const rows = r.cells.map((c) => [
    c.index + 1, ...c.settings.map((s) => s.value), ...csvRow(c),
    ...(m ? [c.produceLatencyMs?.p50 ?? '', c.produceLatencyMs?.p99 ?? '', c.underMinIsrSeconds?.mean ?? '', c.underMinIsrSeconds?.max ?? ''] : []),
  ]);
  return [header, ...rows].map((row) => row.map(field).join(',')).join('\r\n') + '\r\n';
}

export function formatJson(r: SweepReport): string {
  return JSON.stringify(r, null, 2) + '\n';
}
