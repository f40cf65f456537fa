// The trace's catalog: every event a simulation writes to its journal, declared once, in Kafka's
// words. From this one table come the TypeScript type of each event (KafkaTraceEvent, a union
// discriminated on `type`), the JSON Schema of a JSONL trace line (traceEventSchema), the list in the
// docs (docs/trace-format.md, generated) and the `event:` expectations' vocabulary
// (src/scenario/event-types.ts). A test runs the scenarios and fails on any event this table lacks,
// or on one missing a required field (test/kafka/trace-catalog.test.ts).
//
// One spelling per idea: `broker` and `partition` ("orders-0") everywhere; `epoch` is a leader epoch
// (a producer's is `producerEpoch`). Only the per-message events, the bulk of a busy trace, use short
// keys, and they mean the same thing in every event that has them: `k` the message kind, `f` the node
// it came from, `to` the node it went to, `s` sent, `a` arrived, `r` answered, `d` delivered. Times
// are µs of simulated time.

/** A field of an event: its JSON Schema, what it means, and (phantom) its TypeScript type. */
export interface Field<T = unknown, O extends boolean = boolean> {
  readonly schema: Record<string, unknown>;
  readonly doc: string;
  readonly optional: O;
  /** Never set: carries the field's type for EventOf. */
  readonly _type?: T;
}

const field = <T>(schema: Record<string, unknown>, doc: string): Field<T, false> => ({ schema, doc, optional: false });
const int = (doc: string) => field<number>({ type: 'integer' }, doc);
const num = (doc: string) => field<number>({ type: 'number' }, doc);
const str = (doc: string) => field<string>({ type: 'string' }, doc);
const bool = (doc: string) => field<boolean>({ type: 'boolean' }, doc);
const ints = (doc: string) => field<number[]>({ type: 'array', items: { type: 'integer' } }, doc);
const strs = (doc: string) => field<string[]>({ type: 'array', items: { type: 'string' } }, doc);
const intOrNull = (doc: string) => field<number | null>({ type: ['integer', 'null'] }, doc);
/** A node's name: a broker's id, `controller`, or a client's id. */
const node = (doc: string) => field<number | string>({ type: ['integer', 'string'] }, doc);
const oneOf = <T extends string>(values: readonly T[], doc: string) => field<T>({ enum: [...values] }, doc);
/** Any JSON value (a config map, a list of results): documented, not constrained. */
const json = <T = unknown>(doc: string) => field<T>({}, doc);
const tuples = <T>(doc: string) => field<T[]>({ type: 'array', items: { type: 'array' } }, doc);
function opt<T>(f: Field<T, false>): Field<T | undefined, true> {
  return { ...f, optional: true } as Field<T | undefined, true>;
}

// fields shared by many events, written once
const broker = int('the broker the event is about');
const partition = str('the partition, topic-index ("orders-0")');
const epoch = int('the leader epoch');
const client = str('the client id of a producer or consumer');
const group = str('the consumer group');
const msgKind = str('the message kind (a request, a response, or a connection notice)');
const from = node('`f`: the node that sent it');
const to = node('`to`: the node it went to');
const sent = opt(int('`s`: when the request was sent'));
const arrived = opt(int('`a`: when the request arrived'));
const answered = int('`r`: when the answer was sent');
const coordinator = int('the broker coordinating the group');

/** One event type: what it means, its section in the docs, its fields. */
export interface EventSpec {
  readonly doc: string;
  readonly topic: TraceTopic;
  readonly fields: Readonly<Record<string, Field>>;
}

export type TraceTopic = 'messages' | 'replication' | 'brokers' | 'controller' | 'timeline' | 'producers' | 'consumers' | 'groups' | 'ledger';

/** Why a consumer's position (or a group's committed offset) moved other than by consuming. */
export const OFFSET_RESET_REASONS = ['no-committed-offset', 'out-of-range', 'log-truncation', 'unknown-leader-epoch', 'reset-offsets'] as const;
export type OffsetResetReason = (typeof OFFSET_RESET_REASONS)[number];
/** Each reason in words, for stories and the page. */
export const OFFSET_RESET_WORDS: Record<OffsetResetReason, string> = {
  'no-committed-offset': 'no committed offset', 'out-of-range': 'offset out of range', 'log-truncation': 'log truncation',
  'unknown-leader-epoch': 'unknown leader epoch', 'reset-offsets': 'kafka-consumer-groups --reset-offsets',
};

