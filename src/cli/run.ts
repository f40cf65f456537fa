// `kafkasim run FILE`: runs one scenario and tells its story — the notable events with the scenario's
// notes, the cluster at the end as kafka-topics prints it, consumer groups, the ledger, lost records
// with the chain that lost them, and the expectations. `--json` prints one JSON object instead (report.ts).

import { basename } from 'node:path';
import { formatTime, Scheduler } from '../../sim/engine/index.ts';
import type { TraceSink } from '../../sim/engine/trace.ts';
import { configNumber } from '../../sim/kafka/config.ts';
import type { ClusterSpec } from '../../sim/kafka/spec.ts';
import type { RunResult } from '../scenario/run.ts';
import { isOverRuns } from '../scenario/index.ts';
import { parseCommandArgs, parseDurationFlag, parseEventLimitFlag, parseSeedFlag, UsageError } from './args.ts';
import { Interrupted, runInSlices, watchInterrupt } from './drive.ts';
import { paint, type Out, type Colour } from './io.ts';
import { loadWithSettings } from './run-settings.ts';
import { runProgress } from './progress.ts';
import { StoryTeller, type StoryLine } from './story.ts';
import { TraceFile, traceHeader } from './trace-file.ts';
import { describeGroups, describeTopics, topicDescribeStyleOf, formatLossGroup, groupLosses, runJson } from './report.ts';
import { formatQuorumStatus } from './kafka-format.ts';
import { metricsCsv, metricsFormat, metricsOpenMetrics, standardAlerts } from './metrics-output.ts';
import { checkOutputPath, writeOutputFile } from './outputs.ts';
import type { Command } from './main.ts';

const KIND_COLOUR: Record<StoryLine['kind'], Colour> = {
  note: 'cyan', fault: 'red', election: 'green', unclean: 'magenta', isr: 'yellow', truncation: 'magenta', error: 'red', client: 'blue', broker: 'gray',
};

/** Prints the story of a run whose notable events were told to `story` as they were recorded. */
export function printStory(r: RunResult, story: readonly StoryLine[], o: Out): void {
  const { scenario, sim } = r;
  o.out(paint(o, 'bold', scenario.title ?? scenario.name) + paint(o, 'gray', `  (${scenario.name}, seed ${r.spec.seed}, ${formatTime(r.endUs)})`));
  o.out('');
  for (const line of story) {
    const time = formatTime(line.t).padStart(10);
    const text = line.kind === 'note' ? paint(o, 'cyan', `“${line.text}”`) : paint(o, KIND_COLOUR[line.kind], line.text);
    o.out(`${paint(o, 'gray', time)}  ${text}`);
  }
  o.out('');
  o.out(paint(o, 'bold', `Cluster at ${formatTime(r.endUs)} (kafka-topics --describe)`));
  for (const l of describeTopics(sim.topics(), topicDescribeStyleOf(sim.spec))) o.out(l);
  const quorum = sim.quorumView();
  if (quorum) {
    o.out('');
    o.out(paint(o, 'bold', 'Controller quorum (kafka-metadata-quorum describe --status)'));
    for (const l of formatQuorumStatus(quorum)) o.out(l);
  }
  const groups = describeGroups(sim);
  if (groups.length) {
    o.out('');
    o.out(paint(o, 'bold', 'Consumer groups (kafka-consumer-groups --describe)'));
    for (const l of groups.slice(1)) o.out(l);
  }
  printAlerts(r, o);
  printLedger(r, o);
  printExpectations(r, o);
  o.out('');
  o.out(paint(o, 'gray', `trace ${sim.trace.hash()}  (${sim.trace.count} events)`));
}

/**
 * The story's Alerts come from the metrics part, which reads every partition's state after each
 * event: on a big cluster that costs several times the run itself (1,000 brokers and 2,000
 * partitions: 12.4 s against 2.6 s without; 10,000 partitions: over a minute against 7.7 s). Above
 * this many partitions the story leaves them out unless --metrics asks for them (or the scenario's
 * expectations need them). The page draws the line at 200 for the same reason.
 */
