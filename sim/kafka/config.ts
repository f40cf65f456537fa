// The Kafka configs kafkasim knows: names, types, ranges and defaults exactly as Kafka 4.0 has them,
// so a value learnt here carries over to a real cluster. The scenario validator checks user input
// against this table; the model reads every setting through `configValue`, never a literal default.
// Sources: server/…/config/ReplicationConfigs.java, server-common/…/ServerLogConfigs.java,
// storage/…/LogConfig.java, KRaftConfigs.java, ZkConfigs.java, GroupCoordinatorConfig.java,
// clients/…/producer/ProducerConfig.java, clients/…/consumer/ConsumerConfig.java (each default with the version it changed in: versions.ts).

export type ConfigScope = 'broker' | 'topic' | 'producer' | 'consumer';
export type ConfigType = 'int' | 'long' | 'short' | 'boolean' | 'string' | 'enum' | 'list';
export type ConfigValue = number | boolean | string | string[];
export type ConfigMap = Record<string, ConfigValue>;

export interface ConfigDef {
  readonly type: ConfigType;
  /** Kafka's default; null where Kafka's default is null (e.g. log.flush.interval.ms). */
  readonly default: ConfigValue | null;
  readonly min?: number;
  readonly max?: number;
  /** Allowed values of an enum (or of each element of a list). */
  readonly values?: readonly string[];
  /** Aliases accepted for enum values, mapped to the canonical value (acks: -1 → all). */
  readonly aliases?: Readonly<Record<string, string>>;
  /** Each element of a free list must match this (Kafka's validator), described by `itemDoc`. */
  readonly itemPattern?: RegExp;
  readonly itemDoc?: string;
  readonly doc: string;
}

/** Java's Long.MAX_VALUE cannot be a JS number exactly; the largest safe integer stands in for "never". */
export const LONG_MAX = Number.MAX_SAFE_INTEGER;
export const INT_MAX = 2147483647;

const int = (d: number, min = 0, max = INT_MAX, doc = ''): ConfigDef => ({ type: 'int', default: d, min, max, doc });
const long = (d: number | null, min = 0, doc = ''): ConfigDef => ({ type: 'long', default: d, min, max: LONG_MAX, doc });
const bool = (d: boolean, doc = ''): ConfigDef => ({ type: 'boolean', default: d, doc });

