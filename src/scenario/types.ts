// The validated scenario: the file's own structure as typed data, durations already in integer
// microseconds and Kafka configs already normalised. Every timeline step and expectation remembers
// where it stands in the file, so a failed expectation can point back at its line.

import type { KafkaVersion } from '../../sim/kafka/versions.ts';
import type { ConfigMap } from '../../sim/kafka/config.ts';
import type { Action, ConsumerSpec, NetworkSpec, ProducerSpec, TopicSpec } from '../../sim/kafka/spec.ts';
import type { SourcePos } from './errors.ts';

export interface Scenario {
  name: string;
  title?: string;
  description?: string;
  seed: number;
  /** The seeds `kafkasim check` runs the scenario at (`seeds:`); absent: just `seed`. */
  seeds?: number[];
  durationUs: number;
  cluster: ClusterSection;
  network: NetworkSpec;
  topics: TopicSpec[];
  producers: ProducerSpec[];
  consumers: ConsumerSpec[];
  /** In file order; `build` sorts it by time. */
  timeline: ScenarioStep[];
  expect: Expectation[];
}

export interface ClusterSection {
  /** Ascending broker ids (`brokers: 3` means 1, 2, 3). */
  brokers: number[];
  controller: 'kraft' | 'zookeeper';
  /** `controllers`: KRaft controller nodes, 1 (the single node `controller`, the default) or a quorum of N. */
  controllers: number;
  replicationProtocol: 'leader-epoch' | 'high-watermark';
  pageCacheWritebackUs: number;
  config: ConfigMap;
  /** `kafka.version`: whose defaults and behaviours the run follows (the current version when not given). */
  kafkaVersion: KafkaVersion;
}

/** A trace event a note explains: its type, and optionally the partition and broker it names. */
export interface NoteLink {
  type: string;
  partition?: string;
  broker?: number;
}

export interface ScenarioStep {
  /** When the step runs; for a `between` step, the window's start (the time the timeline is checked and sorted by). */
  atUs: number;
  /** `at: { between: [10s, 20s] }`: each run draws the moment in this window (see sim/kafka/spec.ts). */
  between?: { minUs: number; maxUs: number };
  note?: string;
  /** `explains:` the trace event the note explains: the page shows the caption with the matching event nearest `at`. */
  explains?: NoteLink;
  /** Undefined for a step that is only a note. */
  action?: Action;
  source: SourcePos;
  /** `timeline[3]`, for messages. */
  path: string;
}

/** A numeric check: `is` exactly, or within `min`..`max` (either may be absent). */
export type Bound = { is: number } | { min?: number; max?: number };

/** A window of simulated time, µs, either end open. */
export interface TimeBound {
  minUs?: number;
  maxUs?: number;
}

/** Record counts from the ledger (sim/kafka/ledger-port.ts). */
export type CountCheck = 'acked' | 'lost' | 'duplicates' | 'unavailable';

export type ExpectationCheck =
  | { check: 'leader'; partition: string; is: number | 'none' }
  | { check: 'isr'; partition: string; is: number[] }
  /** The replicas in assignment order (during a reassignment: the target, then the replicas being removed). */
  | { check: 'replicas'; partition: string; is: number[] }
  | { check: 'hw'; partition: string; bound: Bound }
  | { check: 'leo'; partition: string; broker: number; bound: Bound }
  | { check: CountCheck; topic?: string; partition?: string; bound: Bound }
  | { check: 'epoch'; partition: string; bound: Bound }
  | { check: 'partition-epoch'; partition: string; bound: Bound }
  | {
    check: 'event'; type: string; partition?: string; broker?: number; group?: string; consumer?: string; producer?: string; reason?: string;
    bound: Bound;
    /** When the first (last) matching event must have happened, µs; either end may be open. */
    first?: TimeBound; last?: TimeBound;
  }
  | { check: 'errors'; producer?: string; code?: string; reason?: ProducerErrorReason; records?: boolean; bound: Bound }
  /** Records the group received (each once), over a topic or partition if given. */
  | { check: 'consumed'; group: string; topic?: string; partition?: string; bound: Bound }
  /** A consumer's fetch position in a partition. */
  | { check: 'position'; consumer: string; partition: string; bound: Bound }
  /** One of Kafka's metrics (the metrics part): its value at `at`, or without `at` every sample of the run. */
  | { check: 'metric'; name: string; group?: string; partition?: string; bound: Bound }
  /** Seconds a metric was above `above` (an alert's firing time), over the run or up to `at`. */
  | { check: 'alert-seconds'; metric: string; above: number; bound: Bound }
  | { check: 'lag'; group: string; topic?: string; partition?: string; bound: Bound }
  | { check: 'committed'; group: string; partition: string; bound: Bound }
  /** Records a group's applications processed more than once, or skipped (committed past, never processed). */
  | { check: 'duplicates-processed' | 'skipped'; group?: string; topic?: string; partition?: string; bound: Bound }
  /** A statement over many runs (`kafkasim sweep`): the share of runs that lose an acked record, in [0, 1]. */
  | { check: 'loss-probability'; bound: Bound };

export type Expectation = ExpectationCheck & {
  /** When to check; undefined: at the end of the run. */
  atUs?: number;
  source: SourcePos;
  /** `expect[2]`, for messages. */
  path: string;
};

export const EXPECTATION_CHECKS = [
  'leader', 'isr', 'replicas', 'hw', 'leo', 'epoch', 'partition-epoch', 'acked', 'lost', 'duplicates', 'unavailable', 'event', 'errors',
  'consumed', 'position', 'lag', 'committed', 'duplicates-processed', 'skipped', 'metric', 'alert-seconds', 'loss-probability',
] as const;

/** Which of Kafka's TimeoutExceptions an `errors:` check counts (`reason:`). */
export const PRODUCER_ERROR_REASONS = ['delivery-timeout', 'request-timeout', 'max-block'] as const;
export type ProducerErrorReason = (typeof PRODUCER_ERROR_REASONS)[number];

/** Checks that speak of many runs: a sweep evaluates them over its runs; a single run skips them. */
export const OVER_RUNS_CHECKS = ['loss-probability'] as const;

type OverRunsCheck = (typeof OVER_RUNS_CHECKS)[number];

/** An expectation a sweep checks over its runs: `{ check: 'loss-probability'; bound: Bound }` and where it stands. */
export type OverRunsExpectation = Extract<Expectation, { check: OverRunsCheck }>;

/** An expectation one run can check. */
export type RunExpectation = Exclude<Expectation, OverRunsExpectation>;

export function isOverRuns<E extends ExpectationCheck>(e: E): e is Extract<E, { check: OverRunsCheck }> {
  return (OVER_RUNS_CHECKS as readonly string[]).includes(e.check);
}

export const TIMELINE_ACTIONS = [
  'crash', 'restart', 'shutdown', 'power-loss', 'disk-loss', 'pause', 'isolate', 'partition', 'cut', 'slow', 'heal',
  'alter-config', 'elect-leaders', 'add-partitions', 'reassign', 'reset-offsets', 'stop-producer', 'start-producer',
  'start-consumer', 'stop-consumer', 'crash-consumer',
] as const;
