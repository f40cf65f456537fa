// The scenario document as a whole (docs/scenario-format.md): top-level keys, the cluster and network sections,
// then topics, clients, timeline and expectations in the order their cross-references need. Returns
// the typed Scenario only when the file has no problem at all.

import { behavioursOf, compareVersions, CURRENT_VERSION, isKafkaVersion, KAFKA_VERSIONS, KRAFT_PRODUCTION_SINCE, KRAFT_SINCE, ZOOKEEPER_UNTIL, type KafkaVersion } from '../../sim/kafka/versions.ts';
import { type ConfigMap } from '../../sim/kafka/config.ts';
import type { NetworkSpec } from '../../sim/kafka/spec.ts';
import { readConsumers, readProducers } from './clients.ts';
import { readConfigMap } from './configs.ts';
import { checkBrokerConfig } from './client-rules.ts';
import { Context } from './context.ts';
import type { Problems } from './errors.ts';
import { readExpectations } from './expect.ts';
import { asMap, asSeq, expected, scalar, isEmpty, item, key, keysOf, readDuration, readEnum, readInteger, readString, refuse } from './reader.ts';
import { readTimeline } from './timeline.ts';
import { readRacks } from './racks.ts';
import { readTopics } from './topics.ts';
import type { YEntry, YNode } from './tree.ts';
import type { ClusterSection, Scenario } from './types.ts';

const TOP_KEYS = [
  'name', 'title', 'description', 'seed', 'seeds', 'duration', 'cluster', 'network', 'topics', 'producers', 'consumers', 'timeline', 'expect',
  '$schema', // lets a JSON scenario name its schema for editors, as the YAML comment does
];
const CLUSTER_KEYS = ['brokers', 'kafka.version', 'controller', 'controllers', 'replication.protocol', 'racks', 'page-cache-writeback', 'config'];
/** The largest controller quorum a scenario may declare (Kafka runs 3 or 5 voters in practice). */
const MAX_CONTROLLERS = 9;
const MAX_BROKERS = 1000;
const DEFAULT_LATENCY_US = 1000;
/**
 * Messages between machines take time. Below this, a client or broker that polls with a zero wait
 * (fetch.max.wait.ms: 0, metadata.max.age.ms: 0, …) would loop without simulated time passing.
 */
export const MIN_LATENCY_US = 100;
/** Linux vm.dirty_expire_centisecs = 3000: dirty pages older than 30 s are written back. */
const DEFAULT_WRITEBACK_US = 30_000_000;

export function validateScenario(root: YNode, p: Problems): Scenario | undefined {
  const map = asMap(p, root, '', 'a mapping (name:, duration:, cluster:, …) at the top of the file');
  if (!map) return undefined;
  const k = keysOf(p, map, '', TOP_KEYS, { required: ['name', 'duration', 'cluster'] });
  const ctx = new Context(p);
  const text = (e: YEntry | undefined, what: string): string | undefined => e && readString(p, e.value, e.key, what);
  const name = text(k.name, 'a scenario name');
  const title = text(k.title, 'a title');
  const description = text(k.description, 'a description (markdown)');
  const seed = k.seed ? readInteger(p, k.seed.value, 'seed', { min: 0, max: Number.MAX_SAFE_INTEGER }, 'a non-negative integer seed') : 1;
  const seeds = k.seeds && readSeeds(p, k.seeds.value, 'seeds');
  ctx.durationUs = k.duration && readDuration(p, k.duration.value, 'duration', { positive: true });
  const cluster = k.cluster && readCluster(ctx, k.cluster.value, 'cluster');
  const network = k.network && !isEmpty(k.network.value) ? readNetwork(p, k.network.value, 'network') : defaultNetwork();
  const topics = readTopics(ctx, k.topics?.value, 'topics', cluster?.config ?? {});
  const producers = readProducers(ctx, k.producers?.value, 'producers');
  const consumers = readConsumers(ctx, k.consumers?.value, 'consumers');
  const timeline = readTimeline(ctx, k.timeline?.value, 'timeline');
  ctx.runDeferred();
  const expect = readExpectations(ctx, k.expect?.value, 'expect');
  if (p.count > 0 || name === undefined || seed === undefined || ctx.durationUs === undefined || !cluster) return undefined;
  return { name, title, description, seed, ...(seeds ? { seeds } : {}), durationUs: ctx.durationUs, cluster, network, topics, producers, consumers, timeline, expect };
}

