// The input of a simulation: a scenario after parsing and validation, as plain data with every
// duration in integer microseconds. src/scenario builds it from a YAML file; tests build it by hand.
// Config maps hold only what the scenario set, already normalised (see config.ts); defaults are
// resolved by the model through configValue, so `describe` can tell set values from defaults.

import type { KafkaVersion } from './versions.ts';
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
  /**
   * KRaft controller nodes (`cluster.controllers`): undefined or 1, the single logical node
   * `controller` that cannot fail; N > 1, the quorum controller-1 … controller-N (controller-quorum.ts).
   */
  controllers?: number;
  /** leader-epoch (KIP-101, default) or high-watermark (pre-0.11 truncation to the follower's own HW). */
  replicationProtocol: 'leader-epoch' | 'high-watermark';
  /** The Kafka version whose defaults and behaviours the run follows (versions.ts); undefined: the current one. */
  kafkaVersion?: KafkaVersion;
  /** The HW waits while the ISR is below min.insync.replicas (3.7+, KAFKA-15583); undefined: true. */
  hwFreezesUnderMinIsr?: boolean;
  /** KRaft: an ISR shrink bumps the leader epoch (before 3.6, KAFKA-15021); undefined: false. ZooKeeper mode ignores it (election.ts shrinkBumpsLeaderEpoch). */
  isrShrinkBumpsLeaderEpoch?: boolean;
  /**
   * Each broker's broker.rack, as rack name → broker ids (every broker in exactly one rack); undefined:
   * no broker has a rack (placement is rack-unaware).
   */
  racks?: Record<string, number[]>;
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
  /** Explicit assignment, one list of broker ids per partition; undefined: Kafka's placement (rack-aware when brokers have racks). */
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
  /** Before 3.7 (KIP-580) the retry backoff is a constant retry.backoff.ms; undefined: exponential. */
  constantRetryBackoff?: boolean;
  /** Before 3.7 (KIP-951) a new leader is learnt from metadata only and never shortens a retry's backoff; undefined: KIP-951. */
  leaderDiscovery?: 'metadata';
}

export interface ConsumerSpec {
  id: string;
  group: string;
  topics: string[];
  /** When the application starts polling; NEVER_US (`start: never`): only a start-consumer step starts it. */
  startUs: number;
  stopUs?: number;
  config: ConfigMap;
  /**
   * The application's processing and commits (`processing:`, `commit:`); undefined: it handles every
   * record the instant it is fetched, as the model always did.
   */
  application?: ConsumerApplicationSpec;
}

/** How long the application takes per poll and per record, µs: each record drawn in [minUs, maxUs]. */
export interface ProcessingSpec {
  perRecord: { minUs: number; maxUs: number };
  perPollUs: number;
}

/**
 * When the application commits: `auto` (enable.auto.commit), `sync`/`async` (commitSync/commitAsync
 * after each poll's records are processed), `before-processing` (commitSync, then process: at most
 * once), `none`.
 */
export type CommitMode = 'auto' | 'sync' | 'async' | 'before-processing' | 'none';
export const COMMIT_MODES: readonly CommitMode[] = ['auto', 'sync', 'async', 'before-processing', 'none'];

export interface ConsumerApplicationSpec {
  processing: ProcessingSpec;
  commit: CommitMode;
}

/** A start time that never comes: the client waits for a start-consumer step. */
export const NEVER_US = Number.MAX_SAFE_INTEGER;

export interface TimelineStep {
  /** When the step runs; for a `between` step, the window's start (the time the timeline is sorted by). */
  atUs: number;
  /**
   * `at: { between: [10s, 20s] }`: the moment is drawn uniformly in [minUs, maxUs] (whole
   * microseconds, both ends included) when the simulation starts, from the step's own random stream.
   */
  between?: { minUs: number; maxUs: number };
  /**
   * The step's position in the scenario file's timeline (file order), which names its random stream
   * (timelineStream). Undefined: its position in ClusterSpec.timeline.
   */
  index?: number;
  /** Caption shown at this moment. */
  note?: string;
  /** Undefined for a step that is only a note. */
  action?: Action;
  /** Where the step stands in the scenario file, for messages. */
  source?: { line: number; column: number };
}

/**
 * Brokers a step chooses when it runs, instead of ids written in the file: one drawn uniformly from
 * a list (from the step's own stream), the leader of a partition in the controller's committed
 * metadata, or (restart only) every broker that is crashed or stopped.
 */
export type BrokerChoice =
  | { choose: 'any-of'; brokers: number[] }
  | { choose: 'leader-of'; partition: string }
  | { choose: 'crashed' };

