// What the sections of a scenario declare and the others refer to: broker ids, topics and their
// partition counts over time, client ids and consumer groups. Each reference check reports a message
// that lists what does exist, so "broker 7 does not exist (brokers are 1, 2, 3)" needs no second look.

import { CURRENT_VERSION, type KafkaVersion } from '../../sim/kafka/versions.ts';
import { parsePartitionName, type NodeName } from '../../sim/kafka/spec.ts';
import type { Problems } from './errors.ts';
import { formatDuration } from './durations.ts';
import { describe, expected, readDuration, readInteger, scalar } from './reader.ts';
import { didYouMean } from './suggest.ts';
import type { YNode } from './tree.ts';

/** Names with a meaning of their own wherever a node is expected, and what each names. */
export const RESERVED_NODE_NAMES: Readonly<Record<string, string>> = {
  controller: 'the controller (with a quorum, the active one)',
  'active-controller': 'the active controller of a quorum (cluster.controllers > 1)',
  all: 'every node in heal: all',
  crashed: 'every crashed or stopped broker in restart: crashed',
  'any-of': 'a broker drawn from a list in {any-of: [...]}',
  'leader-of': 'a partition\'s leader in leader-of orders-0',
};

/** Which kinds of node a field accepts. */
export interface NodeKinds {
  /** `all` (heal: all) is accepted by the caller; it is only named in messages. */
  all?: boolean;
  brokers?: boolean;
  controller?: boolean;
  /** crash and restart: the nodes of a controller quorum (controller-N, active-controller, controller), not the single controller. */
  quorum?: boolean;
  clients?: boolean;
}

/** controller-1 … controller-N: the voters of a controller quorum. */
export const QUORUM_NODE = /^controller-(\d+)$/;

/**
 * How many known names "did you mean" may compare in one validation, all messages together: a file
 * with thousands of topics and thousands of misspelt references must not cost their product.
 */
const SUGGESTION_BUDGET = 1_000_000;
/** A message lists the known names only when there are this few. */
const LISTED_NAMES = 20;

export class Context {
  /** Undefined when `cluster.brokers` itself is wrong: broker references are then not checked. */
  private brokerList: number[] | undefined;
  private brokerSet: ReadonlySet<number> | undefined;
  durationUs: number | undefined;
  /** cluster.racks: rack name → its brokers; undefined without racks. */
  racks: Record<string, number[]> | undefined;
  /** cluster.controllers: 1, the single node `controller`; N > 1, the quorum controller-1 … controller-N. */
  controllers = 1;
  /** cluster.controller is zookeeper: a broker started while its previous session lives fails to start. */
  zookeeper = false;
  /** The Kafka version the scenario runs (cluster.kafka.version; the current one by default). */
  kafkaVersion: KafkaVersion = CURRENT_VERSION;
  /** Topic name → partition count when the run starts (add-partitions may raise it later). */
  readonly topics = new Map<string, number>();
  /** A topic's name with "." as "_" (how Kafka's metrics name it) → the topic, for Kafka's collision check. */
  readonly topicsByMetricName = new Map<string, string>();
  /** Producer and consumer ids (one namespace: both are nodes of the network), with the line declaring each. */
  readonly clients = new Map<string, { kind: 'producer' | 'consumer'; line: number }>();
  private readonly clientsOfKind = { producer: [] as string[], consumer: [] as string[] };
  readonly groups = new Set<string>();
  /** add-partitions steps seen so far, by topic. */
  private readonly growth = new Map<string, Growth>();
  /** Checks that must wait until the timeline is known (a producer's partition may be added later). */
  private readonly deferred: (() => void)[] = [];
  private suggestionBudget = SUGGESTION_BUDGET;

  constructor(readonly p: Problems) {}

  get brokers(): number[] | undefined {
    return this.brokerList;
  }

  set brokers(ids: number[] | undefined) {
    this.brokerList = ids;
    this.brokerSet = ids && new Set(ids);
  }

  declareClient(id: string, kind: 'producer' | 'consumer', line: number): void {
    this.clients.set(id, { kind, line });
    this.clientsOfKind[kind].push(id);
  }

  broker(node: YNode, path: string): number | undefined {
    const id = readInteger(this.p, node, path, { min: 0 }, 'a broker id');
    return id === undefined ? undefined : this.existingBroker(id, node, path);
  }

  private existingBroker(id: number, node: YNode, path: string): number | undefined {
    if (!this.brokerList || this.brokerSet!.has(id)) return id;
    this.p.add(node.pos, path, `broker ${id} does not exist${this.listing(String(id), () => this.brokerList!.map(String), this.brokerList.length, 'brokers', false)}`);
    return undefined;
  }

  topic(node: YNode, path: string): string | undefined {
    const name = scalar(node);
    if (typeof name !== 'string' || name === '') return expected(this.p, node, path, 'a topic name');
    if (this.topics.has(name)) return name;
    this.p.add(node.pos, path, `topic "${name}" does not exist${this.listing(name, () => this.topics.keys(), this.topics.size, 'topics')}`);
    return undefined;
  }