const BROKER: Record<string, ConfigDef> = {
  'replica.lag.time.max.ms': long(30000, 0, 'A follower not caught up for this long leaves the ISR (10000 before 2.5, KIP-537).'),
  'replica.fetch.wait.max.ms': int(500, 0, INT_MAX, 'How long a follower fetch waits at the leader for new data.'),
  'replica.fetch.min.bytes': int(1, 0, INT_MAX, 'Bytes a follower fetch waits for before the leader answers.'),
  'replica.fetch.max.bytes': int(1048576, 0, INT_MAX, 'Bytes per partition a follower fetch may return.'),
  'replica.fetch.response.max.bytes': int(10485760, 0, INT_MAX, 'Bytes a whole follower fetch response may return.'),
  'replica.fetch.backoff.ms': int(1000, 0, INT_MAX, 'Pause of a follower fetcher after a fetch error.'),
  'num.replica.fetchers': int(1, 1, INT_MAX, 'Fetcher threads per source broker.'),
  'replica.socket.timeout.ms': int(30000, 0, INT_MAX, "A follower's connection to its leader must be set up within this long (no fetch waits longer at the leader)."),
  'request.timeout.ms': int(30000, 0, INT_MAX, "A broker's own requests (a follower's fetch) with no answer for this long fail."),
  'replica.high.watermark.checkpoint.interval.ms': long(5000, 0, 'How often the HW is written to disk.'),
  'default.replication.factor': int(1, 1, INT_MAX, 'Replication factor of a topic that names none.'),
  'num.partitions': int(1, 1, INT_MAX, 'Partition count of a topic that names none.'),
  'min.insync.replicas': int(1, 1, INT_MAX, 'ISR size acks=all needs; below it the HW freezes (3.7+).'),
  'unclean.leader.election.enable': bool(false, 'Elect an out-of-sync replica rather than stay leaderless (true before 0.11, KIP-106).'),
  'unclean.leader.election.interval.ms': long(300000, 1, 'How often the KRaft controller retries unclean election of leaderless partitions.'),
  'log.flush.interval.messages': long(LONG_MAX, 1, 'Messages appended before an fsync (default: never).'),
  'log.flush.interval.ms': long(null, 0, 'Age of unflushed data before an fsync (default: log.flush.scheduler.interval.ms).'),
  'log.flush.scheduler.interval.ms': long(LONG_MAX, 0, 'How often the flusher checks log.flush.interval.ms.'),
  'log.retention.ms': long(null, -1, 'Age of a segment\'s newest record before retention deletes it (default: log.retention.minutes, then log.retention.hours; -1: no limit).'),
  'log.retention.minutes': { type: 'int', default: null, min: -1, max: INT_MAX, doc: 'log.retention.ms in minutes, when that is not set.' },
  'log.retention.hours': { type: 'int', default: 168, min: -1, max: INT_MAX, doc: 'log.retention.ms in hours, when neither it nor log.retention.minutes is set (7 days).' },
  'log.retention.bytes': long(-1, Number.MIN_SAFE_INTEGER, 'Bytes a partition\'s log may keep before retention deletes its oldest segments (-1: no limit).'),
  'log.retention.check.interval.ms': long(300000, 1, 'How often the log cleaner checks every log for segments to delete (the first check 30 s after start).'),
  'log.segment.bytes': int(1073741824, 14, INT_MAX, 'Size at which a log rolls a new segment (1 GiB).'),
  'log.roll.ms': long(null, 1, 'Age of a segment\'s first record at which a new one is rolled (default: log.roll.hours).'),
  'log.roll.hours': int(168, 1, INT_MAX, 'log.roll.ms in hours, when that is not set (7 days).'),
  'auto.leader.rebalance.enable': bool(true, 'Move leadership back to preferred replicas periodically.'),
  'leader.imbalance.check.interval.seconds': long(300, 1, 'How often the preferred-leader rebalance runs.'),
  'leader.imbalance.per.broker.percentage': int(10, 0, 100, 'ZooKeeper mode: imbalance that triggers a rebalance.'),
  'controlled.shutdown.enable': bool(true, 'Move leadership away before a broker stops.'),
  'controlled.shutdown.max.retries': int(3, 0, INT_MAX, 'Controlled shutdown attempts before a hard stop.'),
  'controlled.shutdown.retry.backoff.ms': long(5000, 0, 'Pause between controlled shutdown attempts.'),
  'zookeeper.session.timeout.ms': int(18000, 1, INT_MAX, 'ZooKeeper mode: a silent broker is declared dead after this (6000 before 2.5).'),
  'broker.heartbeat.interval.ms': int(2000, 1, INT_MAX, 'KRaft: how often a broker heartbeats the controller.'),
  'broker.session.timeout.ms': int(9000, 1, INT_MAX, 'KRaft: a broker silent for this long is fenced.'),
  'metadata.max.idle.interval.ms': int(500, 0, INT_MAX, 'KRaft: how often an idle active controller appends a no-op record (0: never). kafkasim writes no no-op records, so it changes nothing; a broker\'s metadata fetch waits KafkaRaftClient\'s 500 ms whatever it says.'),
  'controller.quorum.request.timeout.ms': int(2000, 0, INT_MAX, 'KRaft: how long a broker waits for the controller to answer a metadata fetch or registration.'),
  'controller.socket.timeout.ms': int(30000, 0, INT_MAX, 'How long a broker waits for the controller to answer AlterPartition before resending it.'),
  'controller.quorum.election.timeout.ms': int(1000, 0, INT_MAX, 'KRaft quorum (`controllers` > 1): a candidate waits this long plus a random part of it for votes (QuorumConfig).'),
  'controller.quorum.fetch.timeout.ms': int(2000, 0, INT_MAX, 'KRaft quorum: a voter that hears nothing from the leader for this long starts an election; a leader without fetches from a majority for 1.5 times this resigns (check quorum).'),
  'controller.quorum.election.backoff.max.ms': int(1000, 0, INT_MAX, 'KRaft quorum: the most a failed candidate backs off (100 ms × a random factor doubling per retry) before standing again.'),
  'controller.quorum.retry.backoff.ms': int(20, 0, INT_MAX, 'KRaft quorum: pause before a broker asks another voter who leads the quorum.'),
  'leader.replication.throttled.rate': long(LONG_MAX, 1, 'Bytes/s a leader sends to the throttled replicas of leader.replication.throttled.replicas while they are out of the ISR (ReplicationQuotaManager).'),
  'follower.replication.throttled.rate': long(LONG_MAX, 1, 'Bytes/s a follower fetches for the throttled replicas of follower.replication.throttled.replicas while it is out of the ISR.'),
  'replication.quota.window.num': int(11, 1, INT_MAX, 'Samples of the replication throttle\'s rate.'),
  'replication.quota.window.size.seconds': int(1, 1, INT_MAX, 'Length of one sample of the replication throttle\'s rate.'),
  'group.initial.rebalance.delay.ms': int(3000, 0, INT_MAX, 'Delay of the first rebalance of an empty group.'),
  'group.min.session.timeout.ms': int(6000, 0, INT_MAX, 'Smallest session.timeout.ms a consumer may ask for.'),
  'group.max.session.timeout.ms': int(1800000, 0, INT_MAX, 'Largest session.timeout.ms a consumer may ask for.'),
  'offsets.topic.num.partitions': int(50, 1, INT_MAX, 'Partitions of __consumer_offsets (chooses group coordinators).'),
  'replica.selector.class': {
    type: 'enum', default: null, values: ['org.apache.kafka.common.replica.RackAwareReplicaSelector'], aliases: { RackAwareReplicaSelector: 'org.apache.kafka.common.replica.RackAwareReplicaSelector' },
    doc: 'KIP-392: with RackAwareReplicaSelector a leader sends a consumer with client.rack to an in-sync replica of its rack (default: unset, consumers read from the leader).',
  },
};

