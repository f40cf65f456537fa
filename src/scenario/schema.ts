// The JSON Schema (draft-07) of the scenario format, generated from the same tables the validator
// uses (the Kafka config catalog, the action and check names, event types, error codes), so editors
// (yaml-language-server) complete and document exactly what the validator accepts. The schema sees
// shapes only; cross-references (a broker that does not exist, a partition not yet added) are the
// validator's. scenarios/scenario.schema.json is this object, written out; a test keeps them equal.

import { METRIC_NAMES } from '../../sim/kafka/metrics.ts';
import { KAFKA_VERSIONS } from '../../sim/kafka/versions.ts';
import { CONFIGS, UNMODELED, type ConfigDef, type ConfigScope } from '../../sim/kafka/config.ts';
import { COMMIT_MODES } from '../../sim/kafka/spec.ts';
import { EVENT_TYPES } from './event-types.ts';
import { KAFKA_ERROR_CODES } from './kafka-errors.ts';
import { EXPECTATION_CHECKS, PRODUCER_ERROR_REASONS, TIMELINE_ACTIONS } from './types.ts';
import { RESERVED_NODE_NAMES } from './context.ts';
import { MAX_PARTITIONS_PER_TOPIC } from './topics.ts';
import { MAX_RANDOM_KEYS } from './clients.ts';