/**
 * `crash` and `restart` take broker ids and client ids; the other broker actions take broker ids.
 * Where a BrokerChoice may stand, the simulation resolves it when the step runs and hands the action
 * on with the chosen ids (the choice never reaches an action handler).
 */
export type Action =
  | { type: 'crash'; nodes: NodeName[] | BrokerChoice; /** `{ rack: a }`: the rack the brokers were named by. */ rack?: string }
  | { type: 'restart'; nodes: NodeName[] | BrokerChoice; rack?: string }
  | { type: 'shutdown'; brokers: number[] | BrokerChoice; rack?: string }
  | { type: 'power-loss'; brokers: number[] | BrokerChoice; rack?: string }
  | { type: 'disk-loss'; brokers: number[] | BrokerChoice; rack?: string }
  | { type: 'pause'; node: NodeName | BrokerChoice; forUs: number }
  | { type: 'isolate'; node: NodeName | BrokerChoice }
  | { type: 'partition'; groups: NodeName[][]; /** `isolate: { rack: a }`: the rack cut off. */ rack?: string }
  | { type: 'cut'; from: NodeName; to: NodeName }
  | { type: 'slow'; node?: NodeName; link?: [NodeName, NodeName]; latencyUs: number }
  | { type: 'heal'; node: NodeName | 'all' }
  | { type: 'alter-config'; topic?: string; broker?: number; set: ConfigMap; delete: string[] }
  | { type: 'elect-leaders'; partitions: string[] | 'all'; electionType: 'preferred' | 'unclean' }
  | { type: 'add-partitions'; topic: string; count: number }
  /** kafka-reassign-partitions --execute [--throttle B]: move a partition to `replicas` (KIP-455). */
  | { type: 'reassign'; partition: string; replicas: number[]; throttle?: number }
  | {
      type: 'reset-offsets';
      group: string;
      topic: string;
      to: 'earliest' | 'latest' | { offset: number } | { shiftBy: number };
    }
  | { type: 'stop-producer'; producer: string }
  | { type: 'start-producer'; producer: string }
  | { type: 'start-consumer'; consumer: string }
  | { type: 'stop-consumer'; consumer: string }
  | { type: 'crash-consumer'; consumer: string };

/** The field of an action that names its brokers, when the action may take a BrokerChoice. */
export const CHOICE_FIELDS = {
  crash: 'nodes', restart: 'nodes', shutdown: 'brokers', 'power-loss': 'brokers', 'disk-loss': 'brokers', pause: 'node', isolate: 'node',
} as const satisfies Partial<Record<Action['type'], string>>;

/** The step's BrokerChoice, if its action has one. */
export function brokerChoiceOf(action: Action | undefined): BrokerChoice | undefined {
  if (action === undefined || !Object.prototype.hasOwnProperty.call(CHOICE_FIELDS, action.type)) return undefined;
  const target = (action as unknown as Record<string, unknown>)[CHOICE_FIELDS[action.type as keyof typeof CHOICE_FIELDS]];
  return isBrokerChoice(target) ? target : undefined;
}

export function isBrokerChoice(target: unknown): target is BrokerChoice {
  return typeof target === 'object' && target !== null && !Array.isArray(target) && 'choose' in target;
}

/** The action with its choice replaced by the chosen brokers (a list, or one broker for pause and isolate). */
export function withChosenBrokers(action: Action, brokers: number[]): Action {
  const field = CHOICE_FIELDS[action.type as keyof typeof CHOICE_FIELDS];
  return { ...action, [field]: field === 'node' ? brokers[0] : brokers } as Action;
}

/**
 * The random stream of one timeline step, named by its position in the file's timeline. Its draws
 * (a `between` moment, an any-of broker) move no other stream's, so adding such a step leaves the
 * network's and the clients' draws as they were (common random numbers); only a step inserted
 * before another renumbers it, and so gives it other draws.
 */
export function timelineStream(index: number): string {
  return `timeline:${index}`;
}

/** "orders-0" → { topic: "orders", partition: 0 }; topic names may contain dashes. */
export function parsePartitionName(name: string): { topic: string; partition: number } | undefined {
  const m = /^(.+)-(\d+)$/.exec(name);
  if (!m) return undefined;
  return { topic: m[1], partition: Number(m[2]) };
}

export function partitionName(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

/** broker id → its broker.rack, from ClusterSpec.racks (empty without racks). */
export function rackOfBroker(spec: Pick<ClusterSpec, 'racks'>): Map<number, string> {
  const out = new Map<number, string>();
  for (const rack of Object.keys(spec.racks ?? {}).sort()) for (const id of spec.racks![rack]) out.set(id, rack);
  return out;
}
