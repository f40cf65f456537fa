// `kafkasim run FILE`: runs one scenario and tells its story — the notable events with the scenario's
// notes, the cluster at the end as kafka-topics prints it, consumer groups, the ledger, lost records
// with the chain that lost them, and the expectations. `--json` prints design.md §6's object instead.

import { openSync, writeSync, closeSync } from 'node:fs';
import { formatTime } from '../../sim/engine/index.ts';
import { runScenario, type RunResult } from '../scenario/run.ts';
import { parseCommandArgs, parseDurationFlag, parseSeedFlag, UsageError } from './args.ts';
import { paint, type Out, type Colour } from './io.ts';
import { loadScenario } from './load.ts';
import { tellStory, type StoryLine } from './story.ts';
import { describeGroups, describeTopics, formatLossGroup, groupLosses, runJson } from './report.ts';
import type { Command } from './main.ts';

/** Buffers trace lines and writes them to a file in large chunks (a run can make millions). */
export function fileTraceSink(path: string): { sink: (line: string) => void; close: () => void } {
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (err) {
    throw new UsageError(`--trace ${path}: cannot write (${(err as NodeJS.ErrnoException).code ?? err})`);
  }
  let buf: string[] = [];
  let size = 0;
  const flush = () => {
    if (buf.length) writeSync(fd, buf.join(''));
    buf = [];
    size = 0;
  };
  return {
    sink: (line) => {
      buf.push(line, '\n');
      size += line.length + 1;
      if (size > 1 << 20) flush();
    },
    close: () => {
      flush();
      closeSync(fd);
    },
  };
}

const KIND_COLOUR: Record<StoryLine['kind'], Colour> = {
  note: 'cyan', fault: 'red', election: 'green', unclean: 'magenta', isr: 'yellow', truncation: 'magenta', error: 'red', client: 'blue', broker: 'gray',
};

export function printStory(r: RunResult, o: Out): void {
  const { scenario, sim } = r;
  o.out(paint(o, 'bold', scenario.title ?? scenario.name) + paint(o, 'gray', `  (${scenario.name}, seed ${r.spec.seed}, ${formatTime(r.endUs)})`));
  o.out('');
  for (const line of tellStory(sim.trace.events)) {
    const time = formatTime(line.t).padStart(10);
    const text = line.kind === 'note' ? paint(o, 'cyan', `“${line.text}”`) : paint(o, KIND_COLOUR[line.kind], line.text);
    o.out(`${paint(o, 'gray', time)}  ${text}`);
  }
  o.out('');
  o.out(paint(o, 'bold', `Cluster at ${formatTime(r.endUs)} (kafka-topics --describe)`));
  for (const l of describeTopics(sim.topics())) o.out(l);
  const groups = describeGroups(sim);
  if (groups.length) {
    o.out('');
    o.out(paint(o, 'bold', 'Consumer groups (kafka-consumer-groups --describe)'));
    for (const l of groups.slice(1)) o.out(l);
  }
  printLedger(r, o);
  printExpectations(r, o);
  o.out('');
  o.out(paint(o, 'gray', `trace ${sim.trace.hash()}  (${sim.trace.count} events)`));
}

function printLedger(r: RunResult, o: Out): void {
  const s = r.sim.ledgerSummary();
  o.out('');
  const lost = s.lost > 0 ? paint(o, 'red', `lost ${s.lost}`) : `lost ${s.lost}`;
  o.out(`${paint(o, 'bold', 'Records')}  produced ${s.produced}, acked ${s.acked}, ${lost}, duplicates ${s.duplicates}, unavailable ${s.unavailable}, failed ${s.failed}, pending ${s.pending}, in flight ${s.inFlight}, consumed ${s.consumed}`);
  const groups = groupLosses(r.sim.lostRecords());
  const shown = groups.slice(0, 20);
  for (const g of shown) o.out(`  ${paint(o, 'red', '✗')} ${formatLossGroup(g)}`);
  if (groups.length > shown.length) o.out(`  … and ${groups.length - shown.length} more groups of lost records (see --json)`);
}

function printExpectations(r: RunResult, o: Out): void {
  if (r.expectations.length === 0) return;
  o.out('');
  o.out(paint(o, 'bold', 'Expectations'));
  for (const e of r.expectations) {
    const mark = e.ok ? paint(o, 'green', '✓') : paint(o, 'red', '✗');
    const when = e.atUs === undefined ? 'at end' : `at ${formatTime(e.atUs)}`;
    const detail = e.ok ? `${e.actual}` : `expected ${e.expected}, got ${e.actual}`;
    o.out(`  ${mark} ${e.check} ${when}: ${detail}  ${paint(o, 'gray', `(line ${e.line})`)}`);
  }
  o.out(r.passed ? paint(o, 'green', 'all expectations held') : paint(o, 'red', `${r.expectations.filter((e) => !e.ok).length} expectation(s) failed`));
}

export const runCommand: Command = {
  summary: 'Run one scenario and print its story: events, the cluster at the end, the ledger with loss explanations, expectations.',
  usage: 'kafkasim run FILE [--seed N] [--json] [--trace OUT.jsonl] [--until T]',
  run(argv: string[], o: Out): number {
    const { values, positionals } = parseCommandArgs('run', argv, {
      seed: { type: 'string' },
      json: { type: 'boolean' },
      trace: { type: 'string' },
      until: { type: 'string' },
    });
    if (positionals.length !== 1) throw new UsageError('kafkasim run: name exactly one scenario file');
    const seed = values.seed === undefined ? undefined : parseSeedFlag(values.seed as string);
    const untilUs = values.until === undefined ? undefined : parseDurationFlag('until', values.until as string);
    const { scenario, spec } = loadScenario(positionals[0]);
    const trace = values.trace === undefined ? undefined : fileTraceSink(values.trace as string);
    let result: RunResult;
    try {
      result = runScenario(scenario, spec, { seed, untilUs, traceSink: trace?.sink });
    } finally {
      trace?.close();
    }
    if (values.json) o.out(JSON.stringify(runJson(result), null, 2));
    else printStory(result, o);
    return result.passed ? 0 : 1;
  },
};