export const STORY_METRICS_MAX_PARTITIONS = 1000;

/** The partitions the scenario's topics start with (as the page counts them). */
function initialPartitions(spec: ClusterSpec): number {
  let n = 0;
  for (const t of spec.topics) n += t.partitions ?? t.replicas?.length ?? configNumber('broker', 'num.partitions', spec.brokerConfig);
  return n;
}

/** The moments a standard alert (UnderMinIsrPartitionCount, OfflinePartitionsCount, UnderReplicatedPartitions > 0) fired and cleared. */
function printAlerts(r: RunResult, o: Out): void {
  const m = r.sim.parts.metrics;
  if (m === undefined) {
    const n = initialPartitions(r.spec);
    if (n > STORY_METRICS_MAX_PARTITIONS) {
      o.out('');
      o.out(paint(o, 'bold', 'Alerts') + paint(o, 'gray', `  not recorded for a cluster of ${n} partitions (above ${STORY_METRICS_MAX_PARTITIONS}, recording Kafka's metrics would cost several times the run): --metrics out.csv records them`));
    }
    return;
  }
  const alerts = standardAlerts(m.result());
  o.out('');
  o.out(paint(o, 'bold', 'Alerts') + paint(o, 'gray', '  (what a standard alert on Kafka\'s metrics would have said: value > 0)'));
  if (alerts.length === 0) o.out('  none fired');
  for (const a of alerts) {
    const cleared = a.clearedUs === undefined ? paint(o, 'red', 'still firing at the end') : `cleared at ${formatTime(a.clearedUs)}`;
    o.out(`  ${paint(o, 'gray', formatTime(a.firedUs).padStart(10))}  ${paint(o, 'red', 'FIRING')} ${a.metric} > 0 (peak ${a.peak}), ${cleared}`);
  }
}

function printLedger(r: RunResult, o: Out): void {
  const s = r.sim.ledgerSummary();
  o.out('');
  const lost = s.lost > 0 ? paint(o, 'red', `lost ${s.lost}`) : `lost ${s.lost}`;
  o.out(`${paint(o, 'bold', 'Records')}  produced ${s.produced}, acked ${s.acked}, ${lost}, duplicates ${s.duplicates}, unavailable ${s.unavailable}, failed ${s.failed}, pending ${s.pending}, in flight ${s.inFlight}, consumed ${s.consumed}${retentionCounts(s)}`);
  const groups = groupLosses(r.sim.lostRecords());
  const shown = groups.slice(0, 20);
  for (const g of shown) o.out(`  ${paint(o, 'red', '✗')} ${formatLossGroup(g)}`);
  if (groups.length > shown.length) o.out(`  … and ${groups.length - shown.length} more groups of lost records (see --json)`);
  printProcessing(r, o);
}

/** What the consumer groups' applications processed twice or skipped, each run of offsets explained. */
function printProcessing(r: RunResult, o: Out): void {
  const withApp = r.spec.consumers.some((c) => c.application !== undefined);
  const anomalies = r.sim.ledger.processingAnomalies();
  if (!withApp && anomalies.length === 0) return;
  for (const g of [...new Set(r.spec.consumers.map((c) => c.group))].sort()) {
    const p = r.sim.ledger.processing({ group: g });
    const dup = p.duplicatesProcessed > 0 ? paint(o, 'yellow', `processed more than once ${p.duplicatesProcessed}`) : 'processed more than once 0';
    const skipped = p.skipped > 0 ? paint(o, 'red', `skipped ${p.skipped}`) : 'skipped 0';
    o.out(`${paint(o, 'bold', 'Group')} ${g}  processed ${p.processed}, ${dup}, ${skipped}`);
  }
  const shown = anomalies.slice(0, 20);
  for (const a of shown) o.out(`  ${a.kind === 'skipped' ? paint(o, 'red', '✗') : paint(o, 'yellow', '↻')} ${a.text}`);
  if (anomalies.length > shown.length) o.out(`  … and ${anomalies.length - shown.length} more runs of offsets processed twice or skipped`);
}