const ev = <F extends Record<string, Field>>(topic: TraceTopic, doc: string, fields: F) => ({ topic, doc, fields });

export const TRACE_EVENTS = {
  // -- messages --------------------------------------------------------------------------------------
  msg: ev('messages', 'A message sent at `t` and delivered at `d`: a request, a response, or a connection notice the network sends on a host\'s behalf (`disconnect`: the sender\'s process died or stopped, or a broker closed a connection after a failed acks=0 produce; `connection-refused`: a message reached a dead process; `connect` / `connected`: a client setting up a connection again, and the host accepting it).', {
    k: msgKind, f: from, to, d: int('`d`: when it is delivered'),
  }),
  'msg-dropped': ev('messages', 'A message the network dropped, sent at `s`.', {
    k: msgKind, f: from, to, s: int('`s`: when it was sent'),
    why: oneOf(['cut', 'node-down', 'connection-reset', 'not-listening'], '`cut` (a network notice a cut lost, or data TCP gave up retransmitting), `node-down` (the receiver is down or paused past its end), `connection-reset`, `not-listening` (a restarting broker whose listener is not open yet refused the connection)'),
  }),
  'msg-held': ev('messages', 'A request or response a network cut or a machine without power swallowed (sent at `s`), or one queued behind such a message on its connection: TCP retransmits it, backing off from 200 ms to 120 s, so it is delivered (a later `msg` at the retransmission, or the `rt` of a quiet one) once the link carries again, or dropped (`msg-dropped`, `cut`) when TCP gives up after tcp_retries2 = 15 retransmissions (about 924.6 s).', {
    k: msgKind, f: from, to, s: int('`s`: when it was first sent'),
  }),
  rt: ev('messages', 'A quiet request and its answer, traced once when the answer arrives at `f` (at `t`). A follower\'s fetch carries `u`, what it took.', {
    k: msgKind, f: from, to, s: sent, a: arrived, r: answered,
    u: opt(tuples<[string, number, number, ...number[]]>('`u`: per partition the follower\'s log moved in, `[partition, logEndOffset, highWatermark]`, followed by `epoch, startOffset` pairs when the records appended begin a leader epoch the follower\'s log did not end in')),
    stale: opt(bool('the answer came after the fetch state moved on: ignored')),
    error: opt(str('the error code of an answer that failed (a heartbeat)')),
  }),

  // -- replication -----------------------------------------------------------------------------------
  append: ev('replication', 'A leader appended a producer batch: offsets `offset` to `offset + n - 1`, in leader epoch `epoch`. Followers\' appends are in the `u` of their fetch (`rt`).', {
    broker, partition, offset: int('the base offset'), n: int('records in the batch'), epoch,
    producerId: int('the producer id'), sequence: int('the base sequence'),
    producerEpoch: opt(int('the producer epoch, once an idempotent producer bumped it (KIP-360)')),
  }),
  'hw-advanced': ev('replication', 'A leader\'s high watermark moved. A follower\'s moves are in the `u` of its fetch (`rt`).', { broker, partition, hw: int('the new high watermark') }),
  truncated: ev('replication', 'Records left a replica\'s log: offsets `to` to `from - 1`.', {
    broker, partition, from: int('the log end offset before'), to: int('the log end offset after'), records: int('records removed'),
    reason: oneOf(['diverging-epoch', 'high-watermark', 'offset-out-of-range', 'power-loss', 'disk-loss'], 'why'),
  }),
  'log-start-advanced': ev('replication', 'A replica\'s log start offset moved forward: the retention check deleted its oldest segments (retention-ms, retention-bytes, or log-start-offset: segments below a start its leader moved), a follower took its leader\'s log start from a fetch (log-start-offset, `segments` 0), or a follower whose log ended below its leader\'s start began its log again there (out-of-range). Records below `to` can no longer be read.', {
    broker, partition, from: int('the log start offset before'), to: int('the log start offset after'), records: int('records no longer in the log'),
    segments: int('segments deleted (0: only the start moved)'), reason: oneOf(['retention-ms', 'retention-bytes', 'log-start-offset', 'out-of-range'], 'why'),
  }),
  'fetch-timeout': ev('replication', 'A follower\'s fetch got no answer within request.timeout.ms (a fetch whose connection was reset fails when that `msg` arrives, untraced beyond it).', {
    broker, leader: int('the broker it fetches from'),
  }),
  'become-leader': ev('replication', 'A broker learnt it leads the partition.', { broker, partition, epoch, leo: int('its log end offset'), hw: int('its high watermark') }),
  'replica-deleted': ev('replication', 'A broker a reassignment removed from a partition stopped its replica and deleted its log.', { broker, partition, leo: int('the log end offset it had') }),
  'become-follower': ev('replication', 'A broker learnt it follows the partition.', { broker, partition, epoch, leader: intOrNull('the leader it follows (null: none)') }),

  // -- brokers ---------------------------------------------------------------------------------------
  'cluster-started': ev('brokers', 'The run starts.', {
    brokers: ints('the broker ids'), controller: oneOf(['kraft', 'zookeeper'], 'the controller kind'),
    protocol: oneOf(['leader-epoch', 'high-watermark'], 'the replication protocol (leader epochs, KIP-101; or the HW truncation before 0.11)'),
    controllers: opt(strs('the controller quorum\'s voters (`cluster.controllers` > 1)')),
  }),
  'broker-crashed': ev('brokers', 'A broker\'s process died.', { broker, kind: oneOf(['crash', 'power-loss', 'disk-loss'], 'how') }),
  'broker-restarted': ev('brokers', 'A broker\'s process started again, with its logs as recovered.', {
    broker, incarnation: int('how many times it started'), logs: tuples<[string, number, number]>('per log on its disk, `[partition, logEndOffset, highWatermark]`'),
  }),
  'broker-paused': ev('brokers', 'A broker\'s process froze (a GC pause, SIGSTOP).', { broker, forUs: int('for how long, µs') }),
  'broker-resumed': ev('brokers', 'A paused broker runs again.', { broker }),
  'broker-shutdown': ev('brokers', 'A broker begins a controlled shutdown.', { broker }),
  'broker-stopped': ev('brokers', 'A broker\'s process exited cleanly.', {
    broker,
    reason: opt(oneOf(['node-exists'], '`node-exists`: a ZooKeeper-mode broker\'s startup failed because /brokers/ids/<id> still belongs to the previous process\'s session (KafkaZkClient.registerBroker: NodeExistsException, fatal in KafkaServer.startup), so the process exited; it stays down until restarted')),
  }),
  'disk-lost': ev('brokers', 'A broker\'s disk is gone, with every log on it.', { broker }),
  'broker-registered': ev('brokers', 'The controller registered a broker.', { broker, epoch: int('its broker epoch') }),
  'broker-fenced': ev('brokers', 'The controller fenced a broker.', { broker, reason: str('why') }),
  'broker-unfenced': ev('brokers', 'The controller unfenced a broker.', { broker }),
  'broker-controlled-shutdown': ev('brokers', 'The controller began a broker\'s controlled shutdown.', { broker }),
  'broker-caught-up': ev('brokers', 'A broker caught up with the metadata log.', { broker, offset: int('the metadata offset') }),

  // -- controller ------------------------------------------------------------------------------------
  'partition-change': ev('controller', 'The controller committed a partition\'s new state (`replicas` when it is created).', {
    partition, leader: intOrNull('the leader (null: none)'), epoch, partitionEpoch: int('the partition epoch'), isr: ints('the ISR'),
    replicas: opt(ints('the replicas, in assignment order (when it is created or they change)')), reason: opt(str('why')),
    adding: opt(ints('KIP-455: replicas a reassignment is adding')), removing: opt(ints('KIP-455: replicas a reassignment will remove')),
  }),
  'reassignment-started': ev('controller', 'kafka-reassign-partitions: the controller added the target\'s new replicas (KIP-455); they fetch from the leader and join the ISR once caught up.', {
    partition, replicas: ints('the target replicas'), adding: ints('the replicas being added'), removing: ints('the replicas to remove once the added ones are in the ISR'),
  }),
  'reassignment-completed': ev('controller', 'Every target replica is in the ISR: the removed replicas left the partition.', {
    partition, replicas: ints('the replicas now'), removed: ints('the replicas removed'),
  }),
  'leader-elected': ev('controller', 'A new leader.', {
    partition, leader: int('the new leader'), epoch, clean: bool('elected from the ISR'), previous: intOrNull('the leader before (null: none)'), reason: opt(str('why')),
  }),
  'unclean-election': ev('controller', 'A leader elected from outside the ISR: acknowledged records may be lost.', { partition, leader: int('the new leader'), epoch }),
  'leader-none': ev('controller', 'The partition has no leader.', { partition, epoch, isr: ints('the ISR'), previous: int('the leader before') }),
  'isr-shrink': ev('controller', 'Replicas left the ISR.', { partition, isr: ints('the ISR after'), removed: ints('who left'), reason: opt(str('why')) }),
  'controller-activated': ev('controller', 'A controller of the quorum became the active controller: it leads the quorum and its epoch\'s first record is committed (QuorumController claim); it starts every registered broker\'s session afresh.', {
    node: node('the controller node (controller-N)'), epoch: int('the quorum epoch'), gapUs: opt(int('how long the cluster had no active controller, µs (since the previous one crashed, was cut off, paused, resigned or deposed)')),
  }),
  'controller-inactive': ev('controller', 'The active controller stopped being active (crashed, resigned, or learnt of a newer epoch): from now until the next `controller-activated` no metadata changes.', {
    node: node('the controller node (controller-N)'), epoch: int('the quorum epoch it led'), reason: str('why'),
  }),
  'controller-crashed': ev('controller', 'A controller node\'s process died.', { node: node('the controller node (controller-N)') }),
  'controller-restarted': ev('controller', 'A controller node\'s process started again (its log and vote are on disk).', { node: node('the controller node (controller-N)') }),
  'quorum-election': ev('controller', 'A voter became a candidate: a new quorum epoch, a vote for itself, Vote requests to the others (KafkaRaftClient).', {
    node: node('the controller node (controller-N)'), epoch: int('the quorum epoch it stands in'), retries: int('its candidacies in a row'), timeoutUs: int('its election timeout, µs (controller.quorum.election.timeout.ms plus a random part)'),
  }),
  'quorum-leader': ev('controller', 'A voter won a majority of votes and leads the quorum epoch.', { node: node('the controller node (controller-N)'), epoch: int('the quorum epoch') }),
  'quorum-follower': ev('controller', 'A voter follows a leader in a quorum epoch.', { node: node('the controller node (controller-N)'), epoch: int('the quorum epoch'), leader: str('the leader it follows') }),
  'quorum-resigned': ev('controller', 'A quorum leader gave up leading: no fetch from a majority for 1.5 × controller.quorum.fetch.timeout.ms (check quorum).', {
    node: node('the controller node (controller-N)'), epoch: int('the quorum epoch'), reason: str('why'),
  }),
  'isr-expand': ev('controller', 'Replicas joined the ISR.', { partition, isr: ints('the ISR after'), added: ints('who joined'), reason: opt(str('why')) }),

  // -- timeline and operators ------------------------------------------------------------------------
  note: ev('timeline', 'A caption from the scenario\'s timeline.', { text: str('the caption'), action: opt(str('the action of its step')) }),
  'step-resolved': ev('timeline', 'A timeline step whose moment was drawn or whose broker was chosen when it ran.', {
    step: int('the step\'s index in the file'), action: opt(str('its action')), between: opt(ints('the interval its moment was drawn from')),
    choice: opt(oneOf(['any-of', 'leader-of', 'crashed'], 'how its broker was chosen')), among: opt(ints('the brokers of any-of')),
    partition: opt(str('the partition of leader-of')), brokers: opt(ints('the brokers chosen')),
  }),
  'step-skipped': ev('timeline', 'A timeline step that did nothing, and why.', {
    step: int('the step\'s index in the file'), action: opt(str('its action')), between: opt(ints('the interval its moment was drawn from')),
    choice: opt(oneOf(['any-of', 'leader-of', 'crashed'], 'how its broker was chosen')), among: opt(ints('the brokers of any-of')),
    partition: opt(str('the partition of leader-of')), broker: opt(int('the broker it would have acted on')), reason: str('why'),
  }),
  'node-paused': ev('timeline', 'The controller or a client froze.', { node: node('the node'), forUs: int('for how long, µs') }),
  'node-resumed': ev('timeline', 'A paused node runs again.', { node: node('the node') }),
  'rack-fault': ev('timeline', 'A timeline step took a whole rack (`{ rack: a }`): its brokers, each then crashed, restarted, shut down, powered off or given an empty disk (their own events follow).', {
    action: oneOf(['crash', 'restart', 'shutdown', 'power-loss', 'disk-loss'], 'what happened to the rack'), rack: str('the rack (cluster.racks)'), brokers: ints('its brokers'),
  }),
  'network-fault': ev('timeline', 'A network fault began or healed.', {
    action: oneOf(['isolate', 'partition', 'cut', 'slow', 'heal'], 'which'), node: opt(node('the node isolated, slowed or healed')),
    groups: opt(json<(number | string)[][]>('the sides of a partition')), from: opt(node('a cut\'s sender')), to: opt(node('a cut\'s receiver')),
    link: opt(json<[number | string, number | string]>('a slowed link')), latencyUs: opt(int('the added latency, µs')),
    rack: opt(str('isolate: { rack: … }: the rack whose brokers the partition cut off')),
  }),
  'config-altered': ev('timeline', 'kafka-configs --alter.', {
    resource: oneOf(['topic', 'broker'], 'what'), name: str('the topic, or the broker id ("" for every broker)'),
    set: json<Record<string, unknown>>('configs set'), delete: strs('configs deleted'),
  }),
  'elect-leaders': ev('timeline', 'kafka-leader-election.', { electionType: oneOf(['preferred', 'unclean'], 'which'), results: json<{ partition: string; error: string }[]>('per partition, its error code') }),
  'partitions-added': ev('timeline', 'kafka-topics --alter --partitions.', { topic: str('the topic'), count: int('its partitions now') }),
  'admin-error': ev('timeline', 'An operator command failed.', {
    action: str('the command'), tool: opt(str('the tool')), topic: opt(str('its topic')), group: opt(str('its group')),
    code: opt(str('the error code')), message: opt(str('what the tool prints')),
  }),

  // -- producers -------------------------------------------------------------------------------------
  'producer-started': ev('producers', 'A producer starts sending.', { client }),
  'producer-stopped': ev('producers', 'A producer stops sending.', { client }),
  'producer-id': ev('producers', 'A producer got its producer id (InitProducerId).', { client, producerId: int('the producer id') }),
  'producer-epoch-bumped': ev('producers', 'An idempotent producer bumped its epoch after a sequence error (KIP-360).', {
    client, producerId: int('the producer id'), producerEpoch: int('the new producer epoch'), partitions: strs('the partitions whose sequences restart'),
  }),
  'produce-acked': ev('producers', 'A producer received a success for a batch: offsets `offset` to `offset + n - 1`.', {
    client, partition, broker: int('the broker that answered'), offset: int('the base offset'), n: int('records'), attempt: int('which attempt'),
  }),
  'produce-failed': ev('producers', 'A producer received an error for a batch (`retry`: it will send it again), or send() failed.', {
    client, partition: opt(partition), topic: opt(str('the topic, when send() failed before a partition')), broker: opt(int('the broker that answered')),
    code: str('the error code'), n: int('records'), attempt: opt(int('which attempt')), retry: bool('it will be retried'), why: opt(str('what expired')),
  }),
  'metadata-refreshed': ev('producers', 'A client\'s metadata changed: `[partition, leader (-1: none), epoch]` rows; a producer\'s partitions are numbers of `topic`, a consumer\'s are names.', {
    client, topic: opt(str('the producer\'s topic')), source: str('what brought it (metadata, a produce response)'),
    partitions: tuples<[number | string, number, number]>('the leaders that changed'),
  }),
  'client-rebootstrap': ev('producers', 'A client forgot every broker it knew and starts from bootstrap.servers.', { client, brokers: ints('the bootstrap brokers') }),
  'client-disconnect': ev('producers', 'A producer lost its connection to a broker.', { client, broker, why: str('how') }),
  'client-crashed': ev('producers', 'A client\'s process died.', { client, group: opt(group) }),
  'client-restarted': ev('producers', 'A client\'s process started again.', { client, group: opt(group) }),

  // -- consumers -------------------------------------------------------------------------------------
  consumed: ev('consumers', 'A consumer fetch that returned records: per partition `[partition, from, to]` (its position moves to `to`).', {
    client, broker: int('the broker it fetched from'), parts: tuples<[string, number, number]>('what it read'), s: sent, a: arrived, r: answered,
  }),
  'preferred-read-replica': ev('consumers', 'KIP-392: a leader told a consumer with client.rack to fetch a partition from a replica of its rack (`broker`), or the consumer went back to the leader (`broker` null: the replica answered an error, or the connection failed).', {
    client, group, partition, broker: intOrNull('the replica it fetches from now (null: the leader again)'),
  }),
  'offset-reset': ev('consumers', 'A consumer moved its position by auto.offset.reset or after a log truncation (KIP-320), or kafka-consumer-groups --reset-offsets moved a group\'s committed offset.', {
    client: opt(client), tool: opt(str('the admin tool that moved it (no client)')), group, partition,
    from: int('the position before (-1: none)'), to: int('the position after'), strategy: opt(str('auto.offset.reset')),
    reason: oneOf(OFFSET_RESET_REASONS, 'why: no-committed-offset, out-of-range (auto.offset.reset), log-truncation, unknown-leader-epoch (KIP-320 validation), reset-offsets (the tool)'),
  }),
  'consumer-error': ev('consumers', 'A consumer\'s poll() threw.', {
    client, group, partition: opt(partition), error: str('the exception'), offset: opt(int('its position')), divergentOffset: opt(int('where the logs diverged')),
  }),
  'consumer-closed': ev('consumers', 'A consumer closed.', { client, group }),
  'records-polled': ev('consumers', 'The application\'s poll() returned records (a consumer with `processing:`), at most max.poll.records: per partition `[partition, from, to]` (its position moves to `to`); it processes them until `until`.', {
    client, group, parts: tuples<[string, number, number]>('what poll() returned'), records: int('how many records'), until: int('when processing them ends, µs'),
  }),
  'records-processed': ev('consumers', 'The application finished processing what one poll() returned: per partition `[partition, from, to]`.', {
    client, group, parts: tuples<[string, number, number]>('what it processed'),
  }),
  'processing-interrupted': ev('consumers', 'The application died (crash) in the middle of a poll\'s records: what it had processed and what it had not.', {
    client, group, processed: tuples<[string, number, number]>('`[partition, from, to]` processed'), unprocessed: tuples<[string, number, number]>('`[partition, from, to]` returned by poll() and never processed'),
  }),
  'partitions-revoked': ev('consumers', 'A consumer gave partitions up in a rebalance.', { client, group, partitions: strs('the partitions') }),
  'partitions-lost': ev('consumers', 'A consumer lost partitions (its generation ended under it).', { client, group, partitions: strs('the partitions') }),
  'rejoin-requested': ev('consumers', 'A consumer will rejoin its group.', { client, group, reason: str('why') }),
  'coordinator-found': ev('consumers', 'A consumer found its group coordinator.', { client, group, coordinator }),
  'coordinator-lost': ev('consumers', 'A consumer marked its coordinator dead.', { client, group, coordinator, reason: str('why') }),
  'join-group': ev('consumers', 'A consumer sent JoinGroup.', { client, group, memberId: str('its member id ("" the first time)'), generation: int('its generation') }),
  'join-failed': ev('consumers', 'A JoinGroup failed.', { client, group, error: str('the error code') }),
  assignment: ev('consumers', 'A consumer received its partitions.', { client, group, generation: int('the generation'), protocol: field<string | null>({ type: ['string', 'null'] }, 'the assignor (null: none named)'), partitions: strs('its partitions') }),
  'generation-reset': ev('consumers', 'A consumer forgot its generation.', { client, group, error: str('the error that made it'), generation: int('the generation forgotten') }),
  'commit-failed': ev('consumers', 'An offset commit failed.', {
    client, group, why: str('auto, before-rebalance, close, or the application\'s commit mode (sync, async, before-processing)'), error: str('the error code'), offsets: opt(tuples<[string, number]>('the offsets, `[partition, offset]`')),
  }),
  'poll-timeout': ev('consumers', 'A consumer left its group: max.poll.interval.ms passed without a poll.', { client, group, generation: int('its generation') }),

  // -- groups ----------------------------------------------------------------------------------------
  rebalance: ev('groups', 'A group coordinator\'s rebalance: `prepare` (members rejoin), `join` (all joined), `stable` (the assignment), `empty`.', {
    group, phase: oneOf(['prepare', 'join', 'stable', 'empty'], 'the phase'), generation: int('the generation'), coordinator,
    reason: opt(str('why it began')), protocol: opt(str('the assignor')), leader: opt(str('the leading member')), members: opt(strs('the members')),
    assignment: opt(json<Record<string, string[]>>('per member, its partitions')),
  }),
  'member-removed': ev('groups', 'The coordinator removed a member.', { group, member: str('the member id'), client, reason: str('why'), coordinator }),
  'offset-committed': ev('groups', 'The coordinator stored a group\'s offsets (`admin`: kafka-consumer-groups --reset-offsets).', {
    group, member: str('the member id ("" for the admin tool)'), coordinator, offsets: tuples<[string, number]>('`[partition, offset]` rows'), admin: opt(bool('written by the admin tool')),
  }),
  'group-loaded': ev('groups', 'A new coordinator loaded a group from __consumer_offsets.', { group, coordinator, generation: int('the generation'), state: str('the group state') }),

  // -- the ledger ------------------------------------------------------------------------------------
  ledger: ev('ledger', 'The ledger\'s counts (produced, acked, lost, unavailable, duplicates, deleted, outOfRangeSkipped, as docs/scenario-format.md defines them), written when they change: at once after a change of leadership, a truncation or a crash, otherwise at most once a second, and at the end of the run.', {
    produced: int('records handed to producers'), acked: int('records acknowledged'), lost: int('acknowledged and missing from the current leader\'s log'),
    unavailable: int('acknowledged, on a partition without a leader'), duplicates: int('extra copies in a leader\'s log'),
    deleted: opt(int('acknowledged and deleted by retention from the current leader\'s log (not lost); written once non-zero')),
    outOfRangeSkipped: opt(int('offsets consumers jumped over by an out-of-range reset after retention deleted past them; written once non-zero')),
  }),
  'record-lost': ev('ledger', 'At the end of the run, one acknowledged record that is lost, and the chain of events that lost it.', {
    partition, producer: str('the producer\'s client id'), sequence: int('its sequence'), offset: int('the offset it was acknowledged at'),
    epoch: int('the leader epoch it was written in (-1: its broker never appended it)'), acked: int('when it was acknowledged'), broker: int('the broker that acknowledged it'),
    lostAt: int('when it left the leader\'s log for good'), story: tuples<[number, string, number | null]>('`[t, text, broker (null: none)]` steps'),
  }),
} as const satisfies Record<string, EventSpec>;

