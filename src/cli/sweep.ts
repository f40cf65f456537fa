// `kafkasim sweep FILE --set KEY=V1,V2 … --seeds N`: a config grid × N seeds on the same failure
// timings, run across worker threads (or one shard of it with --shard I/N), printed as a table and
// written as CSV, JSON or a self-contained HTML report. Exit 0 when every cell kept the scenario's
// expectations, 1 naming the cells that broke them, 2 for bad input, 3 if the simulator broke an
// invariant in any run. Ctrl-C (or SIGTERM) stops the workers and reports the runs that finished (exit 130).

import { availableParallelism } from 'node:os';
import { aggregate, type SweepReport } from '../experiments/aggregate.ts';
import { startRuns, workerCount } from '../experiments/runner.ts';
import { parseSetFlag, SetKeyError, type Axis } from '../experiments/set-keys.ts';
import { parseShard, WHOLE, type ShardFile } from '../experiments/shard.ts';
import { planSweep } from '../experiments/sweep.ts';
import { FAULT_KINDS } from '../experiments/explore/schedule.ts';
import { parseCommandArgs, parseIntFlag, parseSeedsFlag, UsageError } from './args.ts';
import type { Out } from './io.ts';
import { readScenarioFile } from './inputs.ts';
import { checkWritableOutput, writeOutputFile } from './outputs.ts';
import { loadScenario } from './load.ts';
import type { Command } from './main.ts';
import { startProgress } from './progress.ts';
import { reportOutcome, writeReportFiles } from './sweep-output.ts';

export const INTERRUPTED = 130;

export const sweepCommand: Command = {
  summary:
    'Run a scenario over a grid of configs × N seeds (the same seeds, so the same failure timings, in every cell) and report, per cell, ' +
    'how often acknowledged records were lost (95% Wilson interval), how many, duplicates, unavailability, producer errors and time without a leader.',
  usage: [
    'kafkasim sweep FILE --set KEY=V1,V2 [--set …] --seeds N|A-B [--workers K] [--shard I/N|auto/N|auto]',
    '                    [--metrics] [--out F.csv|F.json] [--html F.html]',
    '',
    'keys:   producer.<id>.<config>  consumer.<id>.<config>  topic.<name>.<config>  broker.<config>  broker.<id>.<config>',
    '        network.latency  timeline.<index>.at  cluster.<field>  duration      (values as in the scenario file: 30s, all, {min: 1ms, max: 4ms})',
    '--seeds  N runs seeds 1..N; A-B runs seeds A..B',
    '--workers  worker threads (default: every core)',
    '--metrics  also record Kafka\'s metrics in every run and report, per cell, produce latency (send() to\n' +
      '         acknowledgement, the median run\'s p50 and p99) and time under min ISR: what acks=all costs and buys (runs take about half again as long)',
    '--shard  run one slice: I/N; auto/N takes I from JOB_COMPLETION_INDEX (Kubernetes Indexed Job); auto reads a Slurm job array.',
    '         --out F.json then writes a shard file for `kafkasim merge`',
    'exit:   0 every cell kept the expectations, 1 a cell broke one (named), 2 bad input, 3 a simulator invariant broke, 130 interrupted;',
    '        a shard exits 0 once its file is written (3 if the simulator broke): merge judges the expectations',
  ].join('\n'),
  run: (argv, o) => sweep(argv, o),
};

interface SweepArgs {
  file: string;
  axes: Axis[];
  seeds: { first: number; count: number };
  workers: number;
  shardText?: string;
  out: string[];
  html?: string;
  metrics: boolean;
}

function readArgs(argv: string[]): SweepArgs {
  const { values, positionals } = parseCommandArgs('sweep', argv, {
    set: { type: 'string', multiple: true },
    seeds: { type: 'string' },
    workers: { type: 'string' },
    shard: { type: 'string' },
    out: { type: 'string', multiple: true },
    html: { type: 'string' },
    metrics: { type: 'boolean' },
  });
  if (positionals.length !== 1) throw new UsageError('kafkasim sweep: name one scenario file');
  if (values.seeds === undefined) throw new UsageError('kafkasim sweep: --seeds N is required (e.g. --seeds 1000)');
  const workers = values.workers === undefined ? availableParallelism() : parseIntFlag('workers', values.workers as string);
  if (workers < 1) throw new UsageError('--workers: at least 1');
  const out = (values.out as string[] | undefined) ?? [];
  for (const f of out) if (!/\.(csv|json)$/i.test(f)) throw new UsageError(`--out ${f}: the name must end in .csv or .json`);
  const html = values.html as string | undefined;
  if (html !== undefined && !/\.html?$/i.test(html)) throw new UsageError(`--html ${html}: the name must end in .html`);
  // before the runs, not after them: a sweep may take minutes
  for (const f of out) checkWritableOutput(f, { flag: '--out', inputs: positionals });
  if (html !== undefined) checkWritableOutput(html, { flag: '--html', inputs: positionals });
  return {
    file: positionals[0],
    axes: ((values.set as string[] | undefined) ?? []).map(asUsage(parseSetFlag)),
    seeds: parseSeedsFlag(values.seeds as string),
    workers,
    shardText: values.shard as string | undefined,
    out,
    html,
    metrics: values.metrics === true,
  };
}