  /** A partition written as Kafka prints it (`orders-0`) that exists at `atUs` (undefined: the end). */
  partition(node: YNode, path: string, atUs: number | undefined): string | undefined {
    const text = scalar(node);
    const parsed = typeof text === 'string' ? parsePartitionName(text) : undefined;
    if (!parsed) return expected(this.p, node, path, 'a partition like orders-0');
    if (!this.topics.has(parsed.topic)) {
      const listing = this.listing(parsed.topic, () => this.topics.keys(), this.topics.size, 'topics');
      this.p.add(node.pos, path, `partition ${text}: topic "${parsed.topic}" does not exist${listing}`);
      return undefined;
    }
    const count = this.partitionCount(parsed.topic, atUs);
    if (parsed.partition < count) return text as string;
    const when = atUs === undefined ? 'at the end of the run' : `at ${formatDuration(atUs)}`;
    const range = count === 1 ? `${parsed.topic}-0` : `${parsed.topic}-0 to ${parsed.topic}-${count - 1}`;
    this.p.add(node.pos, path, `partition ${text} does not exist (${parsed.topic} has ${count} partition${count === 1 ? '' : 's'} ${when}: ${range})`);
    return undefined;
  }

  producer(node: YNode, path: string): string | undefined {
    return this.client(node, path, 'producer');
  }

  consumer(node: YNode, path: string): string | undefined {
    return this.client(node, path, 'consumer');
  }

  group(node: YNode, path: string): string | undefined {
    const name = scalar(node);
    if (typeof name !== 'string' || name === '') return expected(this.p, node, path, 'a consumer group id');
    if (this.groups.has(name)) return name;
    this.p.add(node.pos, path, `group "${name}" does not exist${this.listing(name, () => this.groups, this.groups.size, 'groups (of the consumers)')}`);
    return undefined;
  }

  /** A node of the network: a broker id, `controller`, or a client id, as `kinds` allows. */
  node(node: YNode, path: string, kinds: NodeKinds): NodeName | undefined {
    const v = scalar(node);
    const what = nodeKindsText(kinds);
    if (typeof v === 'number' || (typeof v === 'string' && /^\d+$/.test(v))) {
      // A quoted "3" is broker 3 too: client ids cannot be all digits, so nothing else could be meant.
      if (kinds.brokers && Number.isSafeInteger(Number(v))) return this.existingBroker(Number(v), node, path);
      return expected(this.p, node, path, what);
    }
    if (typeof v !== 'string' || v === '') return expected(this.p, node, path, what);
    if ((kinds.controller || kinds.quorum) && (v === 'controller' || v === 'active-controller' || QUORUM_NODE.test(v))) return this.controllerNode(v, node, path, kinds);
    if (kinds.clients && this.clients.has(v)) return v;
    const known = function* (clients: Iterable<string>): Iterable<string> {
      if (kinds.controller) yield 'controller';
      if (kinds.quorum || kinds.controller) yield 'active-controller';
      if (kinds.clients) yield* clients;
    };
    this.p.add(node.pos, path, `expected ${what}, got ${describe(node)}${this.guess(v, () => known(this.clients.keys()), this.clients.size + 1)}`);
    return undefined;
  }

  /**
   * A controller node: with a quorum, `controller` and `active-controller` (the active one when the
   * step runs) or controller-1 … controller-N; with the single controller only `controller`, which
   * can be cut off or paused but not crashed.
   */
  private controllerNode(v: string, node: YNode, path: string, kinds: NodeKinds): NodeName | undefined {
    const m = QUORUM_NODE.exec(v);
    if (this.controllers > 1) {
      if (m && (Number(m[1]) < 1 || Number(m[1]) > this.controllers)) {
        this.p.add(node.pos, path, `${v} does not exist (the quorum is controller-1 … controller-${this.controllers}, cluster.controllers: ${this.controllers})`);
        return undefined;
      }
      return v;
    }
    if (v === 'controller' && kinds.controller) return v;
    const why = v === 'controller'
      ? 'the single controller (cluster.controllers: 1) cannot crash or restart'
      : `${v} names a node of a controller quorum, and this cluster has the single node "controller"`;
    this.p.add(node.pos, path, `${why}; set cluster.controllers: 3 for a KRaft quorum controller-1 … controller-3`);
    return undefined;
  }

  partitionCount(topic: string, atUs: number | undefined): number {
    return Math.max(this.topics.get(topic) ?? 0, this.growth.get(topic)?.countAt(atUs) ?? 0);
  }

  addPartitions(topic: string, atUs: number, count: number): void {
    let g = this.growth.get(topic);
    if (!g) this.growth.set(topic, (g = new Growth()));
    g.add(atUs, count);
  }

  later(check: () => void): void {
    this.deferred.push(check);
  }

  runDeferred(): void {
    for (const check of this.deferred.splice(0)) check();
  }

  /**
   * A moment of the run (`at`, `start`, `stop`): a duration no later than the end. A moment past the
   * end is reported but still returned, so the timeline can still be put in order.
   */
  instant(node: YNode, path: string): number | undefined {
    const us = readDuration(this.p, node, path);
    if (us !== undefined && this.durationUs !== undefined && us > this.durationUs) {
      this.p.add(node.pos, path, `${formatDuration(us)} is after the end of the run (duration: ${formatDuration(this.durationUs)})`);
    }
    return us;
  }