/** LogConfig's ThrottledReplicaListValidator: `*`, or `partition:broker` entries. */
const THROTTLED_REPLICA = /^(\*|\d+:\d+)$/;
const THROTTLED_REPLICA_DOC = 'a replica as partition:broker (like 0:4), or * for every replica';

const TOPIC: Record<string, ConfigDef> = {
  'min.insync.replicas': BROKER['min.insync.replicas'],
  'unclean.leader.election.enable': BROKER['unclean.leader.election.enable'],
  'flush.messages': long(LONG_MAX, 1, 'Topic override of log.flush.interval.messages.'),
  'flush.ms': long(LONG_MAX, 0, 'Topic override of log.flush.interval.ms.'),
  'retention.ms': long(604800000, -1, 'Topic override of log.retention.ms: a segment whose newest record is older is deleted (-1: no limit).'),
  'retention.bytes': long(-1, Number.MIN_SAFE_INTEGER, 'Topic override of log.retention.bytes: the oldest segments go while the log is larger (-1: no limit).'),
  'segment.bytes': int(1073741824, 14, INT_MAX, 'Topic override of log.segment.bytes.'),
  'segment.ms': long(604800000, 1, 'Topic override of log.roll.ms.'),
  'leader.replication.throttled.replicas': {
    type: 'list', default: [], itemPattern: THROTTLED_REPLICA, itemDoc: THROTTLED_REPLICA_DOC, doc: 'Replicas (`partition:broker`, or `*`) whose leader-side replication is throttled by leader.replication.throttled.rate; kafka-reassign-partitions --throttle lists the existing replicas.',
  },
  'follower.replication.throttled.replicas': {
    type: 'list', default: [], itemPattern: THROTTLED_REPLICA, itemDoc: THROTTLED_REPLICA_DOC, doc: 'Replicas (`partition:broker`, or `*`) whose fetching is throttled by follower.replication.throttled.rate; kafka-reassign-partitions --throttle lists the replicas being added.',
  },
};