/** SetKeyError is the experiments' word for a usage error. */
function asUsage<A, R>(f: (a: A) => R): (a: A) => R {
  return (a) => {
    try {
      return f(a);
    } catch (e) {
      if (e instanceof SetKeyError) throw new UsageError(e.message);
      throw e;
    }
  };
}

async function sweep(argv: string[], o: Out): Promise<number> {
  const a = readArgs(argv);
  loadScenario(a.file); // a bad file is reported as itself (exit 2), before any key is looked at
  const text = readScenarioFile(a.file);
  const shard = a.shardText === undefined ? WHOLE : asUsage((t: string) => parseShard(t, process.env))(a.shardText);
  if (a.shardText !== undefined && (a.out.length !== 1 || !/\.json$/i.test(a.out[0]) || a.html !== undefined)) {
    throw new UsageError('--shard writes a shard file: give exactly --out F.json (then `kafkasim merge` the shards into CSV, JSON or HTML)');
  }
  const plan = asUsage(() => planSweep(text, a.file, a.axes, a.seeds, shard, { metrics: a.metrics }))(undefined);
  // as many as the runner starts, so the line below and the note say what runs
  const workers = workerCount(a.workers, plan.tasks.length);
  // --shard 1/1 (a one-pod Indexed Job, a Slurm array of one) is still a shard: its file is for merge
  const sharded = a.shardText !== undefined;
  const shardNote = sharded ? ` (shard ${shard.index}/${shard.count})` : '';
  o.err(`sweep ${plan.definition.scenario}: ${plan.definition.cells.length} cell(s) × ${a.seeds.count} seeds${shardNote} = ${plan.tasks.length} runs on ${workers} worker(s)`);
  // a sweep with no fault measures a healthy cluster: "0% lost" then says nothing about failures
  if (plan.faultless) o.err(`note: ${plan.definition.scenario}'s timeline has no fault (${FAULT_KINDS.join(', ')}): every run sees a healthy cluster, so its losses say nothing about failures`);
  const cores = availableParallelism();
  if (workers > cores) o.err(`note: --workers ${workers} on ${cores} core(s): workers beyond the cores do not run faster, and each holds a model of its own in memory`);

  const started = process.hrtime.bigint();
  const progress = startProgress(o, 'sweep', plan.tasks.length, 'runs');
  let finished = 0;
  const running = startRuns(plan.job, plan.tasks, { workers, onOutcome: () => progress.update(++finished) });
  // Ctrl-C, and SIGTERM, which a cancelled CI job or an evicted Kubernetes pod gets: print what finished
  const onSigint = () => running.stop();
  process.once('SIGINT', onSigint);
  process.once('SIGTERM', onSigint);
  const { outcomes, stopped } = await running.done.finally(() => {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
    progress.stop();
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  o.err(`${outcomes.length} runs in ${seconds.toFixed(1)} s on ${workers} worker(s) (${(outcomes.length / Math.max(seconds, 1e-9)).toFixed(0)} runs/s)`);

  if (stopped) {
    const partial = aggregate(plan.definition, outcomes);
    o.err(`interrupted: ${outcomes.length} of ${plan.tasks.length} runs finished; no files written. What finished:`);
    // on stdout too, which is often a file: the table's seeds are the sweep's, not the ones that ran
    o.out(`INTERRUPTED: only ${outcomes.length} of the sweep's ${plan.tasks.length} runs finished; the table counts those alone`);
    reportOutcome(partial, o);
    return INTERRUPTED;
  }
  if (sharded) {
    const file: ShardFile = { kafkasimShard: 1, shard, definition: plan.definition, outcomes: [...outcomes].sort((x, y) => x.cell - y.cell || x.seed - y.seed) };
    writeOutputFile(a.out[0], JSON.stringify(file) + '\n', { flag: '--out', inputs: [a.file] });
    o.out(`shard ${shard.index}/${shard.count} of ${plan.definition.scenario}: ${outcomes.length} runs written to ${a.out[0]}; combine the shards with: kafkasim merge SHARD… [--out F.csv] [--html F.html]`);
    return outcomes.some((x) => x.broken !== undefined) ? 3 : 0;
  }
  const report: SweepReport = aggregate(plan.definition, outcomes);
  // the table first: a file that cannot be written (exit 2) does not take the sweep's results with it
  const code = reportOutcome(report, o);
  writeReportFiles(report, a.out, a.html, o, [a.file]);
  return code;
}