type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/definitions/${name}` });
const obj = (description: string, properties: Record<string, Schema>, required: string[] = [], extra: Schema = {}): Schema => ({
  type: 'object', description, properties, required, additionalProperties: false, ...extra,
});
const list = (description: string, items: Schema, extra: Schema = {}): Schema => ({ type: 'array', description, items, ...extra });
const text = (description: string): Schema => ({ type: 'string', minLength: 1, description });
const int = (description: string, minimum = 0, extra: Schema = {}): Schema => ({ type: 'integer', minimum, description, ...extra });
const described = (schema: Schema, description: string): Schema => ({ allOf: [schema], description });
const oneOrMany = (item: Schema, description: string, ...choices: Schema[]): Schema => ({
  description, anyOf: [item, { type: 'array', items: item, minItems: 1, uniqueItems: true }, ...choices],
});
/** Exactly one of these keys (JSON Schema's way: each alternative requires one key). */
const exactlyOneOf = (keys: string[]): Schema => ({ oneOf: keys.map((k) => ({ required: [k] })) });
/** A key written with nothing after it counts as absent. */
const orNothing = (schema: Schema): Schema => ({ anyOf: [{ type: 'null' }, schema] });
/** An optional list section: absent, empty (`timeline:` with nothing), or a list. */
const section = (description: string, items: Schema): Schema => ({ description, anyOf: [{ type: 'null' }, { type: 'array', items }] });

const DURATION_TEXT = '^\\s*[0-9]+(\\.[0-9]+)?\\s*(us|µs|ms|s|m|h)\\s*$';
const ZERO_DURATION_TEXT = '^\\s*0+(\\.0+)?\\s*(us|µs|ms|s|m|h)\\s*$';

export function scenarioSchema(): Schema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://kafkasim.dev/scenario.schema.json',
    title: 'kafkasim scenario',
    description: 'A scripted Kafka cluster run: cluster, topics, clients, a timeline of faults and operations, and expectations (docs/scenario-format.md).',
    ...obj('A kafkasim scenario.', topLevel(), ['name', 'duration', 'cluster']),
    definitions: definitions(),
  };
}

function topLevel(): Record<string, Schema> {
  return {
    $schema: { type: 'string', description: 'The schema of this file, for editors (JSON scenarios; YAML ones use a yaml-language-server comment).' },
    name: text('Required: the scenario\'s identifier, unique in the library (kebab-case by convention).'),
    title: text('A one-line title.'),
    description: text('Markdown shown in the front end: what happens and what to look at.'),
    seed: int('Seed of every random stream of the run (default 1; `--seed` overrides).', 0, { maximum: Number.MAX_SAFE_INTEGER }),
    seeds: {
      type: 'array', minItems: 1, uniqueItems: true, items: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
      description: 'The seeds `kafkasim check` runs the scenario at, each with every expectation (default: just `seed`; `--seed`/`--seeds` override).',
    },
    duration: described(ref('positiveDuration'), 'Required: the run stops at this simulated time.'),
    cluster: ref('cluster'),
    network: ref('network'),
    topics: section('Topics created before the run starts.', ref('topic')),
    producers: section('Producers and the load they generate.', ref('producer')),
    consumers: section('Consumers and their groups.', ref('consumer')),
    timeline: section('Faults and operations, in any order; each step has `at` and one action (or only a note).', ref('step')),
    expect: section('Checks that must all hold, at `at` or (default) at the end of the run.', ref('expectation')),
  };
}

function definitions(): Record<string, Schema> {
  return {
    ...valueDefinitions(),
    'config-broker': configMap('broker', 'Broker configs, Kafka names and units.'),
    'config-topic': configMap('topic', 'Topic configs, Kafka names and units.'),
    'config-producer': configMap('producer', 'Producer configs, Kafka names.'),
    'config-consumer': configMap('consumer', 'Consumer configs, Kafka names.'),
    cluster: obj('The brokers and the cluster-wide settings.', {
      brokers: {
        description: 'Required: a count (`3` means broker ids 1, 2, 3) or a list of broker ids (`[0, 1, 2]`).',
        anyOf: [int('Number of brokers, ids 1..N.', 1, { maximum: 1000 }), { type: 'array', items: ref('brokerId'), minItems: 1, maxItems: 1000, uniqueItems: true }],
      },
      'kafka.version': {
        description: 'The Kafka release (MAJOR.MINOR) whose defaults and behaviours the run follows (default: the current one; `kafkasim versions` lists what changed when). A setting written in the file wins over the version\'s default.',
        anyOf: [{ enum: [...KAFKA_VERSIONS] }, { type: 'number' }],
      },
      controller: { enum: ['kraft', 'zookeeper'], description: 'kraft or zookeeper: changes who notices failures and how fast (default: the version\'s, kraft from 4.0, zookeeper before).' },
      controllers: int('KRaft controller nodes: 1 (default), the single node `controller`; N > 1, a Raft quorum controller-1 … controller-N that elects the active controller and can fail over (not with controller: zookeeper).', 1, { maximum: 9 }),
      'replication.protocol': {
        enum: ['leader-epoch', 'high-watermark'],
        description: 'leader-epoch (KIP-101, the default from 0.11) or high-watermark (before 0.11: a restarted follower truncates to its own HW).',
      },
      racks: {
        type: 'object',
        description: 'Each broker\'s broker.rack, as rack name → broker ids ({ a: [1, 2], b: [3, 4] }): a broker in one rack only, and every broker in one once racks are given. With racks, a topic without replicas: is placed rack-aware (KRaft StripedReplicaPlacer, ZooKeeper AdminUtils), and faults may name a rack ({ rack: a }).',
        minProperties: 1,
        propertyNames: { pattern: '^[A-Za-z0-9._-]{1,64}$' },
        additionalProperties: { anyOf: [ref('brokerId'), { type: 'array', items: ref('brokerId'), minItems: 1, uniqueItems: true }] },
      },
      'page-cache-writeback': described(ref('duration'), 'Extension: age at which the OS writes dirty page cache to disk, i.e. what power-loss can lose (default 30s, Linux vm.dirty_expire_centisecs).'),
      config: described(ref('config-broker'), 'Broker configs, Kafka names and units.'),
    }, ['brokers']),
    network: orNothing(obj('The network between every pair of nodes.', {
      latency: {
        description: 'One-way latency of every link: fixed (default 1ms), or {min, max} drawn uniformly per message.',
        anyOf: [ref('duration'), obj('A uniform range.', { min: ref('duration'), max: ref('duration') }, ['min', 'max'])],
      },
    })),
    topic: topicSchema(),
    producer: producerSchema(),
    consumer: obj('A consumer in a group.', {
      id: described(ref('clientId'), 'Required: the consumer\'s client id (a node faults can name).'),
      group: text('Required: the consumer group id.'),
      topics: list('Required: topics to subscribe to.', ref('topicName'), { minItems: 1, uniqueItems: true }),
      start: {
        description: 'Extension: when the consumer starts (default 0s), or never (only a start-consumer step starts it).',
        anyOf: [ref('duration'), { const: 'never' }],
      },
      stop: described(ref('duration'), 'Extension: when the consumer stops (default: runs to the end).'),
      config: described(ref('config-consumer'), 'Consumer configs, Kafka names.'),
      processing: {
        description: 'Extension: how long the application takes over the records each poll() returns (default: no time at all). A duration per record, a range per record drawn from the consumer\'s own stream, or {per-record, per-poll}.',
        anyOf: [
          ref('duration'),
          ref('durationRange'),
          obj('Time per poll() (before its records) and per record.', {
            'per-record': { description: 'Time per record: a duration or a range.', anyOf: [ref('duration'), ref('durationRange')] },
            'per-poll': described(ref('duration'), 'Time per poll() that returned records.'),
          }),
        ],
      },
      commit: {
        enum: [...COMMIT_MODES],
        description: 'Extension: when the application commits: auto (enable.auto.commit), sync / async (commitSync / commitAsync after processing each poll\'s records), before-processing (commitSync, then process: at most once), none. Default: auto, or none when enable.auto.commit is false.',
      },
    }, ['id', 'group', 'topics']),
    durationRange: obj('A uniform range of durations.', { min: ref('duration'), max: ref('duration') }, ['min', 'max']),
    step: stepSchema(),
    ...actionDefinitions(),
    expectation: expectationSchema(),
    ...checkDefinitions(),
  };
}

function valueDefinitions(): Record<string, Schema> {
  return {
    duration: {
      description: 'A duration with a unit (us, ms, s, m, h), like 250ms, 1.5s or 2m; or a number of milliseconds.',
      anyOf: [{ type: 'string', pattern: DURATION_TEXT }, { type: 'number', minimum: 0 }],
    },
    positiveDuration: { allOf: [ref('duration'), { not: { anyOf: [{ const: 0 }, { type: 'string', pattern: ZERO_DURATION_TEXT }] } }] },
    brokerId: int('A broker id.'),
    brokerRef: { description: 'A broker id.', anyOf: [ref('brokerId'), { type: 'string', pattern: '^[0-9]+$' }] },
    clientId: {
      type: 'string', pattern: '^(?![0-9]+$)[A-Za-z0-9._-]+$', not: { enum: Object.keys(RESERVED_NODE_NAMES) },
      description: 'A producer or consumer id: letters, digits, ".", "_", "-", not all digits.',
    },
    node: {
      description: 'A node: a broker id, `controller` (with a quorum, the active controller), a quorum\'s `controller-N` or `active-controller`, or a producer or consumer id.',
      anyOf: [ref('brokerRef'), { const: 'controller' }, ref('quorumNode'), ref('clientId')],
    },
    quorumNode: { description: 'A node of a controller quorum (cluster.controllers > 1): controller-N, or active-controller (whichever is active when the step runs).', anyOf: [{ type: 'string', pattern: '^controller-[1-9]$' }, { const: 'active-controller' }] },
    process: {
      description: 'A broker id, a node of a controller quorum (controller-N, active-controller, controller), or (extension) a producer or consumer id.',
      anyOf: [ref('brokerRef'), ref('quorumNode'), { const: 'controller' }, ref('clientId')],
    },
    topicName: { type: 'string', pattern: '^[a-zA-Z0-9._-]{1,249}$', not: { enum: ['.', '..'] }, description: 'A topic name.' },
    partitionName: { type: 'string', pattern: '^.+-[0-9]+$', description: 'A partition as Kafka prints it: orders-0.' },
    count: int('A whole number ≥ 0.'),
    probability: { type: 'number', minimum: 0, maximum: 1, description: 'A probability, from 0 to 1.' },
    window: obj('A window the moment is drawn from in each run, uniformly in whole microseconds, both ends included.', {
      between: list('The window\'s start and end (at most the duration; the start no later than the end).', ref('duration'), { minItems: 2, maxItems: 2 }),
    }, ['between']),
    anyOf: obj('One broker drawn uniformly from the list when the step runs (from the step\'s own random stream).', {
      'any-of': list('The broker ids to draw from.', ref('brokerRef'), { minItems: 1, uniqueItems: true }),
    }, ['any-of']),
    leaderOf: {
      description: 'The broker leading the partition in the controller\'s committed metadata when the step runs (no leader: the step is skipped, and traced as step-skipped).',
      anyOf: [
        { type: 'string', pattern: '^leader-of\\s+\\S', description: 'leader-of orders-0' },
        obj('{leader-of: orders-0}', { 'leader-of': ref('partitionName') }, ['leader-of']),
      ],
    },
    brokerChoice: { description: 'A broker chosen when the step runs: {any-of: [1, 2, 3]} or leader-of orders-0.', anyOf: [ref('anyOf'), ref('leaderOf')] },
    rack: obj('Every broker of a rack (cluster.racks), at once.', { rack: { anyOf: [{ type: 'string' }, { type: 'integer' }], description: 'The rack name.' } }, ['rack']),
  };
}

function topicSchema(): Schema {
  return obj('A topic.', {
    name: described(ref('topicName'), 'Required: the topic name.'),
    partitions: int('Partition count (default: the broker\'s num.partitions).', 1, { maximum: MAX_PARTITIONS_PER_TOPIC }),
    'replication.factor': int('Replicas per partition (default: the broker\'s default.replication.factor); at most the number of brokers.', 1),
    replicas: list(
      'Explicit assignment, one list of broker ids per partition, the first being the preferred leader (default: Kafka\'s rack-unaware placement).',
      { type: 'array', items: ref('brokerId'), minItems: 1, uniqueItems: true },
      { minItems: 1 },
    ),
    config: described(ref('config-topic'), 'Topic-level config overrides.'),
  }, ['name']);
}

function producerSchema(): Schema {
  return obj('A producer and its load.', {
    id: described(ref('clientId'), 'Required: the producer\'s client id (a node faults can name).'),
    topic: described(ref('topicName'), 'Required: the topic it writes to.'),
    rate: {
      description: 'Required: records per time unit, evenly spaced, like 100/s (also /ms, /m, /h); a bare number is per second.',
      anyOf: [{ type: 'number', exclusiveMinimum: 0, maximum: 1_000_000 }, { type: 'string', pattern: '^\\s*[0-9]+(\\.[0-9]+)?\\s*/\\s*(ms|s|m|h)\\s*$' }],
    },
    keys: {
      description: 'Record keys: none (null keys, default), a list cycled in order, or {random: N} (key-0 … key-(N-1), uniformly).',
      anyOf: [
        { const: 'none' },
        { type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'number' }] }, minItems: 1 },
        obj('N distinct keys drawn uniformly.', { random: int('How many distinct keys.', 1, { maximum: MAX_RANDOM_KEYS }) }, ['random']),
      ],
    },
    start: described(ref('duration'), 'When the producer starts (default 0s).'),
    stop: described(ref('duration'), 'When it stops (default: the end of the run).'),
    partitioner: {
      enum: ['uniform-sticky', 'sticky', 'round-robin'],
      description: 'Extension: how null-key records are spread: uniform-sticky (3.3+, default), sticky (2.4–3.2), round-robin (≤ 2.3).',
    },
    partition: int('Extension: write every record to this partition number (wins over keys).'),
    'record-size': int('Extension: bytes per record, key + value + overhead, for batch.size accounting (default 100); at most max.request.size (1048576) and buffer.memory.', 1, { maximum: 1048576 }),
    config: described(ref('config-producer'), 'Producer configs, Kafka names.'),
  }, ['id', 'topic', 'rate']);
}

function stepSchema(): Schema {
  const actions = Object.fromEntries(TIMELINE_ACTIONS.map((a) => [a, ref(`action-${a}`)]));
  const oneAction = TIMELINE_ACTIONS.map((a) => ({ required: [a] }));
  return obj('A timeline step: `at`, one action, and an optional note.', {
    at: {
      description: 'Required: when the step happens (at most the duration), or {between: [10s, 20s]} to draw the moment in each run.',
      anyOf: [ref('duration'), ref('window')],
    },
    note: text('A caption shown at this moment; alone, the step is only a caption.'),
    explains: {
      description: "The trace event the note explains (a type, or {type, partition, broker}): the page shows the caption with the matching event nearest `at`, before or after it. The run is unchanged.",
      anyOf: [
        { type: 'string', enum: [...EVENT_TYPES] },
        obj('The event a note explains.', { type: { type: 'string', enum: [...EVENT_TYPES], description: 'A trace event type.' }, partition: text('The partition it names, like orders-0.'), broker: { type: 'integer', minimum: 0, description: 'The broker it names.' } }, ['type']),
      ],
    },
    ...actions,
  }, ['at'], { oneOf: [...oneAction, { required: ['note'], not: { anyOf: oneAction } }] });
}

function actionDefinitions(): Record<string, Schema> {
  const a = (name: string, schema: Schema): [string, Schema] => [`action-${name}`, schema];
  return Object.fromEntries([
    a('crash', oneOrMany(ref('process'), 'Hard kill of brokers (the log on disk survives) or, as an extension, of clients; or a broker chosen when the step runs; or a whole rack ({rack: a}).', ref('brokerChoice'), ref('rack'))),
    a('restart', oneOrMany(ref('process'), 'Start crashed or shut-down brokers (or clients); {any-of: [...]}, crashed for every broker then crashed or stopped, or a whole rack ({rack: a}).', ref('anyOf'), { const: 'crashed' }, ref('rack'))),
    a('shutdown', oneOrMany(ref('brokerRef'), 'Controlled shutdown: leadership moves first, then the broker stops.', ref('brokerChoice'), ref('rack'))),
    a('power-loss', oneOrMany(ref('brokerRef'), 'Machine loss: crash and lose what the OS had not written to disk; {rack: a} for a whole rack.', ref('brokerChoice'), ref('rack'))),
    a('disk-loss', oneOrMany(ref('brokerRef'), 'The broker comes back with an empty disk.', ref('brokerChoice'), ref('rack'))),
    a('pause', obj('The process freezes (GC pause, SIGSTOP), then resumes.', {
      broker: { description: 'A broker id, or a broker chosen when the step runs.', anyOf: [ref('brokerRef'), ref('brokerChoice')] },
      node: described(ref('node'), 'Extension: pause any node (a consumer\'s GC pause) instead of a broker.'),
      for: ref('positiveDuration'),
    }, ['for'], exactlyOneOf(['broker', 'node']))),
    a('isolate', { description: 'Cut every link to and from a node (or a broker chosen when the step runs); {rack: a} cuts a rack\'s brokers off from every other node (they still reach each other).', anyOf: [ref('node'), ref('brokerChoice'), ref('rack')] }),
    a('partition', list('Cut links between the groups; nodes not listed keep all links.', list('A group of nodes.', ref('node'), { minItems: 1 }), { minItems: 2 })),
    a('cut', obj('Cut one direction only: packets from `from` to `to` are lost (TCP retransmits requests and responses once it heals).', { from: ref('node'), to: ref('node') }, ['from', 'to'])),
    a('slow', obj('Add latency to every link of a node, or to one link.', {
      broker: ref('brokerRef'),
      node: described(ref('node'), 'Extension: any node instead of a broker.'),
      link: list('Two nodes.', ref('node'), { minItems: 2, maxItems: 2, uniqueItems: true }),
      latency: ref('positiveDuration'),
    }, ['latency'], exactlyOneOf(['broker', 'node', 'link']))),
    a('heal', { description: 'Remove network faults: all, or those touching a node.', anyOf: [{ const: 'all' }, ref('node')] }),
    a('alter-config', alterConfigSchema()),
    a('elect-leaders', obj('kafka-leader-election.', {
      partition: described(ref('partitionName'), 'The partition to elect a leader for.'),
      partitions: {
        description: 'Extension: several partitions at once, or all of them (kafka-leader-election --all-topic-partitions).',
        anyOf: [{ const: 'all' }, list('Partitions.', ref('partitionName'), { minItems: 1 })],
      },
      type: { enum: ['preferred', 'unclean'], description: 'preferred (default) or unclean.' },
    }, [], exactlyOneOf(['partition', 'partitions']))),
    a('add-partitions', obj('Grow a topic; shrinking is an error, as in Kafka.', { topic: ref('topicName'), count: int('The new partition count.', 1, { maximum: MAX_PARTITIONS_PER_TOPIC }) }, ['topic', 'count'])),
    a('reassign', obj('kafka-reassign-partitions --execute (KIP-455): new replicas are added and catch up, leadership moves if the leader leaves, then the old replicas are removed.', {
      partition: described(ref('partitionName'), 'The partition to move.'),
      replicas: list('The target replicas, distinct broker ids, the first the preferred leader.', ref('brokerId'), { minItems: 1, uniqueItems: true }),
      throttle: int('--throttle: bytes/s, set as leader.replication.throttled.rate and follower.replication.throttled.rate on the brokers involved, with the moving replicas listed as throttled.', 1),
    }, ['partition', 'replicas'])),
    a('reset-offsets', obj('kafka-consumer-groups --reset-offsets; the group must be inactive.', {
      group: text('The consumer group.'),
      topic: ref('topicName'),
      to: { description: 'earliest, latest, or an offset.', anyOf: [{ enum: ['earliest', 'latest'] }, int('An offset.')] },
      'shift-by': { type: 'integer', description: 'Move every partition\'s offset by N (negative: back).' },
    }, ['group', 'topic'], exactlyOneOf(['to', 'shift-by']))),
    a('stop-producer', described(ref('clientId'), 'Stop a producer\'s load.')),
    a('start-producer', described(ref('clientId'), 'Resume a producer\'s load.')),
    a('start-consumer', described(ref('clientId'), 'Start a consumer (a new process if it had crashed or stopped): it joins its group.')),
    a('stop-consumer', described(ref('clientId'), 'Close a consumer cleanly: it finishes its batch, commits, and leaves its group (LeaveGroup).')),
    a('crash-consumer', described(ref('clientId'), 'Kill a consumer\'s process: no commit, no LeaveGroup; the coordinator notices after session.timeout.ms.')),
  ]);
}

/** `broker:` takes broker configs, `topic:` topic configs; `delete:` (extension) returns names to their defaults. */
function alterConfigSchema(): Schema {
  const names = (scope: ConfigScope): Schema => list('Configs to return to their defaults.', { enum: Object.keys(CONFIGS[scope]) }, { uniqueItems: true });
  return {
    ...obj('kafka-configs --alter.', {
      topic: ref('topicName'),
      broker: ref('brokerId'),
      set: { type: 'object', description: 'Configs to set.' },
      delete: { type: 'array', description: 'Extension: configs to delete (back to their defaults).' },
    }),
    allOf: [exactlyOneOf(['topic', 'broker']), { anyOf: [{ required: ['set'] }, { required: ['delete'] }] }],
    if: { required: ['broker'] },
    then: { properties: { set: ref('config-broker'), delete: names('broker') } },
    else: { properties: { set: ref('config-topic'), delete: names('topic') } },
  };
}

function expectationSchema(): Schema {
  const checks = Object.fromEntries(EXPECTATION_CHECKS.map((c) => [c, ref(`check-${c}`)]));
  return obj('One check, optionally at a moment of the run.', {
    at: described(ref('duration'), 'When to check (default: the end of the run); not for loss-probability.'),
    ...checks,
  }, [], { ...exactlyOneOf([...EXPECTATION_CHECKS]), not: { required: ['at', 'loss-probability'] } });
}

const BOUND: Record<string, Schema> = {
  is: described(ref('count'), 'Exactly this.'),
  min: described(ref('count'), 'At least this.'),
  max: described(ref('count'), 'At most this.'),
};
const METRIC_BOUND: Record<string, Schema> = {
  is: { type: 'number', minimum: 0, description: 'Exactly this.' },
  min: { type: 'number', minimum: 0, description: 'At least this.' },
  max: { type: 'number', minimum: 0, description: 'At most this.' },
};
/** `is`, or `min` and/or `max`, never `is` with either. */
const BOUND_RULE: Schema = { not: { anyOf: [{ required: ['is', 'min'] }, { required: ['is', 'max'] }] } };
const BOUND_REQUIRED: Schema = { anyOf: [{ required: ['is'] }, { required: ['min'] }, { required: ['max'] }] };

/** `{min: 20s, max: 25s}`: a window of simulated time, either end open. */
function timeWindow(description: string): Schema {
  return obj(description, { min: described(ref('duration'), 'Not before.'), max: described(ref('duration'), 'Not after.') }, [], {
    anyOf: [{ required: ['min'] }, { required: ['max'] }],
  });
}

function numericCheck(description: string, fields: Record<string, Schema>, required: string[], boundRequired = true): Schema {
  return obj(description, { ...fields, ...BOUND }, required, { allOf: [BOUND_RULE, ...(boundRequired ? [BOUND_REQUIRED] : [])] });
}

function checkDefinitions(): Record<string, Schema> {
  const c = (name: string, schema: Schema): [string, Schema] => [`check-${name}`, schema];
  const count = (what: string): Schema => ({
    description: `${what}; a number is shorthand for {is: N}.`,
    anyOf: [ref('count'), numericCheck(what, { topic: ref('topicName'), partition: ref('partitionName') }, [])],
  });
  const processingCount = (what: string): Schema => ({
    description: `${what}; a number is shorthand for {is: N}.`,
    anyOf: [ref('count'), numericCheck(what, { group: text('Only this consumer group.'), topic: ref('topicName'), partition: ref('partitionName') }, [])],
  });
  return Object.fromEntries([
    c('leader', obj('The leader in the controller\'s committed metadata; is: none for no leader.', {
      partition: ref('partitionName'),
      is: { description: 'The leader\'s broker id, or none for no leader.', anyOf: [{ const: 'none' }, ref('brokerId')] },
    }, ['partition', 'is'])),
    c('isr', obj('The ISR in the controller\'s committed metadata, compared as a set.', {
      partition: ref('partitionName'),
      is: list('Broker ids.', ref('brokerId'), { uniqueItems: true }),
    }, ['partition', 'is'])),
    c('replicas', obj('The replicas in the controller\'s committed metadata, in assignment order (during a reassignment: the target, then the replicas being removed).', {
      partition: ref('partitionName'),
      is: list('Broker ids, in order.', ref('brokerId'), { uniqueItems: true }),
    }, ['partition', 'is'])),
    c('hw', numericCheck('The current leader\'s high watermark (fails when there is no leader).', { partition: ref('partitionName') }, ['partition'])),
    c('leo', numericCheck('A broker\'s log end offset.', { partition: ref('partitionName'), broker: ref('brokerId') }, ['partition', 'broker'])),
    c('epoch', numericCheck('The partition\'s leader epoch in the controller\'s committed metadata (+1 at every election).', { partition: ref('partitionName') }, ['partition'])),
    c('partition-epoch', numericCheck('The partition epoch in the controller\'s committed metadata (+1 at every change of leader or ISR).', { partition: ref('partitionName') }, ['partition'])),
    c('acked', count('Records acknowledged to producers')),
    c('lost', count('Acked records missing from the current leader\'s log at the end')),
    c('duplicates', count('Records present at more than one offset of a final log')),
    c('unavailable', count('Acked records of partitions without a leader at the end')),
    c('deleted', count('Acked records retention deleted from the current leader\'s log (not lost)')),
    c('event', numericCheck('Count of trace events of a type (no bound: at least one), and when the first and last happened.', {
      type: { enum: [...EVENT_TYPES], description: 'The trace event type.' },
      partition: ref('partitionName'),
      broker: ref('brokerId'),
      group: text('Only events about this consumer group.'),
      consumer: ref('clientId'),
      producer: ref('clientId'),
      reason: text('Only events with this reason (offset-reset: no-committed-offset, out-of-range, log-truncation, unknown-leader-epoch, reset-offsets).'),
      first: timeWindow('When the first matching event must have happened.'),
      last: timeWindow('When the last matching event must have happened.'),
    }, ['type'], false)),
    c('errors', numericCheck('Producer errors by Kafka error code (no bound: at least one).', {
      producer: ref('clientId'),
      code: { enum: [...KAFKA_ERROR_CODES], description: 'A Kafka error code, like NOT_ENOUGH_REPLICAS.' },
      reason: { enum: [...PRODUCER_ERROR_REASONS], description: 'Which timeout (all REQUEST_TIMED_OUT): delivery.timeout.ms gave up on the batch, request.timeout.ms ran out on an attempt (or, before 2.1, on a queued batch), or send() waited max.block.ms.' },
      records: { type: 'boolean', description: 'Count the records of the failed batches instead of the error answers.' },
    }, [], false)),
    c('consumed', numericCheck('Records the consumer group received, each counted once however often it read it.', {
      group: text('The consumer group.'), topic: ref('topicName'), partition: ref('partitionName'),
    }, ['group'])),
    c('position', numericCheck('A consumer\'s fetch position in a partition it is assigned (the offset it reads next).', {
      consumer: ref('clientId'), partition: ref('partitionName'),
    }, ['consumer', 'partition'])),
    c('lag', numericCheck('Consumer lag as kafka-consumer-groups computes it (HW − committed).', {
      group: text('The consumer group.'), topic: ref('topicName'), partition: ref('partitionName'),
    }, ['group'])),
    c('duplicates-processed', processingCount('Records a consumer group\'s applications processed more than once (at-least-once redelivery after a crash or a rebalance)')),
    c('skipped', processingCount('Records below a consumer group\'s committed offset that none of its applications processed (committed before processing, or a position moved past them)')),
    c('committed', numericCheck('A group\'s committed offset for a partition.', { group: text('The consumer group.'), partition: ref('partitionName') }, ['group', 'partition'])),
    c('metric', obj('One of Kafka\'s metrics (kafkasim run --metrics lists them): its value at `at`, or without `at` every sample of the run within the bound.', {
      name: { enum: [...METRIC_NAMES], description: 'The metric, by Kafka\'s name.' },
      group: text('consumer-group-lag only: the group.'), partition: ref('partitionName'),
      ...METRIC_BOUND,
    }, ['name'], { allOf: [BOUND_RULE, BOUND_REQUIRED] })),
    c('alert-seconds', obj('Simulated seconds a metric stayed above a threshold (how long its alert would have fired), over the run or up to `at`.', {
      metric: { enum: [...METRIC_NAMES], description: 'The metric, by Kafka\'s name.' },
      above: { type: 'number', description: 'The alert fires while the metric is above this (default 0).' },
      ...METRIC_BOUND,
    }, ['metric'], { allOf: [BOUND_RULE, BOUND_REQUIRED] })),
    c('loss-probability', {
      description: 'Over many runs (kafkasim sweep; a single run skips it): the share of runs that lose an acked record. A number is shorthand for {is: P}.',
      anyOf: [
        ref('probability'),
        obj('A bound on the share of runs that lose an acked record.', {
          is: described(ref('probability'), 'Exactly this.'),
          min: described(ref('probability'), 'At least this.'),
          max: described(ref('probability'), 'At most this.'),
        }, [], { allOf: [BOUND_RULE, BOUND_REQUIRED] }),
      ],
    }),
  ]);
}

/** Every modelled config of a scope with its type, range and default; unmodelled ones explain themselves. */
function configMap(scope: ConfigScope, description: string): Schema {
  const modelled = Object.fromEntries(Object.entries(CONFIGS[scope]).map(([name, def]) => [name, configValue(def)]));
  const unmodelled = Object.fromEntries(Object.entries(UNMODELED[scope]).map(([name, why]) => [name, { not: {}, description: `Not modelled: ${why}.` }]));
  return orNothing({ type: 'object', description, properties: { ...modelled, ...unmodelled }, additionalProperties: false });
}

function configValue(def: ConfigDef): Schema {
  const description = `${def.doc} Default: ${JSON.stringify(def.default)}.`;
  switch (def.type) {
    case 'int':
    case 'short':
    case 'long':
      return {
        description,
        anyOf: [
          { type: 'integer', minimum: def.min, ...(def.type === 'long' ? {} : { maximum: def.max }) },
          { type: 'string', pattern: '^\\s*-?[0-9]+\\s*$' },
        ],
      };
    case 'boolean':
      return { description, anyOf: [{ type: 'boolean' }, { type: 'string', pattern: '^\\s*([Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee])\\s*$' }] };
    case 'enum':
      return { description, enum: enumChoices(def) };
    case 'list': {
      // a free list (the throttled replicas: `partition:broker` entries or `*`) takes any text items
      if (choices(def).length === 0) {
        return { description, anyOf: [{ type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 }, { type: 'string', minLength: 1 }] };
      }
      const choice = choices(def).map(escapeRegex).join('|');
      return {
        description,
        anyOf: [
          { type: 'array', items: { enum: choices(def) }, minItems: 1 },
          { type: 'string', pattern: `^(\\s*,)*\\s*(${choice})\\s*(,\\s*((${choice})\\s*)?)*$` },
        ],
      };
    }
    case 'string':
      return { type: 'string', description };
  }
}

function choices(def: ConfigDef): string[] {
  return [...(def.values ?? []), ...Object.keys(def.aliases ?? {})];
}

/** Enum choices; numeric ones also as numbers, since YAML reads `acks: 1` as a number. */
function enumChoices(def: ConfigDef): (string | number)[] {
  const strings = choices(def);
  return [...strings, ...strings.filter((s) => /^-?[0-9]+$/.test(s)).map(Number)];
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
