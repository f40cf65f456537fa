// What changed when: the one table of the Kafka versions the model follows. A scenario's
// `cluster: { kafka.version: "2.4" }` runs with that version's defaults and behaviours; each row is one
// default or one behaviour that changed, with the version it changed in and the KIP or issue that
// changed it (checked against the config classes at the release tags; `kafkasim versions` prints it).
// A setting written in a scenario always wins over its version's default; a setting, or a controller,
// that the version did not have is refused by the scenario's validation with the version that brought it.

import type { ConfigScope, ConfigValue } from './config.ts';

/** `MAJOR.MINOR`, the releases the table distinguishes. */
export const KAFKA_VERSIONS = [
  '0.10', '0.11', '1.0', '1.1', '2.0', '2.1', '2.2', '2.3', '2.4', '2.5', '2.6', '2.7', '2.8',
  '3.0', '3.1', '3.2', '3.3', '3.4', '3.5', '3.6', '3.7', '3.8', '3.9', '4.0',
] as const;
export type KafkaVersion = (typeof KAFKA_VERSIONS)[number];

/** The version the model follows when a scenario names none. */
export const CURRENT_VERSION: KafkaVersion = '4.0';

export function isKafkaVersion(v: string): v is KafkaVersion {
  return (KAFKA_VERSIONS as readonly string[]).includes(v);
}

/** Negative when a is older than b. */
export function compareVersions(a: KafkaVersion, b: KafkaVersion): number {
  return KAFKA_VERSIONS.indexOf(a) - KAFKA_VERSIONS.indexOf(b);
}

/** A default that changed: `before` up to the version before `since`, the catalog's default from `since`. */
export interface DefaultChange {
  kind: 'default';
  scope: ConfigScope;
  config: string;
  before: ConfigValue;
  after: ConfigValue;
  since: KafkaVersion;
  source: string;
}

/** A behaviour of the model that changed, with the value each side of `since` takes. */
export interface BehaviourChange {
  kind: 'behaviour';
  behaviour: keyof VersionBehaviours;
  before: string | boolean;
  after: string | boolean;
  since: KafkaVersion;
  source: string;
  what: string;
}

/** A config that appeared in a version: setting it for an older one is an error. */
export interface ConfigIntroduced {
  kind: 'introduced';
  scope: ConfigScope;
  config: string;
  since: KafkaVersion;
  source: string;
}

export type VersionRow = DefaultChange | BehaviourChange | ConfigIntroduced;

/** The behaviours a version decides (where the scenario does not choose them itself). */
export interface VersionBehaviours {
  /** How a follower finds where its log diverges: its own HW (before 0.11) or leader epochs (KIP-101). */
  replicationProtocol: 'high-watermark' | 'leader-epoch';
  /** The HW does not advance while the ISR is smaller than min.insync.replicas, capped at the replication factor (KAFKA-15583, 3.7). */
  hwFreezesUnderMinIsr: boolean;
  /** KRaft: an ISR shrink also bumps the leader epoch (before metadata version 3.6, KAFKA-15021); ZooKeeper mode: election.ts shrinkBumpsLeaderEpoch. */
  isrShrinkBumpsLeaderEpoch: boolean;
  /** The producer's partitioner for records without a key: round-robin, sticky (KIP-480), uniform sticky (KIP-794). */
  partitioner: 'round-robin' | 'sticky' | 'uniform-sticky';
  /** The controller a cluster of this version runs by default. */
  controller: 'zookeeper' | 'kraft';
  /** A client's retry backoff: a constant retry.backoff.ms, or doubling to retry.backoff.max.ms with jitter (KIP-580). */
  retryBackoff: 'constant' | 'exponential';
  /** How a producer finds a partition's new leader: a metadata refresh only, or also the error answer, skipping the retry backoff (KIP-951). */
  leaderDiscovery: 'metadata' | 'kip-951';
  /** The most requests an idempotent producer may have in flight per connection (1 in 0.11; 5 from 1.0, KAFKA-5494). */
  idempotentMaxInFlight: '1' | '5';
  /** When a producer gives a batch up: request.timeout.ms after it could have gone while queued, or delivery.timeout.ms after its creation (KIP-91). */
  batchExpiry: 'request-timeout' | 'delivery-timeout';
  /** KRaft: the controller runs the automatic preferred leader election of auto.leader.rebalance.enable (KAFKA-13682, 3.2). */
  kraftAutoLeaderRebalance: boolean;
  /**
   * KRaft: the controller reads unclean.leader.election.enable (KAFKA-12670, 3.9); before,
   * ConfigurationControlManager.uncleanLeaderElectionEnabledForTopic returned false ("TODO: support
   * configuring unclean leader election"), so only kafka-leader-election --election-type unclean made one.
   */
  kraftUncleanElectionConfig: boolean;
  /** A client's reconnect backoff: a constant reconnect.backoff.ms (before 0.11), or doubling to reconnect.backoff.max.ms with jitter (KIP-144). */
  reconnectBackoff: 'constant' | 'exponential';
}