/** Retention's counts, once it touched the run: acked records it deleted (not lost), offsets consumers skipped. */
function retentionCounts(s: { deleted: number; outOfRangeSkipped: number }): string {
  return (s.deleted > 0 ? `, deleted by retention ${s.deleted}` : '') + (s.outOfRangeSkipped > 0 ? `, skipped out of range ${s.outOfRangeSkipped}` : '');
}

function printExpectations(r: RunResult, o: Out): void {
  const unchecked = uncheckedExpectations(r);
  if (r.expectations.length === 0 && unchecked === 0) return;
  o.out('');
  o.out(paint(o, 'bold', 'Expectations'));
  for (const e of r.expectations) {
    const mark = e.ok ? paint(o, 'green', '✓') : paint(o, 'red', '✗');
    const when = e.atUs === undefined ? 'at end' : `at ${formatTime(e.atUs)}`;
    const detail = e.ok ? `${e.actual}` : `expected ${e.expected}, got ${e.actual}`;
    o.out(`  ${mark} ${e.check} ${when}: ${detail}  ${paint(o, 'gray', `(line ${e.line})`)}`);
  }
  const failed = r.expectations.filter((e) => !e.ok).length;
  const notChecked = unchecked === 0 ? '' : `; ${unchecked} not checked (due after ${formatTime(r.endUs)}, where --until stopped the run)`;
  if (failed > 0) o.out(paint(o, 'red', `${failed} expectation(s) failed`) + notChecked);
  else if (unchecked === 0) o.out(paint(o, 'green', 'all expectations held'));
  else o.out(paint(o, 'yellow', `${r.expectations.length} checked expectation(s) held${notChecked}`));
}

/** Expectations of one run that the run did not reach (it stopped early, --until): never "held". */
export function uncheckedExpectations(r: RunResult): number {
  return r.scenario.expect.filter((e) => !isOverRuns(e)).length - r.expectations.length;
}

/** The engine's default event limit, for --help. */
const DEFAULT_EVENT_LIMIT = new Scheduler().eventLimit;

export const INTERRUPTED = 130;

export const runCommand: Command = {
  summary: 'Run one scenario and print its story: events, the cluster at the end, the ledger with loss explanations, expectations.',
  usage: [
    'kafkasim run FILE [--seed N] [--set KEY=VALUE …] [--json] [--trace OUT.jsonl[.gz]] [--metrics OUT.csv|OUT.prom] [--until T] [--event-limit N]',
    '',
    '--set          a sweep\'s key with one value (producer.checkout.acks=1): replays a sweep cell as the sweep ran it',
    '--trace        write every event as JSON lines to OUT, after a header line naming the scenario and seed',
    '               (OUT.jsonl.gz: gzipped; the front end opens either). Written whole or not at all: a run that',
    '               fails or is interrupted leaves no file; never over the scenario file itself',
    '--metrics      write Kafka\'s metrics (UnderReplicatedPartitions, OfflinePartitionsCount, record-send-rate, …) sampled',
    '               every simulated second and at every change: OUT.csv (a column per metric, units in the header) or',
    '               OUT.prom (OpenMetrics text with timestamps). The story lists the standard alerts either way',
    '--until        stop at simulated time T (no later than the scenario duration); expectations after it are not checked',
    `--event-limit  the most events the run may take (default ${DEFAULT_EVENT_LIMIT}); a run that needs more stops there`,
    '',
    'The trace streams to its hash and to --trace as the run goes: memory does not grow with the trace.',
    'On a terminal, a run longer than a few seconds shows its progress on stderr; Ctrl-C stops it and says where.',
    'exit:  0 every expectation held, 1 an expectation failed, 2 bad input or usage (or an output that cannot be written),',
    '       3 the simulator broke an invariant or the run hit its event limit (the message says which), 130 interrupted',
  ].join('\n'),
  run: (argv, o) => runMain(argv, o),
};

