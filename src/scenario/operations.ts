// Timeline actions that an operator runs with Kafka's admin tools: kafka-configs --alter,
// kafka-leader-election, kafka-topics --alter --partitions, kafka-consumer-groups --reset-offsets,
// starting or stopping a producer's load, and scaling a consumer group: starting a consumer, stopping
// one cleanly (KafkaConsumer.close: LeaveGroup) or killing it (no LeaveGroup). Each is refused where Kafka's tool would refuse it.

import type { Action } from '../../sim/kafka/spec.ts';
import { compareVersions, UNCLEAN_ELECT_LEADERS_SINCE } from '../../sim/kafka/versions.ts';
import { configDef, readConfigMap } from './configs.ts';
import type { Context } from './context.ts';
import { MAX_PARTITIONS_PER_TOPIC } from './topics.ts';
import type { ActionReader } from './faults.ts';
import { asMap, asSeq, exactlyOne, expected, item, key, keysOf, readEnum, readInteger, refuse, scalar } from './reader.ts';
import type { YNode } from './tree.ts';

/** A step that names one producer: its id, checked against the scenario's producers. */
function producerStep(type: 'stop-producer' | 'start-producer'): ActionReader {
  return (ctx, node, path) => {
    const producer = ctx.producer(node, path);
    return producer === undefined ? undefined : { type, producer };
  };
}

/** A step that names one consumer: its id, checked against the scenario's consumers. */
function consumerStep(type: 'start-consumer' | 'stop-consumer' | 'crash-consumer'): ActionReader {
  return (ctx, node, path) => {
    const consumer = ctx.consumer(node, path);
    return consumer === undefined ? undefined : { type, consumer };
  };
}

export const OPERATIONS: Readonly<Record<string, ActionReader>> = {
  'alter-config': readAlterConfig,
  'elect-leaders': readElectLeaders,
  'add-partitions': readAddPartitions,
  reassign: readReassign,
  'reset-offsets': readResetOffsets,
  'stop-producer': producerStep('stop-producer'),
  'start-producer': producerStep('start-producer'),
  'start-consumer': consumerStep('start-consumer'),
  'stop-consumer': consumerStep('stop-consumer'),
  'crash-consumer': consumerStep('crash-consumer'),
};

/** `{topic: orders, set: {...}, delete: [...]}` or `{broker: 1, ...}`: set and/or delete, not the same name in both. */
function readAlterConfig(ctx: Context, node: YNode, path: string): Action | undefined {
  const map = asMap(ctx.p, node, path, 'a mapping like {topic: orders, set: {min.insync.replicas: 2}}');
  if (!map) return undefined;
  const problemsBefore = ctx.p.count;
  const k = keysOf(ctx.p, map, path, ['topic', 'broker', 'set', 'delete']);
  const which = exactlyOne(ctx.p, map, path, k, ['topic', 'broker']);
  if (!k.set && !k.delete) ctx.p.add(map.pos, path, 'needs set: (configs to change) or delete: (configs to return to their defaults)');
  const topic = which === 'topic' ? ctx.topic(k.topic.value, key(path, 'topic')) : undefined;
  const broker = which === 'broker' ? ctx.broker(k.broker.value, key(path, 'broker')) : undefined;
  const scope = which === 'broker' ? 'broker' : 'topic';
  const set = k.set ? readConfigMap(ctx.p, k.set.value, key(path, 'set'), scope, ctx.kafkaVersion) : {};
  const deleted = k.delete ? readDeleted(ctx, k.delete.value, key(path, 'delete'), scope, set) : [];
  if (ctx.p.count > problemsBefore || (topic === undefined && broker === undefined) || !deleted) return undefined;
  return { type: 'alter-config', ...(topic !== undefined ? { topic } : { broker }), set, delete: deleted };
}

