// What the sections of a scenario declare and the others refer to: broker ids, topics and their
// partition counts over time, client ids and consumer groups. Each reference check reports a message
// that lists what does exist, so "broker 7 does not exist (brokers are 1, 2, 3)" needs no second look.

import { parsePartitionName, type NodeName } from '../../sim/kafka/spec.ts';
import type { Problems } from './errors.ts';
import { formatDuration } from './durations.ts';
import { describe, expected, readDuration, readInteger, scalar } from './reader.ts';
import { didYouMean } from './suggest.ts';
import type { YNode } from './tree.ts';

/** Names with a meaning of their own wherever a node is expected, and what each names. */
export const RESERVED_NODE_NAMES: Readonly<Record<string, string>> = {
  controller: 'the controller',
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
  clients?: boolean;
}

export class Context {
  /** Undefined when `cluster.brokers` itself is wrong: broker references are then not checked. */
  brokers: number[] | undefined;
  durationUs: number | undefined;
  /** Topic name → partition count when the run starts (add-partitions may raise it later). */
  readonly topics = new Map<string, number>();
  /** Producer and consumer ids (one namespace: both are nodes of the network), with the line declaring each. */
  readonly clients = new Map<string, { kind: 'producer' | 'consumer'; line: number }>();
  readonly groups = new Set<string>();
  /** add-partitions steps seen so far, in time order. */
  private readonly growth: { topic: string; atUs: number; count: number }[] = [];
  /** Checks that must wait until the timeline is known (a producer's partition may be added later). */
  private readonly deferred: (() => void)[] = [];

  constructor(readonly p: Problems) {}

  broker(node: YNode, path: string): number | undefined {
    const id = readInteger(this.p, node, path, { min: 0 }, 'a broker id');
    return id === undefined ? undefined : this.existingBroker(id, node, path);
  }

  private existingBroker(id: number, node: YNode, path: string): number | undefined {
    if (!this.brokers || this.brokers.includes(id)) return id;
    this.p.add(node.pos, path, `broker ${id} does not exist (brokers are ${this.brokers.join(', ')})`);
    return undefined;
  }

  topic(node: YNode, path: string): string | undefined {
    const name = scalar(node);
    if (typeof name !== 'string' || name === '') return expected(this.p, node, path, 'a topic name');
    if (this.topics.has(name)) return name;
    this.p.add(node.pos, path, `topic "${name}" does not exist${this.listing(name, [...this.topics.keys()], 'topics')}`);
    return undefined;
  }

  /** A partition written as Kafka prints it (`orders-0`) that exists at `atUs` (undefined: the end). */
  partition(node: YNode, path: string, atUs: number | undefined): string | undefined {
    const text = scalar(node);
    const parsed = typeof text === 'string' ? parsePartitionName(text) : undefined;
    if (!parsed) return expected(this.p, node, path, 'a partition like orders-0');
    if (!this.topics.has(parsed.topic)) {
      const known = [...this.topics.keys()];
      this.p.add(node.pos, path, `partition ${text}: topic "${parsed.topic}" does not exist${this.listing(parsed.topic, known, 'topics')}`);
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

  group(node: YNode, path: string): string | undefined {
    const name = scalar(node);
    if (typeof name !== 'string' || name === '') return expected(this.p, node, path, 'a consumer group id');
    if (this.groups.has(name)) return name;
    this.p.add(node.pos, path, `group "${name}" does not exist${this.listing(name, [...this.groups], 'groups (of the consumers)')}`);
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
    if (v === 'controller' && kinds.controller) return v;
    if (kinds.clients && this.clients.has(v)) return v;
    const known = [...(kinds.controller ? ['controller'] : []), ...(kinds.clients ? this.clients.keys() : [])];
    this.p.add(node.pos, path, `expected ${what}, got ${describe(node)}${didYouMean(v, known)}`);
    return undefined;
  }

  partitionCount(topic: string, atUs: number | undefined): number {
    let count = this.topics.get(topic) ?? 0;
    for (const g of this.growth) if (g.topic === topic && (atUs === undefined || g.atUs <= atUs)) count = Math.max(count, g.count);
    return count;
  }

  addPartitions(topic: string, atUs: number, count: number): void {
    this.growth.push({ topic, atUs, count });
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
    const ofKind = [...this.clients].filter(([, c]) => c.kind === kind).map(([name]) => name);
    this.p.add(node.pos, path, `${kind} "${id}" does not exist${this.listing(id, ofKind, `${kind}s`)}`);
    return undefined;
  }

  /** " (did you mean …?)" when close, else " (topics are a, b)" or " (no topics are defined)". */
  private listing(name: string, known: string[], plural: string): string {
    const hint = didYouMean(name, known);
    if (hint !== '') return hint;
    return known.length === 0 ? ` (no ${plural} are defined)` : ` (${plural} are ${known.join(', ')})`;
  }
}

function nodeKindsText(kinds: NodeKinds): string {
  const parts = [kinds.all && 'all', kinds.brokers && 'a broker id', kinds.controller && '"controller"', kinds.clients && 'a producer or consumer id'];
  const list = parts.filter((x): x is string => typeof x === 'string');
  return list.length <= 1 ? list.join('') : `${list.slice(0, -1).join(', ')} or ${list[list.length - 1]}`;
}
