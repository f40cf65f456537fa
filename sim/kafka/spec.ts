// The input of a simulation: a scenario after parsing and validation, as plain data with every
// duration in integer microseconds. src/scenario builds it from a YAML file; tests build it by hand.
// Config maps hold only what the scenario set, already normalised (see config.ts); defaults are
// resolved by the model through configValue, so `describe` can tell set values from defaults.

import type { ConfigMap } from './config.ts';

/** A node of the simulated network: a broker id, the controller, or a client id. */
export type NodeName = number | 'controller' | string;

export interface ClusterSpec {
  name: string;
  seed: number;
  durationUs: number;
  /** Broker ids in ascending order. */
  brokers: number[];
  controller: 'kraft' | 'zookeeper';
  /** leader-epoch (KIP-101, default) or high-watermark (pre-0.11 truncation to the follower's own HW). */
  replicationProtocol: 'leader-epoch' | 'high-watermark';
  /** Delay after which the OS writes dirty page cache to disk (Linux vm.dirty_expire_centisecs = 30 s). */
  pageCacheWritebackUs: number;
  brokerConfig: ConfigMap;
  network: NetworkSpec;
  topics: TopicSpec[];
  producers: ProducerSpec[];
  consumers: ConsumerSpec[];
  /** Sorted by atUs; steps at the same time keep file order. */
  timeline: TimelineStep[];
}

export interface NetworkSpec {
  /** One-way latency of every link, drawn uniformly in [minUs, maxUs] per message (equal = fixed). */
  latency: { minUs: number; maxUs: number };
}

export interface TopicSpec {
  name: string;
  /** Undefined: the broker's num.partitions. */
  partitions?: number;
  /** Undefined: the broker's default.replication.factor. */
  replicationFactor?: number;
  /** Explicit assignment, one list of broker ids per partition; undefined: rack-unaware placement. */
  replicas?: number[][];
  config: ConfigMap;
}

export type KeysSpec =
  | { kind: 'none' }
  | { kind: 'list'; keys: string[] } // cycled in order
  | { kind: 'random'; count: number }; // key-0 … key-(count-1), drawn uniformly

export interface ProducerSpec {
  id: string;
  topic: string;
  /** Records per second, evenly spaced. */
  ratePerSec: number;
  keys: KeysSpec;
  startUs: number;
  /** Undefined: until the end of the run. */
  stopUs?: number;
  /** Null-key partitioning: uniform-sticky (3.3+, default), sticky (2.4–3.2), round-robin (≤ 2.3). */
  partitioner: 'uniform-sticky' | 'sticky' | 'round-robin';
  /** Explicit partition for every record (wins over keys). */
  partition?: number;
  /** Bytes per record (key + value + overhead), for batch.size accounting. */
  recordSizeBytes: number;
  config: ConfigMap;
}

export interface ConsumerSpec {
  id: string;
  group: string;
  topics: string[];
  startUs: number;
  stopUs?: number;
  config: ConfigMap;
}

export interface TimelineStep {
  atUs: number;
  /** Caption shown at this moment. */
  note?: string;
  /** Undefined for a step that is only a note. */
  action?: Action;
  /** Where the step stands in the scenario file, for messages. */
  source?: { line: number; column: number };
}

/** `crash`, `restart` and `power-loss` take broker ids; `crash`/`restart` also accept client ids. */
export type Action =
  | { type: 'crash'; nodes: NodeName[] }
  | { type: 'restart'; nodes: NodeName[] }
  | { type: 'shutdown'; brokers: number[] }
  | { type: 'power-loss'; brokers: number[] }
  | { type: 'disk-loss'; brokers: number[] }
  | { type: 'pause'; node: NodeName; forUs: number }
  | { type: 'isolate'; node: NodeName }
  | { type: 'partition'; groups: NodeName[][] }
  | { type: 'cut'; from: NodeName; to: NodeName }
  | { type: 'slow'; node?: NodeName; link?: [NodeName, NodeName]; latencyUs: number }
  | { type: 'heal'; node: NodeName | 'all' }
  | { type: 'alter-config'; topic?: string; broker?: number; set: ConfigMap; delete: string[] }
  | { type: 'elect-leaders'; partitions: string[] | 'all'; electionType: 'preferred' | 'unclean' }
  | { type: 'add-partitions'; topic: string; count: number }
  | {
      type: 'reset-offsets';
      group: string;
      topic: string;
      to: 'earliest' | 'latest' | { offset: number } | { shiftBy: number };
    }
  | { type: 'stop-producer'; producer: string }
  | { type: 'start-producer'; producer: string };

/** "orders-0" → { topic: "orders", partition: 0 }; topic names may contain dashes. */
export function parsePartitionName(name: string): { topic: string; partition: number } | undefined {
  const m = /^(.+)-(\d+)$/.exec(name);
  if (!m) return undefined;
  return { topic: m[1], partition: Number(m[2]) };
}

export function partitionName(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}