export type TraceEventType = keyof typeof TRACE_EVENTS;

type Fields<F> = { -readonly [K in keyof F as F[K] extends Field<unknown, false> ? K : never]: F[K] extends Field<infer T, false> ? T : never } & {
  -readonly [K in keyof F as F[K] extends Field<unknown, true> ? K : never]?: F[K] extends Field<infer T, true> ? T : never;
};

/** One event of type K, as the model writes it. */
export type EventOf<K extends TraceEventType> = { t: number; type: K } & Fields<(typeof TRACE_EVENTS)[K]['fields']>;

/** Every event of the trace: a union discriminated on `type`. */
export type KafkaTraceEvent = { [K in TraceEventType]: EventOf<K> }[TraceEventType];

export const TRACE_EVENT_TYPES = Object.keys(TRACE_EVENTS) as TraceEventType[];

export function isTraceEventType(type: string): type is TraceEventType {
  return Object.prototype.hasOwnProperty.call(TRACE_EVENTS, type);
}

/**
 * The fields an event type carries, and the values its `reason` can take when the catalog lists them:
 * what an `event:` expectation may filter on (src/scenario), so a filter on a field the event lacks is
 * refused rather than silently matching nothing.
 */
export function eventFields(type: string): { fields: string[]; reasons?: readonly string[] } | undefined {
  if (!isTraceEventType(type)) return undefined;
  const spec: EventSpec = TRACE_EVENTS[type];
  const reasons = spec.fields.reason?.schema.enum as string[] | undefined;
  return { fields: Object.keys(spec.fields), ...(reasons ? { reasons } : {}) };
}