function readDeleted(ctx: Context, node: YNode, path: string, scope: 'broker' | 'topic', set: Record<string, unknown>): string[] | undefined {
  const list = asSeq(ctx.p, node, path, 'a list of config names');
  if (!list) return undefined;
  const names = list.items.map((n, i) => {
    const name = scalar(n);
    if (typeof name !== 'string') return expected(ctx.p, n, item(path, i), 'a config name');
    if (!configDef(ctx.p, n.pos, item(path, i), scope, name)) return undefined;
    if (Object.prototype.hasOwnProperty.call(set, name)) return refuse(ctx.p, n, item(path, i), `${name} is both set and deleted`);
    return name;
  });
  return names.every((n) => n !== undefined) ? (names as string[]) : undefined;
}

/** `{partition: orders-0}`, `{partitions: [orders-0, orders-1]}` or `{partitions: all}`; type preferred (default) or unclean. */
function readElectLeaders(ctx: Context, node: YNode, path: string, atUs: number | undefined): Action | undefined {
  const map = asMap(ctx.p, node, path, 'a mapping like {partition: orders-0, type: preferred}');
  if (!map) return undefined;
  const k = keysOf(ctx.p, map, path, ['partition', 'partitions', 'type']);
  const which = exactlyOne(ctx.p, map, path, k, ['partition', 'partitions']);
  const electionType = k.type ? readEnum(ctx.p, k.type.value, key(path, 'type'), ['preferred', 'unclean'] as const) : 'preferred';
  if (electionType === 'unclean' && compareVersions(ctx.kafkaVersion, UNCLEAN_ELECT_LEADERS_SINCE) < 0) {
    ctx.p.add(k.type.value.pos, key(path, 'type'), `unclean elections by kafka-leader-election appeared in Kafka ${UNCLEAN_ELECT_LEADERS_SINCE} (KIP-460; before, kafka-preferred-replica-election made preferred ones only); this scenario runs Kafka ${ctx.kafkaVersion} (cluster.kafka.version)`);
    return undefined;
  }
  let partitions: string[] | 'all' | undefined;
  if (which === 'partition') {
    const one = ctx.partition(k.partition.value, key(path, 'partition'), atUs);
    partitions = one === undefined ? undefined : [one];
  } else if (which === 'partitions') {
    partitions = readPartitionList(ctx, k.partitions.value, key(path, 'partitions'), atUs);
  }
  return partitions === undefined || !electionType ? undefined : { type: 'elect-leaders', partitions, electionType };
}

function readPartitionList(ctx: Context, node: YNode, path: string, atUs: number | undefined): string[] | 'all' | undefined {
  if (scalar(node) === 'all') return 'all';
  const list = asSeq(ctx.p, node, path, 'all, or a list of partitions like [orders-0, orders-1]');
  if (!list) return undefined;
  if (list.items.length === 0) return expected(ctx.p, node, path, 'at least one partition');
  const names = list.items.map((n, i) => ctx.partition(n, item(path, i), atUs));
  return names.every((n) => n !== undefined) ? (names as string[]) : undefined;
}

/**
 * Kafka can only add partitions: a count that is not larger than the current one is refused. The new
 * partitions count from `latestUs` (a window's end): before it, some runs do not have them yet.
 */
function readAddPartitions(ctx: Context, node: YNode, path: string, atUs: number | undefined, latestUs: number | undefined): Action | undefined {
  const map = asMap(ctx.p, node, path, 'a mapping like {topic: orders, count: 6}');
  if (!map) return undefined;
  const k = keysOf(ctx.p, map, path, ['topic', 'count'], { required: ['topic', 'count'] });
  const topic = k.topic && ctx.topic(k.topic.value, key(path, 'topic'));
  const count = k.count && readInteger(ctx.p, k.count.value, key(path, 'count'), { min: 1, max: MAX_PARTITIONS_PER_TOPIC }, 'a partition count');
  if (topic === undefined || count === undefined) return undefined;
  const current = ctx.partitionCount(topic, atUs);
  if (count <= current) {
    const why = count === current
      ? `topic ${topic} already has ${current} partitions`
      : `the number of partitions can only be increased: topic ${topic} has ${current}, ${count} would shrink it`;
    ctx.p.add(k.count.value.pos, key(path, 'count'), why);
    return undefined;
  }
  ctx.addPartitions(topic, latestUs ?? atUs ?? 0, count);
  return { type: 'add-partitions', topic, count };
}