/** `seeds: [1, 2, 3, 42]`: the seeds `kafkasim check` runs the scenario at; each follows the rule of `seed:`. */
function readSeeds(p: Problems, node: YNode, path: string): number[] | undefined {
  const list = asSeq(p, node, path, 'a list of seeds, like [1, 2, 3, 42]');
  if (!list) return undefined;
  if (list.items.length === 0) return expected(p, node, path, 'at least one seed');
  const seeds: number[] = [];
  list.items.forEach((n, i) => {
    const s = readInteger(p, n, item(path, i), { min: 0, max: Number.MAX_SAFE_INTEGER }, 'a non-negative integer seed');
    if (s === undefined) return;
    if (seeds.includes(s)) p.add(n.pos, item(path, i), `seed ${s} is listed twice`);
    else seeds.push(s);
  });
  return seeds.length === list.items.length ? seeds : undefined;
}

function readCluster(ctx: Context, node: YNode, path: string): ClusterSection | undefined {
  const p = ctx.p;
  const map = asMap(p, node, path);
  if (!map) return undefined;
  const k = keysOf(p, map, path, CLUSTER_KEYS, { required: ['brokers'] });
  const brokers = k.brokers && readBrokers(p, k.brokers.value, key(path, 'brokers'));
  ctx.brokers = brokers;
  const racks = k.racks ? readRacks(ctx, k.racks.value, key(path, 'racks')) : undefined;
  ctx.racks = racks;
  const kafkaVersion = k['kafka.version'] ? readVersion(p, k['kafka.version'].value, key(path, 'kafka.version')) : CURRENT_VERSION;
  if (kafkaVersion !== undefined) ctx.kafkaVersion = kafkaVersion;
  const version = kafkaVersion ?? CURRENT_VERSION;
  const behaviours = behavioursOf(version);
  // without kafka.version a scenario runs today's defaults and may still choose ZooKeeper (as before
  // versions were modelled); a version written in the file must have had the controller it names
  const controller = !k.controller ? behaviours.controller
    : k['kafka.version'] ? readController(p, k.controller.value, key(path, 'controller'), version)
      : readEnum(p, k.controller.value, key(path, 'controller'), ['kraft', 'zookeeper'] as const);
  // cluster.controllers: a KRaft quorum; ZooKeeper mode keeps its single controller
  const controllersPath = key(path, 'controllers');
  let controllers = 1;
  if (k.controllers) {
    const n = readInteger(p, k.controllers.value, controllersPath, { min: 1, max: MAX_CONTROLLERS }, `a number of KRaft controller nodes from 1 to ${MAX_CONTROLLERS}`);
    if (n !== undefined && n > 1 && controller === 'zookeeper') {
      p.add(k.controllers.value.pos, controllersPath, `controllers: ${n} is a KRaft controller quorum; ZooKeeper mode (controller: zookeeper) has one controller elected through ZooKeeper, modelled as the single node "controller"`);
    } else if (n !== undefined) controllers = n;
  }
  ctx.controllers = controllers;
  ctx.zookeeper = controller === 'zookeeper';
  const protocolPath = key(path, 'replication.protocol');
  const replicationProtocol = k['replication.protocol']
    ? readEnum(p, k['replication.protocol'].value, protocolPath, ['leader-epoch', 'high-watermark'] as const)
    : behaviours.replicationProtocol;
  if (k['replication.protocol'] && replicationProtocol === 'leader-epoch' && compareVersions(version, '0.11') < 0) {
    p.add(k['replication.protocol'].value.pos, protocolPath, `leader-epoch truncation appeared in Kafka 0.11 (KIP-101); this scenario runs Kafka ${version} (cluster.kafka.version)`);
  }
  const writeback = k['page-cache-writeback'];
  const pageCacheWritebackUs = writeback ? readDuration(p, writeback.value, key(path, 'page-cache-writeback')) : DEFAULT_WRITEBACK_US;
  const config: ConfigMap = k.config ? readConfigMap(p, k.config.value, key(path, 'config'), 'broker', version) : {};
  checkBrokerConfig(p, k.config?.value, key(path, 'config'), config);
  if (!brokers || !controller || !replicationProtocol || pageCacheWritebackUs === undefined || !kafkaVersion || (k.racks && !racks)) return undefined;
  return { brokers, controller, controllers, replicationProtocol, pageCacheWritebackUs, config, kafkaVersion, ...(racks ? { racks } : {}) };
}

