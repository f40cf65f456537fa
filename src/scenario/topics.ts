// The `topics:` section: names as Kafka allows them, partition counts and replication factors with
// the broker's defaults, explicit replica assignments checked the way CreateTopics checks them.

import { configNumber, type ConfigMap } from '../../sim/kafka/config.ts';
import type { TopicSpec } from '../../sim/kafka/spec.ts';
import { MAX_LEDGER_REPLICAS } from '../../sim/check/index.ts';
import { readConfigMap } from './configs.ts';
import type { Context } from './context.ts';
import { asMap, asSeq, expected, item, key, keysOf, readInteger, readString, sectionItems } from './reader.ts';
import type { YNode, YSeq } from './tree.ts';

/**
 * The model keeps every partition's state (and a log per replica) in memory, so a topic is bounded:
 * far above any classroom or sweep, far below what would exhaust memory (fuzzing found 2^31 did).
 */
export const MAX_PARTITIONS_PER_TOPIC = 100_000;

/** Kafka's internal topics (org.apache.kafka.common.internals.Topic), and the KRaft metadata log. */
const INTERNAL_TOPICS = ['__consumer_offsets', '__transaction_state', '__share_group_state', '__cluster_metadata'];

const TOPIC_KEYS = ['name', 'partitions', 'replication.factor', 'replicas', 'config'];
/** Kafka's Topic.validate: legal characters and length. */
const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

export function readTopics(ctx: Context, node: YNode | undefined, path: string, brokerConfig: ConfigMap): TopicSpec[] {
  const topics: TopicSpec[] = [];
  sectionItems(ctx.p, node, path).forEach((topicNode, i) => {
    const topic = readTopic(ctx, topicNode, item(path, i), brokerConfig);
    if (topic) topics.push(topic);
  });
  return topics;
}

function readTopic(ctx: Context, node: YNode, path: string, brokerConfig: ConfigMap): TopicSpec | undefined {
  const p = ctx.p;
  const map = asMap(p, node, path, 'a topic (name:, partitions:, replication.factor:, …)');
  if (!map) return undefined;
  const k = keysOf(p, map, path, TOPIC_KEYS, { required: ['name'] });
  const name = k.name && readTopicName(ctx, k.name.value, key(path, 'name'));
  const partitions = k.partitions && readInteger(p, k.partitions.value, key(path, 'partitions'), { min: 1, max: MAX_PARTITIONS_PER_TOPIC }, 'a partition count');
  const rfPath = key(path, 'replication.factor');
  const replicationFactor = k['replication.factor'] && readInteger(p, k['replication.factor'].value, rfPath, { min: 1 }, 'a replication factor');
  const replicas = k.replicas && readReplicas(ctx, k.replicas.value, key(path, 'replicas'), partitions, replicationFactor);
  const config = k.config ? readConfigMap(p, k.config.value, key(path, 'config'), 'topic') : {};
  const effectiveRf = replicationFactor ?? replicas?.[0]?.length ?? configNumber('broker', 'default.replication.factor', brokerConfig);
  if (ctx.brokers && effectiveRf > ctx.brokers.length) {
    const where = k['replication.factor'] ? k['replication.factor'].value : map;
    const source = k['replication.factor'] ? '' : ' (default.replication.factor)';
    p.add(where.pos, k['replication.factor'] ? rfPath : path, `replication factor ${effectiveRf}${source} is larger than the number of brokers (${ctx.brokers.length})`);
  }
  if (effectiveRf > MAX_LEDGER_REPLICAS) {
    const where = k['replication.factor'] ? k['replication.factor'].value : map;
    p.add(where.pos, k['replication.factor'] ? rfPath : path, `replication factor ${effectiveRf} is more than kafkasim follows (at most ${MAX_LEDGER_REPLICAS} replicas per partition: its ledger keeps one bit per replica); Kafka itself allows up to the number of brokers`);
  }
  if (name === undefined) return undefined;
  const count = partitions ?? replicas?.length ?? configNumber('broker', 'num.partitions', brokerConfig);
  if (partitions === undefined && replicas === undefined && count > MAX_PARTITIONS_PER_TOPIC) {
    p.add(map.pos, path, `num.partitions ${count} gives this topic more partitions than kafkasim models (at most ${MAX_PARTITIONS_PER_TOPIC} per topic)`);
    return undefined;
  }
  ctx.topics.set(name, count);
  return { name, partitions: partitions ?? replicas?.length, replicationFactor: replicationFactor ?? replicas?.[0]?.length, replicas, config };
}