export const VERSION_TABLE: readonly VersionRow[] = [
  { kind: 'behaviour', behaviour: 'replicationProtocol', before: 'high-watermark', after: 'leader-epoch', since: '0.11', source: 'KIP-101', what: 'a follower truncates by leader epoch, not to its own high watermark' },
  { kind: 'default', scope: 'broker', config: 'unclean.leader.election.enable', before: true, after: false, since: '0.11', source: 'KIP-106' },
  { kind: 'introduced', scope: 'producer', config: 'enable.idempotence', since: '0.11', source: 'KIP-98' },
  { kind: 'default', scope: 'broker', config: 'group.initial.rebalance.delay.ms', before: 0, after: 3000, since: '0.11', source: 'KIP-134' },
  { kind: 'introduced', scope: 'broker', config: 'group.initial.rebalance.delay.ms', since: '0.11', source: 'KIP-134' },
  { kind: 'introduced', scope: 'consumer', config: 'isolation.level', since: '0.11', source: 'KIP-98' },
  { kind: 'behaviour', behaviour: 'reconnectBackoff', before: 'constant', after: 'exponential', since: '0.11', source: 'KIP-144', what: 'a client waits reconnect.backoff.ms doubling per failed attempt up to reconnect.backoff.max.ms, with jitter, before connecting to a node again, instead of reconnect.backoff.ms each time' },
  { kind: 'introduced', scope: 'producer', config: 'reconnect.backoff.max.ms', since: '0.11', source: 'KIP-144' },
  { kind: 'introduced', scope: 'consumer', config: 'reconnect.backoff.max.ms', since: '0.11', source: 'KIP-144' },
  { kind: 'behaviour', behaviour: 'idempotentMaxInFlight', before: '1', after: '5', since: '1.0', source: 'KAFKA-5494', what: 'an idempotent producer may keep up to 5 requests in flight per connection instead of 1' },
  { kind: 'default', scope: 'consumer', config: 'request.timeout.ms', before: 305000, after: 30000, since: '2.0', source: 'KIP-266' },
  { kind: 'default', scope: 'producer', config: 'retries', before: 0, after: 2147483647, since: '2.1', source: 'KIP-91' },
  { kind: 'introduced', scope: 'producer', config: 'delivery.timeout.ms', since: '2.1', source: 'KIP-91' },
  { kind: 'behaviour', behaviour: 'batchExpiry', before: 'request-timeout', after: 'delivery-timeout', since: '2.1', source: 'KIP-91', what: 'a batch is given up delivery.timeout.ms after its creation, queued or in flight, instead of when it has waited request.timeout.ms in the queue beyond its linger or retry backoff' },
  { kind: 'default', scope: 'broker', config: 'group.max.session.timeout.ms', before: 300000, after: 1800000, since: '2.3', source: 'KIP-345' },
  { kind: 'introduced', scope: 'consumer', config: 'client.rack', since: '2.3', source: 'KIP-392' },
  { kind: 'behaviour', behaviour: 'partitioner', before: 'round-robin', after: 'sticky', since: '2.4', source: 'KIP-480', what: 'records without a key stick to one partition per batch instead of going round-robin' },
  { kind: 'introduced', scope: 'broker', config: 'replica.selector.class', since: '2.4', source: 'KIP-392' },
  { kind: 'default', scope: 'broker', config: 'replica.lag.time.max.ms', before: 10000, after: 30000, since: '2.5', source: 'KIP-537' },
  { kind: 'default', scope: 'broker', config: 'zookeeper.session.timeout.ms', before: 6000, after: 18000, since: '2.5', source: 'KIP-537' },
  { kind: 'introduced', scope: 'producer', config: 'metadata.max.idle.ms', since: '2.5', source: 'KIP-526' },
  { kind: 'introduced', scope: 'producer', config: 'socket.connection.setup.timeout.ms', since: '2.7', source: 'KIP-601' },
  { kind: 'introduced', scope: 'producer', config: 'socket.connection.setup.timeout.max.ms', since: '2.7', source: 'KIP-601' },
  { kind: 'introduced', scope: 'consumer', config: 'socket.connection.setup.timeout.ms', since: '2.7', source: 'KIP-601' },
  { kind: 'introduced', scope: 'consumer', config: 'socket.connection.setup.timeout.max.ms', since: '2.7', source: 'KIP-601' },
  { kind: 'introduced', scope: 'broker', config: 'broker.session.timeout.ms', since: '2.8', source: 'KIP-631' },
  { kind: 'introduced', scope: 'broker', config: 'broker.heartbeat.interval.ms', since: '2.8', source: 'KIP-631' },
  { kind: 'introduced', scope: 'broker', config: 'controller.quorum.election.timeout.ms', since: '2.8', source: 'KIP-595' },
  { kind: 'introduced', scope: 'broker', config: 'controller.quorum.fetch.timeout.ms', since: '2.8', source: 'KIP-595' },
  { kind: 'introduced', scope: 'broker', config: 'controller.quorum.election.backoff.max.ms', since: '2.8', source: 'KIP-595' },
  { kind: 'introduced', scope: 'broker', config: 'controller.quorum.request.timeout.ms', since: '2.8', source: 'KIP-595' },
  { kind: 'introduced', scope: 'broker', config: 'controller.quorum.retry.backoff.ms', since: '2.8', source: 'KIP-595' },
  { kind: 'default', scope: 'producer', config: 'socket.connection.setup.timeout.max.ms', before: 127000, after: 30000, since: '2.8', source: 'apache/kafka#10306' },
  { kind: 'default', scope: 'consumer', config: 'socket.connection.setup.timeout.max.ms', before: 127000, after: 30000, since: '2.8', source: 'apache/kafka#10306' },
  { kind: 'default', scope: 'producer', config: 'acks', before: '1', after: 'all', since: '3.0', source: 'KIP-679' },
  { kind: 'default', scope: 'producer', config: 'enable.idempotence', before: false, after: true, since: '3.0', source: 'KIP-679' },
  { kind: 'default', scope: 'consumer', config: 'session.timeout.ms', before: 10000, after: 45000, since: '3.0', source: 'KIP-735' },
  { kind: 'default', scope: 'consumer', config: 'partition.assignment.strategy', before: ['range'], after: ['range', 'cooperative-sticky'], since: '3.0', source: 'KIP-726' },
  { kind: 'behaviour', behaviour: 'kraftAutoLeaderRebalance', before: false, after: true, since: '3.2', source: 'KAFKA-13682', what: 'a KRaft controller moves leadership back to the preferred replicas by itself (auto.leader.rebalance.enable)' },
  { kind: 'behaviour', behaviour: 'partitioner', before: 'sticky', after: 'uniform-sticky', since: '3.3', source: 'KIP-794', what: 'the sticky partitioner switches after batch.size bytes and prefers less loaded partitions' },
  { kind: 'introduced', scope: 'producer', config: 'partitioner.adaptive.partitioning.enable', since: '3.3', source: 'KIP-794' },
  { kind: 'introduced', scope: 'producer', config: 'partitioner.availability.timeout.ms', since: '3.3', source: 'KIP-794' },
  { kind: 'introduced', scope: 'producer', config: 'partitioner.ignore.keys', since: '3.3', source: 'KIP-794' },
  { kind: 'introduced', scope: 'broker', config: 'metadata.max.idle.interval.ms', since: '3.3', source: 'KIP-835' },
  { kind: 'behaviour', behaviour: 'isrShrinkBumpsLeaderEpoch', before: true, after: false, since: '3.6', source: 'KAFKA-15021', what: 'an ISR shrink no longer bumps the leader epoch (KRaft; in ZooKeeper mode only the controller\'s own shrinks ever did, and still do)' },
  { kind: 'behaviour', behaviour: 'hwFreezesUnderMinIsr', before: false, after: true, since: '3.7', source: 'KAFKA-15583', what: 'the high watermark stops advancing while the ISR is below min.insync.replicas, which counts at most as the replication factor' },
  { kind: 'introduced', scope: 'producer', config: 'retry.backoff.max.ms', since: '3.7', source: 'KIP-580' },
  { kind: 'behaviour', behaviour: 'retryBackoff', before: 'constant', after: 'exponential', since: '3.7', source: 'KIP-580', what: 'a producer\'s retry and metadata backoff doubles from retry.backoff.ms to retry.backoff.max.ms with ±20% jitter instead of staying at retry.backoff.ms' },
  { kind: 'behaviour', behaviour: 'leaderDiscovery', before: 'metadata', after: 'kip-951', since: '3.7', source: 'KIP-951', what: 'a producer learns a new leader from the NOT_LEADER_OR_FOLLOWER answer, and a retry to a newer leader than its last attempt\'s skips its backoff' },
  { kind: 'introduced', scope: 'consumer', config: 'retry.backoff.max.ms', since: '3.7', source: 'KIP-580' },
  { kind: 'behaviour', behaviour: 'kraftUncleanElectionConfig', before: false, after: true, since: '3.9', source: 'KAFKA-12670', what: 'a KRaft controller honours unclean.leader.election.enable; before, only kafka-leader-election --election-type unclean elected an out-of-sync replica' },
  { kind: 'introduced', scope: 'broker', config: 'unclean.leader.election.interval.ms', since: '3.9', source: 'KAFKA-12670' },
  { kind: 'default', scope: 'producer', config: 'linger.ms', before: 0, after: 5, since: '4.0', source: 'KIP-1030' },
  { kind: 'behaviour', behaviour: 'controller', before: 'zookeeper', after: 'kraft', since: '4.0', source: 'KIP-500', what: 'ZooKeeper is gone: every cluster runs a KRaft controller' },
];

