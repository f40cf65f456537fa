// What sweep and merge print and write: the table on stdout, --out as CSV or JSON by its extension,
// --html as one self-contained report (D3 inlined, so it opens offline with no server), and the
// exit code: 1 naming the cells that broke the scenario's expectations, 3 if the simulator broke.

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { SweepReport } from '../experiments/aggregate.ts';
import { formatCsv, formatJson, formatTable, replayCommand } from '../experiments/format.ts';
import { renderHtmlReport } from '../experiments/report-html.ts';
import { paint, type Out } from './io.ts';
import { readInputFile } from './inputs.ts';
import { writeOutputFile } from './outputs.ts';

/** Writes --out and --html; `inputs` are the files the command read, which they must not replace. */
export function writeReportFiles(report: SweepReport, out: readonly string[], html: string | undefined, o: Out, inputs: readonly string[]): void {
  for (const f of out) {
    writeOutputFile(f, /\.csv$/i.test(f) ? formatCsv(report) : formatJson(report), { flag: '--out', inputs });
    o.err(`wrote ${f}`);
  }
  if (html !== undefined) {
    writeOutputFile(html, renderHtmlReport(report, d3Source()), { flag: '--html', inputs });
    o.err(`wrote ${html}`);
  }
}

/** The D3 bundle the front end uses, inlined into the report. */
function d3Source(): string {
  const entry = createRequire(import.meta.url).resolve('d3');
  return readInputFile(join(dirname(entry), 'd3.min.js'));
}

/** Prints the table and returns the exit code. */
export function reportOutcome(report: SweepReport, o: Out): number {
  for (const line of formatTable(report)) o.out(line);
  const broken = report.cells.filter((c) => c.broken.runs > 0);
  const failing = report.cells.filter((c) => !c.ok);
  if (broken.length > 0) {
    o.out(paint(o, 'red', `the simulator failed (a broken invariant or the event limit): replay with ${replayCommand(report.definition, broken[0], broken[0].broken.seeds[0])}`));
    return 3;
  }
  if (failing.length > 0) {
    o.out(paint(o, 'red', `${failing.length} of ${report.cells.length} cell(s) broke the scenario's expectations: ${failing.map((c) => `cell ${c.index + 1} (${c.label})`).join('; ')}`));
    return 1;
  }
  o.out(paint(o, 'green', `every cell kept the scenario's expectations`));
  return 0;
}
