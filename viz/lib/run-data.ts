// One finished run, as the page keeps it: the topology, the normalised events, the messages with
// their send and deliver times, the ledger's lost records with their stories, and the trace hash
// that proves it is the same run the CLI makes. Built from a trace alone (run/trace-run.ts), whether
// the page simulated it or opened a file. Plain data, so it crosses from the worker intact.

import type { MetricsResult } from '../../sim/kafka/metrics-port.ts';
import type { VizEvent } from './events.ts';
import type { Flight } from './in-flight.ts';
import type { Topology } from './view-state.ts';

export interface StoryStep {
  tUs: number;
  text: string;
  /** The broker the step is about, to highlight it in the cluster view. */
  broker?: number;
}

export interface LostRecord {
  /** Record identity in the ledger: producer id and sequence. */
  producer: string;
  sequence: number;
  partition: string;
  offset: number;
  epoch?: number;
  ackedUs?: number;
  ackedBy?: number;
  /** When it stopped being in the leader's log (the view marks it lost from then on). */
  lostUs?: number;
  story: StoryStep[];
}

import type { GroupProcessing } from './processing.ts';

export interface RunData {
  name: string;
  title: string;
  description: string;
  seed: number;
  /** The Kafka release whose defaults and behaviours the run follows (cluster.kafka.version). */
  kafkaVersion: string;
  durationUs: number;
  traceHash: string;
  /** Number of raw trace events (the hash covers all of them). */
  traceEvents: number;
  topology: Topology;
  events: VizEvent[];
  flights: Flight[];
  /** True when only a sample of the messages is kept (big clusters). */
  flightsSampled: boolean;
  lost: LostRecord[];
  /** Per consumer group whose consumers take time: when records were processed twice or skipped (lib/processing.ts). */
  processing: GroupProcessing[];
  /** Final ledger counts from the model. */
  final: { produced: number; acked: number; lost: number; unavailable: number; duplicates: number };
  /** A cheap fingerprint per raw trace event and its time, to find where two runs diverge. */
  fingerprints: Uint32Array;
  rawTimes: Float64Array;
  /** Wall-clock milliseconds the run took in the page. */
  wallMs: number;
  /** What-if overrides applied to this run, if any. */
  overrides?: Record<string, string>;
  /** The scenario the run is of (its text and file name): a trace file's header carries them. */
  scenarioText: string;
  scenarioFile: string;
  /**
   * Kafka's metrics as the model's metrics part recorded them during the run (sim/kafka/metrics.ts),
   * for the metrics panel; undefined when they were not recorded, and then `metricsMissing` says why.
   */
  metrics?: MetricsResult;
  metricsMissing?: string;
  /** The metrics the scenario's expectations name (`metric:`, `alert-seconds:`): what its lesson is about. */
  lessonMetrics: string[];
}

/** FNV-1a over a string: cheap and good enough to tell two trace lines apart. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The first raw trace event where two runs differ (index and time), or undefined if identical. */
export function firstDivergence(
  a: Pick<RunData, 'fingerprints' | 'rawTimes'>,
  b: Pick<RunData, 'fingerprints' | 'rawTimes'>,
): { index: number; tUs: number } | undefined {
  const n = Math.min(a.fingerprints.length, b.fingerprints.length);
  for (let i = 0; i < n; i++) {
    if (a.fingerprints[i] !== b.fingerprints[i]) return { index: i, tUs: Math.min(a.rawTimes[i], b.rawTimes[i]) };
  }
  if (a.fingerprints.length === b.fingerprints.length) return undefined;
  const longer = a.fingerprints.length > n ? a : b;
  return { index: n, tUs: longer.rawTimes[n] };
}