const PRODUCER: Record<string, ConfigDef> = {
  acks: {
    type: 'enum', default: 'all', values: ['all', '0', '1'], aliases: { '-1': 'all' },
    doc: 'Acknowledgements the leader waits for: 0, 1 or all (-1). Default all from 3.0 (KIP-679).',
  },
  'enable.idempotence': bool(true, 'Producer id and sequence numbers: the broker drops duplicate retries.'),
  retries: int(INT_MAX, 0, INT_MAX, 'Retries of a failed batch (within delivery.timeout.ms).'),
  'delivery.timeout.ms': int(120000, 0, INT_MAX, 'Upper bound on the time from send to success or failure.'),
  'request.timeout.ms': int(30000, 0, INT_MAX, 'How long a request waits for its response (also the broker-side acks=all timeout).'),
  'linger.ms': long(5, 0, 'How long a batch waits for more records (0 before 4.0, KIP-1030).'),
  'batch.size': int(16384, 0, INT_MAX, 'Bytes per partition batch.'),
  'max.in.flight.requests.per.connection': int(5, 1, INT_MAX, 'Unacknowledged requests per broker connection.'),
  'retry.backoff.ms': long(100, 0, 'First backoff before a retry or metadata refresh.'),
  'retry.backoff.max.ms': long(1000, 0, 'Backoff grows exponentially up to this (KIP-580).'),
  'metadata.max.age.ms': long(300000, 0, 'Metadata is refreshed at least this often.'),
  'metadata.max.idle.ms': long(300000, 5000, 'Topics unused this long leave the metadata cache.'),
  'max.block.ms': long(60000, 0, 'How long send() waits for metadata.'),
  'buffer.memory': long(33554432, 0, 'Bytes of batch buffers the producer may hold (each new batch takes max(batch.size, record) until it completes); send() blocks up to max.block.ms for more.'),
  'partitioner.adaptive.partitioning.enable': bool(true, 'Uniform sticky partitioning prefers less-loaded partitions (KIP-794).'),
  'partitioner.availability.timeout.ms': long(0, 0, 'Skip partitions whose leader has not accepted data for this long (0 = off).'),
  'partitioner.ignore.keys': bool(false, 'Partition keyed records as if they had no key.'),
  'reconnect.backoff.ms': long(50, 0, 'Wait before connecting again to a broker whose connection closed or failed.'),
  'reconnect.backoff.max.ms': long(1000, 0, 'The reconnect backoff doubles per consecutive failure up to this (±20% jitter).'),
  'socket.connection.setup.timeout.ms': long(10000, 0, 'A connection not set up within this is given up (KIP-601, 2.7).'),
  'socket.connection.setup.timeout.max.ms': long(30000, 0, 'The setup timeout doubles per consecutive failure up to this.'),
};

const CONSUMER: Record<string, ConfigDef> = {
  'session.timeout.ms': int(45000, 0, INT_MAX, 'A member silent this long is evicted (10000 before 3.0, KIP-735).'),
  'heartbeat.interval.ms': int(3000, 0, INT_MAX, 'How often a member heartbeats its coordinator.'),
  'max.poll.interval.ms': int(300000, 1, INT_MAX, 'A member that does not poll this long leaves the group.'),
  'auto.offset.reset': { type: 'enum', default: 'latest', values: ['earliest', 'latest', 'none'], doc: 'Where to start without a valid committed offset.' },
  'enable.auto.commit': bool(true, 'Commit positions every auto.commit.interval.ms.'),
  'auto.commit.interval.ms': int(5000, 0, INT_MAX, 'How often positions are committed.'),
  'fetch.min.bytes': int(1, 0, INT_MAX, 'Bytes a fetch waits for.'),
  'fetch.max.wait.ms': int(500, 0, INT_MAX, 'How long a fetch waits at the broker.'),
  'max.poll.records': int(500, 1, INT_MAX, 'Records returned per poll.'),
  'max.partition.fetch.bytes': int(1048576, 0, INT_MAX, 'Bytes a fetch returns per partition at most (at least one batch, KIP-74).'),
  'isolation.level': { type: 'enum', default: 'read_uncommitted', values: ['read_uncommitted', 'read_committed'], doc: 'Without transactions both read up to the HW.' },
  'partition.assignment.strategy': {
    type: 'list', default: ['range', 'cooperative-sticky'], values: ['range', 'cooperative-sticky', 'round-robin', 'sticky'],
    aliases: {
      'org.apache.kafka.clients.consumer.RangeAssignor': 'range',
      'org.apache.kafka.clients.consumer.CooperativeStickyAssignor': 'cooperative-sticky',
      'org.apache.kafka.clients.consumer.RoundRobinAssignor': 'round-robin',
      'org.apache.kafka.clients.consumer.StickyAssignor': 'sticky',
    },
    doc: 'Assignors in preference order; the group uses the first all members support.',
  },
  'request.timeout.ms': int(30000, 0, INT_MAX, 'How long a request waits for its response.'),
  'retry.backoff.ms': long(100, 0, 'Backoff before retrying a failed request.'),
  'retry.backoff.max.ms': long(1000, 0, 'Metadata refreshes back off exponentially up to this (KIP-580).'),
  'metadata.max.age.ms': long(300000, 0, 'Metadata is refreshed at least this often.'),
  'reconnect.backoff.ms': long(50, 0, 'Wait before connecting again to a broker whose connection closed or failed.'),
  'reconnect.backoff.max.ms': long(1000, 0, 'The reconnect backoff doubles per consecutive failure up to this (±20% jitter).'),
  'socket.connection.setup.timeout.ms': long(10000, 0, 'A connection not set up within this is given up (KIP-601, 2.7).'),
  'socket.connection.setup.timeout.max.ms': long(30000, 0, 'The setup timeout doubles per consecutive failure up to this.'),
  'client.rack': { type: 'string', default: '', doc: 'KIP-392: the consumer\'s rack; with replica.selector.class on the brokers it fetches from an in-sync replica of this rack.' },
};