  private client(node: YNode, path: string, kind: 'producer' | 'consumer'): string | undefined {
    const id = scalar(node);
    if (typeof id !== 'string' || id === '') return expected(this.p, node, path, `a ${kind} id`);
    if (this.clients.get(id)?.kind === kind) return id;
    const ofKind = this.clientsOfKind[kind];
    this.p.add(node.pos, path, `${kind} "${id}" does not exist${this.listing(id, () => ofKind, ofKind.length, `${kind}s`)}`);
    return undefined;
  }

  /**
   * " (did you mean …?)" when close (and `guess`), else " (topics are a, b)", " (no topics are
   * defined)", or for many, " (20000 topics are defined: a, b, …)".
   */
  private listing(name: string, known: () => Iterable<string>, count: number, plural: string, guess = true): string {
    const hint = guess ? this.guess(name, known, count) : '';
    if (hint !== '') return hint;
    if (count === 0) return ` (no ${plural} are defined)`;
    const first: string[] = [];
    for (const n of known()) {
      if (first.length === LISTED_NAMES) break;
      first.push(n);
    }
    return count <= LISTED_NAMES ? ` (${plural} are ${first.join(', ')})` : ` (${count} ${plural} are defined: ${first.join(', ')}, …)`;
  }

  /** didYouMean while the budget lasts; then nothing (the message still says what does exist). */
  private guess(name: string, known: () => Iterable<string>, count: number): string {
    if (count > this.suggestionBudget) return '';
    this.suggestionBudget -= count;
    return didYouMean(name, known());
  }
}

/**
 * The add-partitions steps of one topic: the count as of a moment is the largest count added at or
 * before it. The timeline asks in time order, adding only at or after the moment it asks about, so a
 * heap of steps not yet reached answers in O(log n); a question back in time (an expectation's `at`,
 * after the timeline) sorts the steps once. No question rescans every step: validation stays linear.
 */
class Growth {
  private readonly steps: { atUs: number; count: number }[] = [];
  /** Steps later than `reachedUs`, a min-heap by time. */
  private readonly ahead: { atUs: number; count: number }[] = [];
  private reachedUs = -1;
  private reachedCount = 0;
  private maxCount = 0;
  /** Steps by time with the largest count so far; rebuilt after an add. */
  private byTime: { atUs: number; count: number }[] | undefined;

  add(atUs: number, count: number): void {
    const step = { atUs, count };
    this.steps.push(step);
    this.byTime = undefined;
    this.maxCount = Math.max(this.maxCount, count);
    if (atUs <= this.reachedUs) this.reachedCount = Math.max(this.reachedCount, count);
    else heapPush(this.ahead, step);
  }

  /** The count as of `atUs` (undefined: the end of the run). */
  countAt(atUs: number | undefined): number {
    if (atUs === undefined) return this.maxCount;
    if (atUs >= this.reachedUs) {
      while (this.ahead.length > 0 && this.ahead[0].atUs <= atUs) this.reachedCount = Math.max(this.reachedCount, heapPop(this.ahead).count);
      this.reachedUs = atUs;
      return this.reachedCount;
    }
    if (!this.byTime) {
      let max = 0;
      this.byTime = [...this.steps].sort((a, b) => a.atUs - b.atUs).map((s) => ({ atUs: s.atUs, count: (max = Math.max(max, s.count)) }));
    }
    // the last step at or before atUs
    let lo = 0;
    let hi = this.byTime.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.byTime[mid].atUs <= atUs) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? 0 : this.byTime[lo - 1].count;
  }
}

type Timed = { atUs: number };

function heapPush<T extends Timed>(heap: T[], x: T): void {
  heap.push(x);
  for (let i = heap.length - 1; i > 0; ) {
    const parent = (i - 1) >> 1;
    if (heap[parent].atUs <= heap[i].atUs) break;
    [heap[parent], heap[i]] = [heap[i], heap[parent]];
    i = parent;
  }
}

function heapPop<T extends Timed>(heap: T[]): T {
  const top = heap[0];
  const last = heap.pop()!;
  if (heap.length > 0) {
    heap[0] = last;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && heap[l].atUs < heap[m].atUs) m = l;
      if (r < heap.length && heap[r].atUs < heap[m].atUs) m = r;
      if (m === i) break;
      [heap[m], heap[i]] = [heap[i], heap[m]];
      i = m;
    }
  }
  return top;
}

function nodeKindsText(kinds: NodeKinds): string {
  const parts = [
    kinds.all && 'all', kinds.brokers && 'a broker id', kinds.controller && '"controller"', kinds.quorum && 'a controller node (controller-N, active-controller)',
    kinds.clients && 'a producer or consumer id',
  ];
  const list = parts.filter((x): x is string => typeof x === 'string');
  return list.length <= 1 ? list.join('') : `${list.slice(0, -1).join(', ')} or ${list[list.length - 1]}`;
}
