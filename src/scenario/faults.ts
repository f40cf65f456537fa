// Timeline actions that break things: process and machine failures (crash, restart, shutdown,
// power-loss, disk-loss, pause) and network faults (isolate, partition, cut, slow, heal), each read
// from its YAML shape into the simulation's Action. The broker-taking ones also accept a choice made
// when the step runs (any-of, leader-of, and for restart crashed: see broker-choice.ts).

import type { Action, BrokerChoice, NodeName } from '../../sim/kafka/spec.ts';
import { readBrokerChoice, writtenAsChoice, type ChoiceRules } from './broker-choice.ts';
import type { Context, NodeKinds } from './context.ts';
import { asMap, asSeq, exactlyOne, expected, item, key, keysOf, oneOrMany, readDuration, refuse, scalar } from './reader.ts';
import type { YNode } from './tree.ts';

/** `atUs`: the step's moment (a window's start), as of which references are checked; `latestUs`: a window's end. */
export type ActionReader = (ctx: Context, node: YNode, path: string, atUs: number | undefined, latestUs: number | undefined) => Action | undefined;

const ANY_NODE: NodeKinds = { brokers: true, controller: true, clients: true };
const PROCESS: NodeKinds = { brokers: true, clients: true, quorum: true };
const BROKERS: NodeKinds = { brokers: true };
/** A running broker can be chosen as a partition's leader; only restart wants the ones that are down. */
const FAULT_CHOICES: ChoiceRules = { leaderOf: true, crashed: false };
const RESTART_CHOICES: ChoiceRules = { leaderOf: false, crashed: true };

export const FAULTS: Readonly<Record<string, ActionReader>> = {
  crash: (ctx, node, path, atUs) => withNodes(readTargets(ctx, node, path, atUs, 'crash', PROCESS, FAULT_CHOICES), (nodes) => ({ type: 'crash', nodes })),
  restart: (ctx, node, path, atUs) => withNodes(readTargets(ctx, node, path, atUs, 'restart', PROCESS, RESTART_CHOICES), (nodes) => ({ type: 'restart', nodes })),
  shutdown: (ctx, node, path, atUs) => withNodes(readBrokerTargets(ctx, node, path, atUs, 'shutdown'), (brokers) => ({ type: 'shutdown', brokers })),
  'power-loss': (ctx, node, path, atUs) => withNodes(readBrokerTargets(ctx, node, path, atUs, 'power-loss'), (brokers) => ({ type: 'power-loss', brokers })),
  'disk-loss': (ctx, node, path, atUs) => withNodes(readBrokerTargets(ctx, node, path, atUs, 'disk-loss'), (brokers) => ({ type: 'disk-loss', brokers })),
  pause: readPause,
  isolate: (ctx, node, path, atUs) => withNodes(readTarget(ctx, node, path, atUs, 'isolate', ANY_NODE), (n) => ({ type: 'isolate', node: n })),
  partition: readPartition,
  cut: readCut,
  slow: readSlow,
  heal: (ctx, node, path) =>
    scalar(node) === 'all' ? { type: 'heal', node: 'all' } : withNodes(ctx.node(node, path, { ...ANY_NODE, all: true }), (n) => ({ type: 'heal', node: n })),
};

function withNodes<T>(value: T | undefined, make: (value: T) => Action): Action | undefined {
  return value === undefined ? undefined : make(value);
}

/** One node or a list of distinct nodes (`crash: 1`, `crash: [1, 2]`). */
function readNodes(ctx: Context, node: YNode, path: string, kinds: NodeKinds): NodeName[] | undefined {
  const items = oneOrMany(node);
  if (items.length === 0) return expected(ctx.p, node, path, 'at least one node');
  const nodes: NodeName[] = [];
  const seen = new Set<NodeName>();
  items.forEach((n, i) => {
    const itemPath = node.kind === 'seq' ? item(path, i) : path;
    const name = ctx.node(n, itemPath, kinds);
    if (name !== undefined && seen.has(name)) ctx.p.add(n.pos, itemPath, `${nodeText(name)} is listed twice`);
    else if (name !== undefined) {
      nodes.push(name);
      seen.add(name);
    }
  });
  return nodes.length === items.length ? nodes : undefined;
}

/** Ids as written (`crash: 1`, `crash: [1, 2]`), or a choice made when the step runs (`crash: {any-of: [1, 2, 3]}`). */
function readTargets(ctx: Context, node: YNode, path: string, atUs: number | undefined, action: string, kinds: NodeKinds, rules: ChoiceRules): NodeName[] | BrokerChoice | undefined {
  if (writtenAsChoice(node)) return readBrokerChoice(ctx, node, path, atUs, action, rules);
  const inList = node.kind === 'seq' ? node.items.findIndex(writtenAsChoice) : -1;
  if (node.kind === 'seq' && inList >= 0) {
    return refuse(ctx.p, node.items[inList], item(path, inList), `a choice (any-of, leader-of, crashed) stands alone: write ${action}: {any-of: [...]} instead of a list`);
  }
  return readNodes(ctx, node, path, kinds);
}

function readBrokerTargets(ctx: Context, node: YNode, path: string, atUs: number | undefined, action: string): number[] | BrokerChoice | undefined {
  return readTargets(ctx, node, path, atUs, action, BROKERS, FAULT_CHOICES) as number[] | BrokerChoice | undefined;
}

