// Captions for the steps of a found schedule, in plain words and with each broker's role at that
// moment ("Broker 1, the leader of orders-0, crashes"), read from the cluster as it stood just
// before the step. A restart that cannot do anything (the broker has not finished stopping) says so
// rather than pretend.

import type { NodeName } from '../../../sim/kafka/spec.ts';
import { formatDuration } from '../../scenario/index.ts';
import { healSide, type Fault, type FaultStep } from './schedule.ts';

/** The cluster just before a step: who leads and follows what, and each broker's process state. */
export interface ClusterView {
  partitions: { name: string; leader: number | null; isr: number[]; replicas: number[] }[];
  brokerState: Map<number, string>;
  /** Client ids by kind, to name them ("producer checkout"). */
  clientKind: Map<string, 'producer' | 'consumer'>;
}

const MAX_LISTED = 3;

/** The caption of one step; '' for the second and later heals that end the same partition. */
export function noteFor(step: FaultStep, view: ClusterView): string {
  const f = step.fault;
  return step.edge === 'start' ? startNote(f, view) : endNote(step, view);
}

function startNote(f: Fault, v: ClusterView): string {
  switch (f.kind) {
    case 'crash':
      return `${subject(f.brokers, v)} ${verb(f.brokers, 'crashes', 'crash')}; ${f.brokers.length > 1 ? 'their logs survive' : 'its log survives'} on disk.`;
    case 'shutdown':
      return `${subject(f.brokers, v)} ${verb(f.brokers, 'shuts', 'shut')} down in a controlled way: leadership moves first, then the process stops.`;
    case 'power-loss':
      return `${subject(f.brokers, v)} ${verb(f.brokers, 'loses', 'lose')} power: whatever the OS had not yet written to disk is gone.`;
    case 'disk-loss':
      return `${subject(f.brokers, v)} ${verb(f.brokers, 'loses its disk and comes', 'lose their disks and come')} back at once with an empty log.`;
    case 'pause':
      return `${nodeSubject(f.node, v)} freezes for ${formatDuration(f.forUs)} (a long GC pause), then carries on as if nothing happened.`;
    case 'isolate':
      return `${nodeSubject(f.node, v)} is cut off from every other node.`;
    case 'slow':
      return `Every link of ${nodeName(f.node, v)} gets ${formatDuration(f.latencyUs)} of extra latency.`;
    case 'cut':
      return `Messages from ${nodeName(f.from, v)} to ${nodeName(f.to, v)} are dropped; the other direction still works.`;
    case 'partition':
      return `A network partition separates ${f.groups.map((g) => listOf(g.map((n) => nodeName(n, v)))).join(' from ')}; nodes on neither side keep all their links.`;
  }
}

function endNote(step: FaultStep, v: ClusterView): string {
  const f = step.fault;
  switch (f.kind) {
    case 'crash': case 'shutdown': case 'power-loss': {
      const stillUp = f.brokers.filter((b) => v.brokerState.get(b) === 'running');
      if (stillUp.length > 0) return `${capital(brokerList(f.brokers))} ${verb(f.brokers, 'is', 'are')} started again, but ${brokerList(stillUp)} had not finished stopping, so the restart does nothing for ${stillUp.length > 1 ? 'them' : 'it'}.`;
      return f.kind === 'power-loss'
        ? `Power is back: ${brokerList(f.brokers)} ${verb(f.brokers, 'restarts', 'restart')}.`
        : `${capital(brokerList(f.brokers))} ${verb(f.brokers, 'restarts', 'restart')}.`;
    }
    case 'isolate':
      return `${capital(nodeName(f.node))}'s network is healed.`;
    case 'slow':
      return `The links of ${nodeName(f.node)} are fast again.`;
    case 'cut':
      return `The one-way cut from ${nodeName(f.from)} to ${nodeName(f.to)} heals.`;
    case 'partition':
      return step.action.heal === healSide(f.groups)[0] ? 'The network partition heals.' : '';
    case 'pause': case 'disk-loss':
      return '';
  }
}

/** "Broker 1, the leader of orders-0," or "Brokers 1 (the leader of orders-0), 2 and 3 (each an in-sync follower of orders-0)". */
function subject(brokers: number[], v: ClusterView): string {
  if (brokers.length === 1) {
    const r = role(brokers[0], v);
    return r ? `Broker ${brokers[0]}, ${r},` : `Broker ${brokers[0]}`;
  }
  // brokers in the same role share one parenthesis
  const groups: { ids: number[]; role: string }[] = [];
  for (const b of brokers) {
    const r = role(b, v);
    const same = groups.find((g) => g.role === r);
    if (same) same.ids.push(b);
    else groups.push({ ids: [b], role: r });
  }
  const parts = groups.map((g) => {
    const ids = listOf(g.ids.map(String));
    if (!g.role) return ids;
    return g.ids.length > 1 ? `${ids} (each ${g.role})` : `${ids} (${g.role})`;
  });
  return `Brokers ${parts.length === 1 ? parts[0] : parts.join(', ')}`;
}

/** The subject of a sentence about one node: a broker with its role, the controller, a client. */
function nodeSubject(n: NodeName, v: ClusterView): string {
  return typeof n === 'number' ? subject([n], v) : capital(nodeName(n, v));
}

function verb(brokers: number[], one: string, many: string): string {
  return brokers.length === 1 ? one : many;
}

function brokerList(brokers: number[]): string {
  return brokers.length === 1 ? `broker ${brokers[0]}` : `brokers ${listOf(brokers.map(String))}`;
}

/** A node in a sentence, with a broker's role when a view is given. */
function nodeName(n: NodeName, v?: ClusterView): string {
  if (typeof n === 'number') {
    const r = v && role(n, v);
    return r ? `broker ${n} (${r})` : `broker ${n}`;
  }
  if (n === 'controller') return 'the controller';
  const kind = v?.clientKind.get(n);
  return kind ? `${kind} ${n}` : n;
}

/** "the leader of orders-0 and a follower of orders-1", "out of the ISR of orders-0", "already down". */
export function role(broker: number, v: ClusterView): string {
  const state = v.brokerState.get(broker);
  if (state !== undefined && state !== 'running') return state === 'paused' ? 'frozen in a pause' : 'already down';
  const leads = v.partitions.filter((p) => p.leader === broker).map((p) => p.name);
  const follows = v.partitions.filter((p) => p.leader !== broker && p.isr.includes(broker)).map((p) => p.name);
  const behind = v.partitions.filter((p) => p.replicas.includes(broker) && !p.isr.includes(broker)).map((p) => p.name);
  const parts: string[] = [];
  if (leads.length) parts.push(`the leader of ${partitions(leads)}`);
  if (follows.length) parts.push(`${parts.length ? 'a follower of' : 'an in-sync follower of'} ${partitions(follows)}`);
  if (behind.length) parts.push(`out of the ISR of ${partitions(behind)}`);
  return listOf(parts);
}

function partitions(names: string[]): string {
  return names.length <= MAX_LISTED ? listOf(names) : `${names.length} partitions`;
}

function listOf(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