/**
 * What is wrong with an event by the catalog: an unknown type, a missing required field, a field the
 * catalog does not name, a value of the wrong JSON type. Empty when it is fine. For the tests and the
 * page's reading of a trace file; the model does not call it.
 */
export function catalogProblems(e: { type: string; [k: string]: unknown }): string[] {
  if (!isTraceEventType(e.type)) return [`unknown event type ${JSON.stringify(e.type)}`];
  const spec: EventSpec = TRACE_EVENTS[e.type];
  const out: string[] = [];
  if (typeof e.t !== 'number' || !Number.isInteger(e.t)) out.push(`${e.type}: t is not an integer`);
  for (const [k, f] of Object.entries(spec.fields)) {
    const v = e[k];
    if (v === undefined) {
      if (!f.optional) out.push(`${e.type}: missing ${k}`);
      continue;
    }
    const why = schemaMismatch(f.schema, v);
    if (why) out.push(`${e.type}.${k}: ${why}`);
  }
  for (const k of Object.keys(e)) if (k !== 't' && k !== 'type' && e[k] !== undefined && !(k in spec.fields)) out.push(`${e.type}: field ${k} is not in the catalog`);
  return out;
}

function schemaMismatch(schema: Record<string, unknown>, v: unknown): string | undefined {
  if (Array.isArray(schema.enum)) return schema.enum.includes(v) ? undefined : `${JSON.stringify(v)} is not one of ${schema.enum.join(', ')}`;
  const types = schema.type === undefined ? [] : ([] as string[]).concat(schema.type as string | string[]);
  if (types.length === 0) return undefined;
  const ok = types.some((t) =>
    t === 'integer' ? Number.isInteger(v) : t === 'number' ? typeof v === 'number' : t === 'null' ? v === null : t === 'array' ? Array.isArray(v) : typeof v === t,
  );
  if (!ok) return `${JSON.stringify(v)} is not ${types.join(' or ')}`;
  const items = schema.items as Record<string, unknown> | undefined;
  if (items && Array.isArray(v)) for (const x of v) {
    const why = schemaMismatch(items, x);
    if (why) return `an item: ${why}`;
  }
  return undefined;
}

