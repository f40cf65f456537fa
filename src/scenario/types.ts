// The validated scenario: the file's own structure as typed data, durations already in integer
// microseconds and Kafka configs already normalised. Every timeline step and expectation remembers
// where it stands in the file, so a failed expectation can point back at its line.

import type { ConfigMap } from '../../sim/kafka/config.ts';
import type { Action, ConsumerSpec, NetworkSpec, ProducerSpec, TopicSpec } from '../../sim/kafka/spec.ts';
import type { SourcePos } from './errors.ts';

export interface Scenario {
  name: string;
  title?: string;
  description?: string;
  seed: number;
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
  replicationProtocol: 'leader-epoch' | 'high-watermark';
  pageCacheWritebackUs: number;
  config: ConfigMap;
}

export interface ScenarioStep {
  atUs: number;
  note?: string;
  /** Undefined for a step that is only a note. */
  action?: Action;
  source: SourcePos;
  /** `timeline[3]`, for messages. */
  path: string;
}

/** A numeric check: `is` exactly, or within `min`..`max` (either may be absent). */
export type Bound = { is: number } | { min?: number; max?: number };

/** Record counts from the ledger (design.md §4). */
export type CountCheck = 'acked' | 'lost' | 'duplicates' | 'unavailable';

export type ExpectationCheck =
  | { check: 'leader'; partition: string; is: number | 'none' }
  | { check: 'isr'; partition: string; is: number[] }
  | { check: 'hw'; partition: string; bound: Bound }
  | { check: 'leo'; partition: string; broker: number; bound: Bound }
  | { check: CountCheck; topic?: string; partition?: string; bound: Bound }
  | { check: 'event'; type: string; partition?: string; broker?: number; bound: Bound }
  | { check: 'errors'; producer?: string; code?: string; bound: Bound }
  | { check: 'lag'; group: string; topic?: string; partition?: string; bound: Bound }
  | { check: 'committed'; group: string; partition: string; bound: Bound };

export type Expectation = ExpectationCheck & {
  /** When to check; undefined: at the end of the run. */
  atUs?: number;
  source: SourcePos;
  /** `expect[2]`, for messages. */
  path: string;
};

export const EXPECTATION_CHECKS = [
  'leader', 'isr', 'hw', 'leo', 'acked', 'lost', 'duplicates', 'unavailable', 'event', 'errors', 'lag', 'committed',
] as const;

export const TIMELINE_ACTIONS = [
  'crash', 'restart', 'shutdown', 'power-loss', 'disk-loss', 'pause', 'isolate', 'partition', 'cut', 'slow', 'heal',
  'alter-config', 'elect-leaders', 'add-partitions', 'reset-offsets', 'stop-producer', 'start-producer',
] as const;