/** kafka-consumer-groups --reset-offsets: `to: earliest | latest | N`, or `shift-by: N`. */
function readResetOffsets(ctx: Context, node: YNode, path: string): Action | undefined {
  const map = asMap(ctx.p, node, path, 'a mapping like {group: billing, topic: orders, to: earliest}');
  if (!map) return undefined;
  const k = keysOf(ctx.p, map, path, ['group', 'topic', 'to', 'shift-by'], { required: ['group', 'topic'] });
  const group = k.group && ctx.group(k.group.value, key(path, 'group'));
  const topic = k.topic && ctx.topic(k.topic.value, key(path, 'topic'));
  const which = exactlyOne(ctx.p, map, path, k, ['to', 'shift-by']);
  let to: Extract<Action, { type: 'reset-offsets' }>['to'] | undefined;
  if (which === 'to') to = readResetTarget(ctx, k.to.value, key(path, 'to'));
  if (which === 'shift-by') {
    const shiftBy = readInteger(ctx.p, k['shift-by'].value, key(path, 'shift-by'), {}, 'a whole number of offsets (negative moves back)');
    to = shiftBy === undefined ? undefined : { shiftBy };
  }
  return group === undefined || topic === undefined || to === undefined ? undefined : { type: 'reset-offsets', group, topic, to };
}

function readResetTarget(ctx: Context, node: YNode, path: string): 'earliest' | 'latest' | { offset: number } | undefined {
  const v = scalar(node);
  if (v === 'earliest' || v === 'latest') return v;
  if (typeof v === 'number') {
    const offset = readInteger(ctx.p, node, path, { min: 0 }, 'an offset');
    return offset === undefined ? undefined : { offset };
  }
  return expected(ctx.p, node, path, 'earliest, latest or an offset');
}

/**
 * kafka-reassign-partitions: `{partition: orders-0, replicas: [2, 3, 4], throttle: 1048576}`. The
 * replicas are distinct existing brokers (the tool refuses duplicates, the controller unknown
 * brokers); `throttle` (bytes/s) is the tool's --throttle.
 */
function readReassign(ctx: Context, node: YNode, path: string, atUs: number | undefined): Action | undefined {
  const map = asMap(ctx.p, node, path, 'a mapping like {partition: orders-0, replicas: [2, 3, 4]}');
  if (!map) return undefined;
  const k = keysOf(ctx.p, map, path, ['partition', 'replicas', 'throttle'], { required: ['partition', 'replicas'] });
  const partition = k.partition && ctx.partition(k.partition.value, key(path, 'partition'), atUs);
  let replicas: number[] | undefined;
  if (k.replicas) {
    const rpath = key(path, 'replicas');
    const list = asSeq(ctx.p, k.replicas.value, rpath, 'a list of broker ids like [2, 3, 4]');
    if (list && list.items.length === 0) expected(ctx.p, k.replicas.value, rpath, 'at least one broker id');
    else if (list) {
      const ids = list.items.map((n, i) => ctx.broker(n, item(rpath, i)));
      const dup = ids.findIndex((id, i) => id !== undefined && ids.indexOf(id) !== i);
      if (dup >= 0) ctx.p.add(list.items[dup].pos, item(rpath, dup), `broker ${ids[dup]} is listed twice (kafka-reassign-partitions refuses duplicate replicas)`);
      else if (ids.every((id) => id !== undefined)) replicas = ids as number[];
    }
  }
  const throttle = k.throttle && readInteger(ctx.p, k.throttle.value, key(path, 'throttle'), { min: 1 }, 'a rate in bytes per second (kafka-reassign-partitions --throttle)');
  if (partition === undefined || replicas === undefined || (k.throttle && throttle === undefined)) return undefined;
  return { type: 'reassign', partition, replicas, ...(throttle !== undefined ? { throttle } : {}) };
}