/** The first line of a trace file written by `kafkasim run --trace`: what run it is. Not hashed. */
export interface TraceHeader {
  type: 'kafkasim-trace';
  /** The trace format's version: 1 is this catalog's. */
  format: number;
  /** The kafkasim version that wrote it. */
  kafkasim: string;
  /** The scenario's name, its file name, and its full text (enough to run it again). */
  scenario: string;
  file: string;
  text: string;
  seed: number;
  /** `--until`: the run stopped there (µs) instead of at the scenario's duration. */
  untilUs?: number;
}

export const TRACE_FORMAT = 1;

/** The JSON Schema of one line of a trace file: the header, or one of the catalog's events. */
export function traceEventSchema(): Record<string, unknown> {
  const defs: Record<string, unknown> = {};
  for (const type of TRACE_EVENT_TYPES) {
    const spec: EventSpec = TRACE_EVENTS[type];
    const properties: Record<string, unknown> = {
      t: { type: 'integer', description: 'simulated time, µs' },
      type: { const: type, description: spec.doc },
    };
    const required = ['t', 'type'];
    for (const [k, f] of Object.entries(spec.fields)) {
      properties[k] = { ...f.schema, description: f.doc };
      if (!f.optional) required.push(k);
    }
    defs[type] = { type: 'object', properties, required, additionalProperties: false };
  }
  defs['kafkasim-trace'] = {
    type: 'object',
    description: 'The header line of a trace file (not hashed).',
    properties: {
      type: { const: 'kafkasim-trace', description: 'marks the header' },
      format: { type: 'integer', description: 'the trace format version' },
      kafkasim: { type: 'string', description: 'the kafkasim version that wrote it' },
      scenario: { type: 'string', description: 'the scenario\'s name' },
      file: { type: 'string', description: 'the scenario\'s file name' },
      text: { type: 'string', description: 'the scenario\'s full text' },
      seed: { type: 'integer', description: 'the seed of the run' },
      untilUs: { type: 'integer', description: '--until: where the run stopped, µs' },
    },
    required: ['type', 'format', 'kafkasim', 'scenario', 'file', 'text', 'seed'],
    additionalProperties: false,
  };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://kafkasim.dev/trace.schema.json',
    title: 'kafkasim trace line',
    description: 'One line of a JSONL trace written by `kafkasim run --trace`: the header first, then one event per line. Generated from sim/kafka/trace-events.ts.',
    oneOf: [...TRACE_EVENT_TYPES, 'kafkasim-trace'].map((t) => ({ $ref: `#/$defs/${t}` })),
    $defs: defs,
  };
}

const TOPIC_TITLES: Record<TraceTopic, string> = {
  messages: 'Messages',
  replication: 'Replication',
  brokers: 'Brokers',
  controller: 'The controller',
  timeline: 'The timeline and operators',
  producers: 'Producers and clients',
  consumers: 'Consumers',
  groups: 'Group coordinators',
  ledger: 'The ledger',
};

/** The docs' list of events (docs/trace-format.md between its markers), generated from the catalog. */
export function traceEventsMarkdown(): string {
  const out: string[] = [];
  for (const topic of Object.keys(TOPIC_TITLES) as TraceTopic[]) {
    out.push(`### ${TOPIC_TITLES[topic]}`, '', '| type | fields | meaning |', '| --- | --- | --- |');
    for (const type of TRACE_EVENT_TYPES) {
      const spec: EventSpec = TRACE_EVENTS[type];
      if (spec.topic !== topic) continue;
      const fields = Object.entries(spec.fields).map(([k, f]) => (f.optional ? `[${k}]` : k)).join(', ');
      out.push(`| \`${type}\` | ${fields} | ${spec.doc.replace(/\|/g, '\\|')} |`);
    }
    out.push('');
  }
  return out.join('\n');
}