function readTopicName(ctx: Context, node: YNode, path: string): string | undefined {
  const name = readString(ctx.p, node, path, 'a topic name');
  if (name === undefined) return undefined;
  if (!TOPIC_NAME.test(name) || name === '.' || name === '..') {
    ctx.p.add(node.pos, path, `"${name}" is not a legal topic name: use letters, digits, ".", "_" and "-" (at most 249)`);
    return undefined;
  }
  if (INTERNAL_TOPICS.includes(name)) {
    ctx.p.add(node.pos, path, `"${name}" is a topic Kafka keeps for itself (org.apache.kafka.common.internals.Topic: the controller refuses to create __cluster_metadata, and brokers refuse clients' writes to the internal ones), not a scenario's: kafkasim models __consumer_offsets by itself (offsets.topic.num.partitions)`);
    return undefined;
  }
  if (ctx.topics.has(name)) {
    ctx.p.add(node.pos, path, `topic "${name}" is defined twice`);
    return undefined;
  }
  // Kafka refuses names that differ only in "." versus "_": they collide in metric names.
  const metricName = name.replace(/\./g, '_');
  const collision = ctx.topicsByMetricName.get(metricName);
  if (collision !== undefined) {
    ctx.p.add(node.pos, path, `topic "${name}" collides with topic "${collision}" ("." and "_" are the same in metric names)`);
    return undefined;
  }
  ctx.topicsByMetricName.set(metricName, name);
  return name;
}

/** One list of broker ids per partition, all the same length, no broker twice, every broker real. */
function readReplicas(ctx: Context, node: YNode, path: string, partitions?: number, replicationFactor?: number): number[][] | undefined {
  const lists = asSeq(ctx.p, node, path, 'a list of replica lists, one per partition, like [[1, 2, 3]]');
  if (!lists) return undefined;
  if (lists.items.length === 0) return expected(ctx.p, node, path, 'at least one replica list');
  if (partitions !== undefined && lists.items.length !== partitions) {
    ctx.p.add(node.pos, path, `expected ${partitions} replica lists (one per partition), got ${lists.items.length}`);
  }
  const firstLength = lists.items[0].kind === 'seq' ? lists.items[0].items.length : undefined;
  const size = replicationFactor ?? firstLength;
  const assignment = lists.items.map((list, i) => readReplicaList(ctx, list, item(path, i), size));
  return assignment.every((a) => a !== undefined) ? (assignment as number[][]) : undefined;
}

function readReplicaList(ctx: Context, node: YNode, path: string, size: number | undefined): number[] | undefined {
  const list: YSeq | undefined = asSeq(ctx.p, node, path, 'a list of broker ids, like [1, 2, 3]');
  if (!list) return undefined;
  if (list.items.length === 0) return expected(ctx.p, node, path, 'at least one broker id');
  if (size !== undefined && list.items.length !== size) {
    ctx.p.add(node.pos, path, `expected ${size} replicas (the replication factor), got ${list.items.length}`);
  }
  const ids: number[] = [];
  const seen = new Set<number>();
  list.items.forEach((idNode, i) => {
    const id = ctx.broker(idNode, item(path, i));
    if (id !== undefined && seen.has(id)) ctx.p.add(idNode.pos, item(path, i), `broker ${id} is listed twice in one partition's replicas`);
    else if (id !== undefined) {
      ids.push(id);
      seen.add(id);
    }
  });
  return ids.length === list.items.length && (size === undefined || ids.length === size) ? ids : undefined;
}