/** KRaft: early access from 2.8, production-ready from 3.3 (KIP-833); ZooKeeper: gone from 4.0 (KIP-500). */
export const KRAFT_SINCE: KafkaVersion = '2.8';
export const KRAFT_PRODUCTION_SINCE: KafkaVersion = '3.3';
export const ZOOKEEPER_UNTIL: KafkaVersion = '3.9';
/** kafka-leader-election and its unclean elections: 2.4 (KIP-460); before, kafka-preferred-replica-election did preferred ones only. */
export const UNCLEAN_ELECT_LEADERS_SINCE: KafkaVersion = '2.4';

/** The behaviours of `version`. */
export function behavioursOf(version: KafkaVersion): VersionBehaviours {
  const out: Record<string, string | boolean> = {};
  // rows are in version order: the last row a version has reached decides
  for (const r of VERSION_TABLE) {
    if (r.kind !== 'behaviour') continue;
    if (out[r.behaviour] === undefined) out[r.behaviour] = r.before;
    if (compareVersions(version, r.since) >= 0) out[r.behaviour] = r.after;
  }
  return out as unknown as VersionBehaviours;
}

/** The defaults `version` has that differ from the catalog's (the current ones), by scope. */
export function versionDefaults(version: KafkaVersion): { scope: ConfigScope; config: string; value: ConfigValue; row: DefaultChange }[] {
  const out: { scope: ConfigScope; config: string; value: ConfigValue; row: DefaultChange }[] = [];
  for (const r of VERSION_TABLE) {
    if (r.kind !== 'default' || compareVersions(version, r.since) >= 0) continue;
    // an older row of the same config (none today) would be overridden by the later one's `before`
    const i = out.findIndex((x) => x.scope === r.scope && x.config === r.config);
    if (i >= 0) continue;
    out.push({ scope: r.scope, config: r.config, value: r.before, row: r });
  }
  return out;
}