export const CONFIGS: Readonly<Record<ConfigScope, Readonly<Record<string, ConfigDef>>>> = {
  broker: BROKER,
  topic: TOPIC,
  producer: PRODUCER,
  consumer: CONSUMER,
};

/**
 * Real Kafka configs that kafkasim does not model. Setting one is an error that says so, rather than a
 * value silently ignored (the reason is shown to the user).
 */
export const UNMODELED: Readonly<Record<ConfigScope, Readonly<Record<string, string>>>> = {
  broker: {
    'eligible.leader.replicas.enable': 'eligible leader replicas (KIP-966) are not modelled; 4.0 ships them off',
    'compression.type': 'compression is not modelled',
    'num.network.threads': 'threads are not modelled',
    'num.io.threads': 'threads are not modelled',
  },
  topic: {
    'cleanup.policy': 'compaction is not modelled',
    'compression.type': 'compression is not modelled',
    'max.message.bytes': 'record size limits are not modelled',
  },
  producer: {
    'transactional.id': 'transactions are not modelled',
    'partitioner.class': 'custom partitioners cannot run here; use the producer key `partitioner:` (uniform-sticky, sticky, round-robin)',
    'compression.type': 'compression is not modelled',
    'key.serializer': 'serialization is not modelled',
    'value.serializer': 'serialization is not modelled',
    'interceptor.classes': 'interceptors are not modelled',
    'bootstrap.servers': 'the producer knows every broker of the scenario',
    'client.id': 'the producer id is its client id',
  },
  consumer: {
    'group.id': 'set the consumer\'s `group:` key instead',
    'group.protocol': 'only the classic group protocol is modelled',
    'group.instance.id': 'static membership is not modelled',
    'fetch.max.bytes': 'the limit on a whole fetch response is not modelled; max.partition.fetch.bytes limits each partition',
    'key.deserializer': 'serialization is not modelled',
    'value.deserializer': 'serialization is not modelled',
    'bootstrap.servers': 'the consumer knows every broker of the scenario',
    'client.id': 'the consumer id is its client id',
  },
};

/** Converts an accepted user value to its canonical form (acks -1 → "all", "30000" → 30000). */
export function normalizeConfigValue(def: ConfigDef, value: ConfigValue): ConfigValue {
  if (def.type === 'enum') {
    const s = String(value);
    return def.aliases?.[s] ?? s;
  }
  if (def.type === 'list') {
    const items = Array.isArray(value) ? value : String(value).split(',').map((x) => x.trim()).filter((x) => x !== '');
    return items.map((x) => def.aliases?.[x] ?? x);
  }
  if (def.type === 'boolean') return value === true || value === 'true';
  if (def.type === 'string') return String(value);
  return typeof value === 'number' ? value : Number(value);
}

/**
 * The effective value of a config: the most specific setting that exists, else Kafka's default.
 * `layers` run from most to least specific (e.g. topic overrides, then broker configs).
 */
export function configValue(scope: ConfigScope, name: string, ...layers: (ConfigMap | undefined)[]): ConfigValue | null {
  for (const layer of layers) {
    if (layer && Object.prototype.hasOwnProperty.call(layer, name)) return layer[name];
  }
  const def = CONFIGS[scope][name];
  if (!def) throw new Error(`unknown ${scope} config ${name}`);
  return def.default;
}

export function configNumber(scope: ConfigScope, name: string, ...layers: (ConfigMap | undefined)[]): number {
  const v = configValue(scope, name, ...layers);
  if (typeof v !== 'number') throw new Error(`${scope} config ${name} is not a number`);
  return v;
}

export function configBoolean(scope: ConfigScope, name: string, ...layers: (ConfigMap | undefined)[]): boolean {
  const v = configValue(scope, name, ...layers);
  if (typeof v !== 'boolean') throw new Error(`${scope} config ${name} is not a boolean`);
  return v;
}
