// A fault schedule: the faults a nemesis draws over a scenario's workload, each with when it starts
// and how long it lasts, and how each becomes the timeline steps of an ordinary scenario file (a
// crash and the restart that ends it, a partition and the heals that end it). Also the rules a
// schedule must keep for its story to be true: a broker is not crashed again while it is still down,
// and network faults that overlap touch different nodes, because `heal: N` removes every network
// fault that touches N and would otherwise end a fault the story says is still going on.

import type { NodeName } from '../../../sim/kafka/spec.ts';
import { formatDuration } from '../../scenario/index.ts';

/** The fault kinds a nemesis may draw (`--faults`), in the order `--help` lists them. */
export const FAULT_KINDS = ['crash', 'shutdown', 'power-loss', 'disk-loss', 'pause', 'partition', 'cut', 'slow', 'isolate'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Times are drawn and shrunk on this grid, so files read `12.3s` rather than `12.345678s`. */
export const QUANTUM_US = 100_000;

interface Timing {
  atUs: number;
  /** How long the fault lasts before its restart or heal; 0 for disk-loss, which restarts at once. */
  forUs: number;
}

export type BrokerFault = { kind: 'crash' | 'shutdown' | 'power-loss' | 'disk-loss'; brokers: number[] } & Timing;
export type NodeFault = { kind: 'pause' | 'isolate'; node: NodeName } & Timing;
export type PartitionFault = { kind: 'partition'; groups: NodeName[][] } & Timing;
export type CutFault = { kind: 'cut'; from: NodeName; to: NodeName } & Timing;
export type SlowFault = { kind: 'slow'; node: NodeName; latencyUs: number } & Timing;
export type Fault = BrokerFault | NodeFault | PartitionFault | CutFault | SlowFault;

/**
 * The shortest a fault may last. A controlled shutdown takes a heartbeat or two to finish, and a
 * restart while it is still shutting down does nothing, so a shutdown lasts at least 5 s.
 */
export function minForUs(kind: FaultKind): number {
  if (kind === 'disk-loss') return 0;
  if (kind === 'shutdown') return 5_000_000;
  return QUANTUM_US;
}

export function endUs(f: Fault): number {
  return f.atUs + f.forUs;
}

/** Process faults act on a process (its status); the rest act on links. */
export function isProcessFault(f: Fault): boolean {
  return f.kind === 'crash' || f.kind === 'shutdown' || f.kind === 'power-loss' || f.kind === 'disk-loss' || f.kind === 'pause';
}

/** Every node a fault touches. */
export function nodesOf(f: Fault): NodeName[] {
  switch (f.kind) {
    case 'crash': case 'shutdown': case 'power-loss': case 'disk-loss':
      return f.brokers;
    case 'pause': case 'isolate': case 'slow':
      return [f.node];
    case 'partition':
      return f.groups.flat();
    case 'cut':
      return [f.from, f.to];
  }
}

/** Brokers first (ascending), then the controller, then clients by name: the order files list them. */
export function compareNodes(a: NodeName, b: NodeName): number {
  const rank = (n: NodeName): number => (typeof n === 'number' ? 0 : n === 'controller' ? 1 : 2);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/** Whether a schedule's story would be true as the simulator runs it (see the header). */
export function wellFormed(faults: readonly Fault[], durationUs: number): boolean {
  if (!faults.every((f) => shapeOk(f) && f.atUs >= 0 && f.forUs >= minForUs(f.kind) && endUs(f) <= durationUs)) return false;
  for (let i = 0; i < faults.length; i++) {
    for (let j = i + 1; j < faults.length; j++) if (clash(faults[i], faults[j])) return false;
  }
  return true;
}

function shapeOk(f: Fault): boolean {
  if (f.kind === 'disk-loss' && f.forUs !== 0) return false;
  if (f.kind === 'partition') return f.groups.length >= 2 && f.groups.every((g) => g.length > 0);
  if (f.kind === 'cut') return f.from !== f.to;
  if (f.kind === 'slow') return f.latencyUs > 0;
  return nodesOf(f).length > 0;
}

/** Two faults clash when their windows meet and they would act on the same thing. */
function clash(a: Fault, b: Fault): boolean {
  if (isProcessFault(a) !== isProcessFault(b)) return false;
  const meet = a.atUs <= endUs(b) && b.atUs <= endUs(a);
  if (!meet) return false;
  const nodes = new Set(nodesOf(a));
  return nodesOf(b).some((n) => nodes.has(n));
}

/** A timeline step of the file: its moment, the action as the YAML writes it, and which fault it belongs to. */
export interface FaultStep {
  atUs: number;
  action: Record<string, unknown>;
  fault: Fault;
  /** The step that starts the fault, or the restart/heal that ends it. */
  edge: 'start' | 'end';
}

/** The steps a fault becomes: its start, then (except disk-loss) the restart or heals that end it. */
export function stepsOf(f: Fault): FaultStep[] {
  const start = (action: Record<string, unknown>): FaultStep => ({ atUs: f.atUs, action, fault: f, edge: 'start' });
  const end = (action: Record<string, unknown>): FaultStep => ({ atUs: endUs(f), action, fault: f, edge: 'end' });
  switch (f.kind) {
    case 'crash': case 'shutdown': case 'power-loss':
      return [start({ [f.kind]: oneOrList(f.brokers) }), end({ restart: oneOrList(f.brokers) })];
    case 'disk-loss':
      return [start({ 'disk-loss': oneOrList(f.brokers) })];
    case 'pause':
      return [start({ pause: { [nodeKey(f.node)]: f.node, for: formatDuration(f.forUs) } })];
    case 'isolate':
      return [start({ isolate: f.node }), end({ heal: f.node })];
    case 'slow':
      return [start({ slow: { [nodeKey(f.node)]: f.node, latency: formatDuration(f.latencyUs) } }), end({ heal: f.node })];
    case 'cut':
      return [start({ cut: { from: f.from, to: f.to } }), end({ heal: f.from })];
    case 'partition':
      return [start({ partition: f.groups }), ...healSide(f.groups).map((n) => end({ heal: n }))];
  }
}

/** Healing every node of one side removes every cut of the partition (each crosses sides): the smallest side. */
export function healSide(groups: readonly NodeName[][]): NodeName[] {
  return [...groups].sort((a, b) => a.length - b.length)[0];
}

function oneOrList(brokers: number[]): number | number[] {
  return brokers.length === 1 ? brokers[0] : brokers;
}

function nodeKey(node: NodeName): 'broker' | 'node' {
  return typeof node === 'number' ? 'broker' : 'node';
}

/** Every step of a schedule in time order (a fault's end after starts at the same moment). */
export function scheduleSteps(faults: readonly Fault[]): FaultStep[] {
  const steps = faults.flatMap(stepsOf).map((s, i) => ({ s, i }));
  steps.sort((x, y) => x.s.atUs - y.s.atUs || edgeRank(x.s) - edgeRank(y.s) || x.i - y.i);
  return steps.map((x) => x.s);
}

function edgeRank(s: FaultStep): number {
  return s.edge === 'start' ? 0 : 1;
}

export function nodeText(n: NodeName): string {
  return typeof n === 'number' ? String(n) : n;
}

/** One line for the terminal: `crash 1 at 12.3s for 5s`, `partition [1] | [2, 3] at 5s for 50s`. */
export function describeFault(f: Fault): string {
  const when = f.kind === 'disk-loss' ? `at ${formatDuration(f.atUs)}` : `at ${formatDuration(f.atUs)} for ${formatDuration(f.forUs)}`;
  switch (f.kind) {
    case 'crash': case 'shutdown': case 'power-loss': case 'disk-loss':
      return `${f.kind} ${f.brokers.join(', ')} ${when}`;
    case 'pause': case 'isolate':
      return `${f.kind} ${nodeText(f.node)} ${when}`;
    case 'slow':
      return `slow ${nodeText(f.node)} by ${formatDuration(f.latencyUs)} ${when}`;
    case 'cut':
      return `cut ${nodeText(f.from)} → ${nodeText(f.to)} ${when}`;
    case 'partition':
      return `partition ${f.groups.map((g) => `[${g.map(nodeText).join(', ')}]`).join(' | ')} ${when}`;
  }
}