/** The version that brought `config`, when `version` predates it; undefined if the version has it. */
export function configIntroducedAfter(version: KafkaVersion, scope: ConfigScope, config: string): ConfigIntroduced | undefined {
  return VERSION_TABLE.find((r): r is ConfigIntroduced => r.kind === 'introduced' && r.scope === scope && r.config === config && compareVersions(version, r.since) < 0);
}

/** One line per default and behaviour in which `v` differs from the current version, and what it could not set yet. */
export function versionDifferences(v: KafkaVersion): string[] {
  const b = behavioursOf(v);
  const now = behavioursOf(CURRENT_VERSION);
  const out: string[] = [];
  for (const d of versionDefaults(v)) out.push(`${d.scope} ${d.config} = ${String(d.value)}  (${String(d.row.after)} from ${d.row.since}, ${d.row.source})`);
  for (const k of Object.keys(b) as (keyof VersionBehaviours)[]) {
    if (b[k] === now[k]) continue;
    const row = VERSION_TABLE.find((r): r is BehaviourChange => r.kind === 'behaviour' && r.behaviour === k && r.before === b[k]);
    out.push(`${k}: ${String(b[k])}${row ? `  (${String(row.after)} from ${row.since}, ${row.source})` : ''}`);
  }
  const missing = VERSION_TABLE.filter((r): r is ConfigIntroduced => r.kind === 'introduced' && compareVersions(v, r.since) < 0);
  // each with its scope: a name can come to the producer and the consumer alike (retry.backoff.max.ms)
  if (missing.length > 0) out.push(`not yet settable: ${missing.map((r) => `${r.scope} ${r.config}`).join(', ')}`);
  return out;
}