/** `kafka.version: "2.4"` (a number such as 2.4 reads the same): a release the version table knows. */
function readVersion(p: Problems, node: YNode, path: string): KafkaVersion | undefined {
  const v = scalar(node);
  const text = typeof v === 'number' ? (Number.isInteger(v) ? v.toFixed(1) : String(v)) : v;
  if (typeof text === 'string' && isKafkaVersion(text.trim())) return text.trim() as KafkaVersion;
  return expected(p, node, path, `a Kafka version MAJOR.MINOR from ${KAFKA_VERSIONS[0]} to ${CURRENT_VERSION}, like "2.4" (kafkasim versions lists what changed in each)`);
}

/** The controller, if the version had it: KRaft from 2.8 (KIP-500, production-ready in 3.3), ZooKeeper until 3.9. */
function readController(p: Problems, node: YNode, path: string, version: KafkaVersion): 'kraft' | 'zookeeper' | undefined {
  const c = readEnum(p, node, path, ['kraft', 'zookeeper'] as const);
  if (c === 'kraft' && compareVersions(version, KRAFT_SINCE) < 0) {
    return refuse(p, node, path, `KRaft controllers appeared in Kafka ${KRAFT_SINCE} (KIP-500; production-ready in ${KRAFT_PRODUCTION_SINCE}, KIP-833); this scenario runs Kafka ${version}`);
  }
  if (c === 'zookeeper' && compareVersions(version, ZOOKEEPER_UNTIL) > 0) {
    return refuse(p, node, path, `ZooKeeper mode was removed in Kafka 4.0 (KIP-500); this scenario runs Kafka ${version}: use controller: kraft, or kafka.version 3.9 or older`);
  }
  return c;
}

/** `brokers: 3` means ids 1..3; a list gives the ids themselves. Returned in ascending order. */
function readBrokers(p: Problems, node: YNode, path: string): number[] | undefined {
  if (node.kind !== 'seq') {
    const count = readInteger(p, node, path, { min: 1, max: MAX_BROKERS }, 'a broker count or a list of broker ids');
    return count === undefined ? undefined : Array.from({ length: count }, (_, i) => i + 1);
  }
  if (node.items.length === 0) return expected(p, node, path, 'at least one broker id');
  if (node.items.length > MAX_BROKERS) return refuse(p, node, path, `at most ${MAX_BROKERS} brokers, got ${node.items.length}`);
  const ids: number[] = [];
  const seen = new Set<number>();
  node.items.forEach((idNode, i) => {
    const id = readInteger(p, idNode, item(path, i), { min: 0 }, 'a broker id (an integer ≥ 0)');
    if (id !== undefined && seen.has(id)) p.add(idNode.pos, item(path, i), `broker ${id} is listed twice`);
    else if (id !== undefined) {
      ids.push(id);
      seen.add(id);
    }
  });
  return ids.length === node.items.length ? ids.sort((a, b) => a - b) : undefined;
}

function checkMinLatency(p: Problems, node: YNode, path: string, us: number): void {
  if (us < MIN_LATENCY_US) {
    p.add(node.pos, path, `network latency must be at least 100us (a real network's is 0.1–2 ms): with less, polling loops such as fetch.max.wait.ms: 0 spin without simulated time passing`);
  }
}

function defaultNetwork(): NetworkSpec {
  return { latency: { minUs: DEFAULT_LATENCY_US, maxUs: DEFAULT_LATENCY_US } };
}

function readNetwork(p: Problems, node: YNode, path: string): NetworkSpec {
  const map = asMap(p, node, path);
  const k = map ? keysOf(p, map, path, ['latency']) : {};
  if (!k.latency) return defaultNetwork();
  const latencyPath = key(path, 'latency');
  const latency = k.latency.value;
  if (latency.kind !== 'map') {
    const us = readDuration(p, latency, latencyPath) ?? 0;
    checkMinLatency(p, latency, latencyPath, us);
    return { latency: { minUs: us, maxUs: us } };
  }
  const range = keysOf(p, latency, latencyPath, ['min', 'max'], { required: ['min', 'max'] });
  const minUs = range.min && readDuration(p, range.min.value, key(latencyPath, 'min'));
  if (range.min && minUs !== undefined) checkMinLatency(p, range.min.value, key(latencyPath, 'min'), minUs);
  const maxUs = range.max && readDuration(p, range.max.value, key(latencyPath, 'max'));
  if (minUs !== undefined && maxUs !== undefined && minUs > maxUs) {
    p.add(range.max!.value.pos, key(latencyPath, 'max'), 'max must not be smaller than min');
  }
  return { latency: { minUs: minUs ?? 0, maxUs: maxUs ?? 0 } };
}