async function runMain(argv: string[], o: Out): Promise<number> {
  const { values, positionals } = parseCommandArgs('run', argv, {
    seed: { type: 'string' },
    set: { type: 'string', multiple: true },
    json: { type: 'boolean' },
    trace: { type: 'string' },
    until: { type: 'string' },
    'event-limit': { type: 'string' },
    metrics: { type: 'string' },
  });
  if (positionals.length !== 1) throw new UsageError('kafkasim run: name exactly one scenario file');
  const file = positionals[0];
  const seed = values.seed === undefined ? undefined : parseSeedFlag(values.seed as string);
  const untilUs = values.until === undefined ? undefined : parseDurationFlag('until', values.until as string);
  const eventLimit = parseEventLimitFlag(values['event-limit'] as string | undefined);
  const { scenario, spec, text } = loadWithSettings(file, (values.set as string[] | undefined) ?? []);
  // as describe --at: a moment after the end is a mistake to say, not to run past silently
  if (untilUs !== undefined && untilUs > spec.durationUs) throw new UsageError(`--until ${values.until} is after the end of the scenario (${formatTime(spec.durationUs)}): the run stops there anyway`);
  const tracePath = values.trace as string | undefined;
  const metricsPath = values.metrics as string | undefined;
  const format = metricsPath === undefined ? undefined : metricsFormat(metricsPath);
  if (metricsPath !== undefined && format === undefined) throw new UsageError(`--metrics ${metricsPath}: name a .csv or a .prom (OpenMetrics) file`);
  if (metricsPath !== undefined) checkOutputPath(metricsPath, { flag: '--metrics', inputs: [file] });
  // the header names the run, so the page (or anyone) can show and replay it; it is not hashed
  const header = traceHeader({ scenario: scenario.name, file: basename(file), text, seed: seed ?? spec.seed, untilUs });
  const trace = tracePath === undefined ? undefined : TraceFile.open(tracePath, header, { flag: '--trace', inputs: [file] });
  // the story keeps its lines, not the run's events; the trace goes to its hash and file as it comes
  const story = values.json ? undefined : new StoryTeller();
  // with neither (--json, no --trace) nobody reads the lines: the trace goes to its hash as bytes
  const sink: TraceSink | undefined = trace === undefined && story === undefined ? undefined : (line, e) => {
    trace?.write(line);
    story?.add(e);
  };
  // true: record them (--metrics, or the story's Alerts on a cluster small enough); undefined, never
  // false: the run still records them when the scenario's metric: or alert-seconds: expectations need them
  const storyMetrics = metricsPath !== undefined || (!values.json && initialPartitions(spec) <= STORY_METRICS_MAX_PARTITIONS) ? true : undefined;
  const interrupt = watchInterrupt();
  const progress = runProgress(o, scenario.name, Math.min(untilUs ?? spec.durationUs, spec.durationUs));
  let result: RunResult;
  try {
    result = await runInSlices(scenario, spec, { seed, untilUs, eventLimit, keepTrace: false, traceSink: sink, metrics: storyMetrics }, {
      between(sim, endUs) {
        if (interrupt.requested) throw new Interrupted(sim.now, sim.trace.count, endUs);
        progress.update(sim.now);
      },
    });
    progress.stop();
    await trace?.commit();
  } catch (err) {
    progress.stop();
    trace?.abort();
    if (!(err instanceof Interrupted)) throw err;
    const nothing = tracePath === undefined ? '' : `; ${tracePath} not written`;
    o.err(`interrupted at simulated time ${formatTime(err.atUs)} of ${formatTime(err.endUs)}, after ${err.events} events: nothing judged${nothing}`);
    return INTERRUPTED;
  } finally {
    interrupt.dispose();
  }
  if (metricsPath !== undefined) {
    const m = result.sim.parts.metrics!.result();
    writeOutputFile(metricsPath, format === 'csv' ? metricsCsv(m) : metricsOpenMetrics(m), { flag: '--metrics', inputs: [file] });
  }
  if (values.json) o.out(JSON.stringify(runJson(result), null, 2));
  else printStory(result, story!.lines(), o);
  return result.passed ? 0 : 1;
}