/** One node, or a choice of one broker made when the step runs. */
function readTarget(ctx: Context, node: YNode, path: string, atUs: number | undefined, action: string, kinds: NodeKinds): NodeName | BrokerChoice | undefined {
  return writtenAsChoice(node) ? readBrokerChoice(ctx, node, path, atUs, action, FAULT_CHOICES) : ctx.node(node, path, kinds);
}

/**
 * `{broker: 1, for: 5s}` (the broker may be a choice: `{broker: leader-of orders-0, for: 5s}`);
 * `node:` instead of `broker:` pauses any node (a consumer's GC pause).
 */
function readPause(ctx: Context, node: YNode, path: string, atUs: number | undefined): Action | undefined {
  const map = asMap(ctx.p, node, path, 'a mapping like {broker: 1, for: 5s}');
  if (!map) return undefined;
  const k = keysOf(ctx.p, map, path, ['broker', 'node', 'for'], { required: ['for'] });
  const which = exactlyOne(ctx.p, map, path, k, ['broker', 'node']);
  const target = which === 'broker' ? readTarget(ctx, k.broker.value, key(path, 'broker'), atUs, 'pause', BROKERS)
    : which === 'node' ? ctx.node(k.node.value, key(path, 'node'), ANY_NODE) : undefined;
  const forUs = k.for && readDuration(ctx.p, k.for.value, key(path, 'for'), { positive: true });
  return target === undefined || forUs === undefined ? undefined : { type: 'pause', node: target, forUs };
}

/** `[[1, 2], [3, controller]]`: at least two groups, each node in one group only. */
function readPartition(ctx: Context, node: YNode, path: string): Action | undefined {
  const what = 'a list of node groups, like [[1, 2], [3, controller]]';
  const list = asSeq(ctx.p, node, path, what);
  if (!list) return undefined;
  if (list.items.length < 2) return refuse(ctx.p, node, path, `a network partition needs at least two groups of nodes, got ${list.items.length}`);
  const seen = new Set<NodeName>();
  const groups = list.items.map((groupNode, g) => {
    const group = asSeq(ctx.p, groupNode, item(path, g), 'a list of nodes');
    if (!group || group.items.length === 0) return group ? expected(ctx.p, groupNode, item(path, g), 'at least one node') : undefined;
    const names = group.items.map((n, i) => {
      const name = ctx.node(n, item(item(path, g), i), ANY_NODE);
      if (name !== undefined && seen.has(name)) return refuse(ctx.p, n, item(item(path, g), i), `${nodeText(name)} is already in another group`);
      if (name !== undefined) seen.add(name);
      return name;
    });
    return names.every((n) => n !== undefined) ? (names as NodeName[]) : undefined;
  });
  return groups.every((g) => g !== undefined) ? { type: 'partition', groups: groups as NodeName[][] } : undefined;
}

function readCut(ctx: Context, node: YNode, path: string): Action | undefined {
  const map = asMap(ctx.p, node, path, 'a mapping like {from: 1, to: 3}');
  if (!map) return undefined;
  const k = keysOf(ctx.p, map, path, ['from', 'to'], { required: ['from', 'to'] });
  const from = k.from && ctx.node(k.from.value, key(path, 'from'), ANY_NODE);
  const to = k.to && ctx.node(k.to.value, key(path, 'to'), ANY_NODE);
  if (from !== undefined && from === to) return refuse(ctx.p, k.to.value, key(path, 'to'), 'from and to are the same node');
  return from === undefined || to === undefined ? undefined : { type: 'cut', from, to };
}

/** `{broker: 3, latency: 200ms}` for every link of a node, `{link: [1, 3], latency: …}` for one link. */
function readSlow(ctx: Context, node: YNode, path: string): Action | undefined {
  const map = asMap(ctx.p, node, path, 'a mapping like {broker: 3, latency: 200ms}');
  if (!map) return undefined;
  const k = keysOf(ctx.p, map, path, ['broker', 'node', 'link', 'latency'], { required: ['latency'] });
  const which = exactlyOne(ctx.p, map, path, k, ['broker', 'node', 'link']);
  const latencyUs = k.latency && readDuration(ctx.p, k.latency.value, key(path, 'latency'), { positive: true });
  if (!which || latencyUs === undefined) return undefined;
  if (which === 'link') {
    const link = readLink(ctx, k.link.value, key(path, 'link'));
    return link && { type: 'slow', link, latencyUs };
  }
  const target = ctx.node(k[which].value, key(path, which), which === 'broker' ? { brokers: true } : ANY_NODE);
  return target === undefined ? undefined : { type: 'slow', node: target, latencyUs };
}

function readLink(ctx: Context, node: YNode, path: string): [NodeName, NodeName] | undefined {
  const list = asSeq(ctx.p, node, path, 'two nodes, like [1, 3]');
  if (!list) return undefined;
  if (list.items.length !== 2) return refuse(ctx.p, node, path, `a link is two nodes, like [1, 3]; got ${list.items.length}`);
  const nodes = readNodes(ctx, node, path, ANY_NODE);
  return nodes && [nodes[0], nodes[1]];
}

function nodeText(name: NodeName): string {
  return typeof name === 'number' ? `broker ${name}` : `"${name}"`;
}
