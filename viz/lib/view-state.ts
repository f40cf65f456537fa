// The cluster as the viewer sees it at one moment: a pure fold of the normalised trace events up to
// that moment over the run's topology. Nothing here reads the model; the same events give the same
// picture, which is what lets the playhead seek backwards (checkpoints.ts) and two runs share it.

import type { BrokerChange, NetChange, VizEvent } from './events.ts';

export interface Topology {
  brokers: number[];
  controller: 'kraft' | 'zookeeper';
  /** The voters of a controller quorum (`cluster.controllers` > 1), absent with the single controller. */
  controllers?: string[];
  partitions: { name: string; topic: string; index: number; replicas: number[]; /** min.insync.replicas (1 when unknown). */ minIsr?: number }[];
  producers: { id: string; topic: string; acks: string }[];
  consumers: { id: string; group: string }[];
  durationUs: number;
}

export type BrokerStatus = 'up' | 'crashed' | 'paused' | 'shutdown';

export interface BrokerView {
  id: number;
  status: BrokerStatus;
  fenced: boolean;
  /** The last change and when, for captions and tooltips. */
  lastChange?: BrokerChange;
  sinceUs: number;
  diskLost: boolean;
}

/** A run of offsets written in one leader epoch, from `start` to the next segment (or the LEO). */
export interface Segment {
  epoch: number;
  start: number;
}

/** Offsets a replica removed from its log: drawn as ghosts where they were. */
export interface Ghost {
  from: number;
  to: number;
  epochs: Segment[];
  tUs: number;
}

export interface ReplicaView {
  broker: number;
  leo: number;
  hw: number;
  logStart: number;
  segments: Segment[];
  ghosts: Ghost[];
}

export interface PartitionView {
  name: string;
  topic: string;
  index: number;
  replicas: number[];
  leader: number | null;
  leaderEpoch: number;
  isr: number[];
  /** A reassignment in progress (KIP-455): replicas being added and removed (empty when none). */
  adding: number[];
  removing: number[];
  /** When the partition lost its leader (undefined while it has one). */
  leaderlessSinceUs?: number;
  /** Total time without a leader so far, not counting the current stretch. */
  leaderlessUs: number;
  uncleanElections: number;
  logs: Record<number, ReplicaView>;
  /** Acknowledged offset ranges by the leader epoch they were written in (merged), for acked-cell markers. */
  acked: Record<number, [number, number][]>;
}

export interface ProducerView {
  id: string;
  topic: string;
  acks: string;
  /** The leader and epoch the producer believes, per partition (its cached metadata). */
  beliefs: Record<string, { leader: number | null; epoch: number }>;
  metadataUs?: number;
  acked: number;
  failed: number;
  /** Error responses by Kafka error code. */
  errors: Record<string, number>;
  lastError?: { code: string; tUs: number };
}

export interface GroupView {
  group: string;
  generation: number;
  /** 'Stable' between rebalances; 'rebalancing' while members rejoin (consumption stops). */
  state: 'stable' | 'rebalancing' | 'empty';
  assignment: Record<string, string[]>;
  committed: Record<string, number>;
  positions: Record<string, number>;
  /** Per partition, the batch a consumer is processing (`processing:`): offsets [from, to) until untilUs. */
  inFlight: Record<string, { consumer: string; from: number; to: number; untilUs: number }>;
}

export interface NetState {
  /** Directed links that drop messages, "a→b". */
  cuts: Set<string>;
  isolated: Set<string>;
  /** Extra latency per node or per link "a–b" (undirected, sorted). */
  slow: Map<string, number>;
}

export interface Counts {
  acked: number;
  /** Records the producers gave up on. */
  failed: number;
  /** Error responses the producers received (retried or not). */
  errors: number;
  truncated: number;
  elections: number;
  uncleanElections: number;
  /** From the model's ledger samples (undefined before the first sample). */
  ledger?: { produced: number; acked: number; lost: number; unavailable: number; duplicates: number };
}

export interface ViewState {
  tUs: number;
  eventCount: number;
  brokers: Record<number, BrokerView>;
  controller: { status: 'up' | 'crashed' | 'paused' | 'isolated' };
  /** A controller quorum: each voter's process and Raft role, the active controller and its epoch. */
  quorum?: QuorumState;
  partitions: Record<string, PartitionView>;
  producers: Record<string, ProducerView>;
  groups: Record<string, GroupView>;
  /** Client processes that are not running normally (absent: up). */
  clients: Record<string, 'up' | 'crashed' | 'paused'>;
  net: NetState;
  counts: Counts;
  caption?: { text: string; tUs: number; explains?: number };
  /** Index of the last event folded in (−1: none). */
  lastIndex: number;
}

export interface QuorumState {
  nodes: Record<string, { status: 'up' | 'crashed' | 'paused'; role: 'leader' | 'follower' | 'candidate' | 'resigned' | 'unattached'; epoch: number }>;
  /** The active controller, or null while there is none. */
  active: string | null;
  epoch: number;
  /** Since when there has been no active controller (while `active` is null). */
  inactiveSinceUs?: number;
}

export function initialState(topo: Topology): ViewState {
  const brokers: Record<number, BrokerView> = {};
  for (const id of topo.brokers) brokers[id] = { id, status: 'up', fenced: false, sinceUs: 0, diskLost: false };
  const partitions: Record<string, PartitionView> = {};
  for (const p of topo.partitions) {
    const logs: Record<number, ReplicaView> = {};
    for (const b of p.replicas) logs[b] = { broker: b, leo: 0, hw: 0, logStart: 0, segments: [], ghosts: [] };
    partitions[p.name] = {
      name: p.name,
      topic: p.topic,
      index: p.index,
      replicas: [...p.replicas],
      leader: null,
      leaderEpoch: -1,
      isr: [],
      adding: [],
      removing: [],
      leaderlessUs: 0,
      leaderlessSinceUs: 0,
      uncleanElections: 0,
      logs,
      acked: {},
    };
  }
  const producers: Record<string, ProducerView> = {};
  for (const p of topo.producers) producers[p.id] = { id: p.id, topic: p.topic, acks: p.acks, beliefs: {}, acked: 0, failed: 0, errors: {} };
  const groups: Record<string, GroupView> = {};
  for (const c of topo.consumers) groups[c.group] ??= newGroup(c.group);
  return {
    tUs: 0,
    eventCount: 0,
    brokers,
    controller: { status: 'up' },
    ...(topo.controllers ? { quorum: { nodes: Object.fromEntries(topo.controllers.map((n) => [n, { status: 'up' as const, role: 'unattached' as const, epoch: 0 }])), active: null, epoch: 0 } } : {}),
    partitions,
    producers,
    groups,
    clients: {},
    net: { cuts: new Set(), isolated: new Set(), slow: new Map() },
    counts: { acked: 0, failed: 0, errors: 0, truncated: 0, elections: 0, uncleanElections: 0 },
    lastIndex: -1,
  };
}

/** A deep copy, written out by hand: checkpoints clone the whole cluster, and structuredClone is
 *  several times slower on thousands of small objects. */
export function cloneState(s: ViewState): ViewState {
  const partitions: Record<string, PartitionView> = {};
  for (const [name, p] of Object.entries(s.partitions)) {
    const logs: Record<number, ReplicaView> = {};
    for (const [b, r] of Object.entries(p.logs)) {
      logs[Number(b)] = {
        broker: r.broker,
        leo: r.leo,
        hw: r.hw,
        logStart: r.logStart,
        segments: r.segments.map((g) => ({ epoch: g.epoch, start: g.start })),
        ghosts: r.ghosts.map((g) => ({ from: g.from, to: g.to, tUs: g.tUs, epochs: g.epochs.map((x) => ({ epoch: x.epoch, start: x.start })) })),
      };
    }
    const acked: Record<number, [number, number][]> = {};
    for (const [e, ranges] of Object.entries(p.acked)) acked[Number(e)] = ranges.map((r) => [r[0], r[1]]);
    partitions[name] = { ...p, replicas: [...p.replicas], isr: [...p.isr], adding: [...p.adding], removing: [...p.removing], logs, acked };
  }
  const brokers: Record<number, BrokerView> = {};
  for (const [id, b] of Object.entries(s.brokers)) brokers[Number(id)] = { ...b };
  const producers: Record<string, ProducerView> = {};
  for (const [id, p] of Object.entries(s.producers)) {
    const beliefs: ProducerView['beliefs'] = {};
    for (const [k, v] of Object.entries(p.beliefs)) beliefs[k] = { ...v };
    producers[id] = { ...p, beliefs, errors: { ...p.errors }, lastError: p.lastError && { ...p.lastError } };
  }
  const groups: Record<string, GroupView> = {};
  for (const [id, g] of Object.entries(s.groups)) {
    const assignment: Record<string, string[]> = {};
    for (const [m, ps] of Object.entries(g.assignment)) assignment[m] = [...ps];
    const inFlight: GroupView['inFlight'] = {};
    for (const [p, b] of Object.entries(g.inFlight)) inFlight[p] = { ...b };
    groups[id] = { ...g, assignment, committed: { ...g.committed }, positions: { ...g.positions }, inFlight };
  }
  return {
    tUs: s.tUs,
    eventCount: s.eventCount,
    brokers,
    controller: { ...s.controller },
    ...(s.quorum ? { quorum: cloneQuorum(s.quorum) } : {}),
    partitions,
    producers,
    groups,
    clients: { ...s.clients },
    net: { cuts: new Set(s.net.cuts), isolated: new Set(s.net.isolated), slow: new Map(s.net.slow) },
    counts: { ...s.counts, ledger: s.counts.ledger && { ...s.counts.ledger } },
    caption: s.caption && { ...s.caption },
    lastIndex: s.lastIndex,
  };
}

/** Fold one event into the state, in place. */
export function applyEvent(s: ViewState, e: VizEvent): void {
  s.eventCount++;
  s.lastIndex++;
  s.tUs = e.tUs;
  switch (e.type) {
    case 'broker':
      return applyBroker(s, e.broker, e.change, e.tUs);
    case 'controller':
      s.controller.status = e.change === 'restarted' || e.change === 'resumed' ? 'up' : e.change === 'isolated' ? 'isolated' : e.change;
      return;
    case 'leader': {
      const p = s.partitions[e.partition];
      if (!p) return;
      setLeader(p, e.leader, e.epoch, e.tUs);
      if (e.isr) p.isr = [...e.isr];
      if (e.leader !== null) {
        s.counts.elections++;
        if (!e.clean) {
          p.uncleanElections++;
          s.counts.uncleanElections++;
        }
      }
      return;
    }
    case 'partition-state': {
      const p = s.partitions[e.partition];
      if (!p) return;
      setLeader(p, e.leader, e.epoch, e.tUs);
      p.isr = [...e.isr];
      if (e.replicas) {
        p.replicas = [...e.replicas];
        // a replica a reassignment adds gets a log row from now on
        for (const b of e.replicas) p.logs[b] ??= { broker: b, leo: 0, hw: 0, logStart: 0, segments: [], ghosts: [] };
      }
      if (e.adding) p.adding = [...e.adding];
      if (e.removing) p.removing = [...e.removing];
      return;
    }
    case 'reassign':
      return;
    case 'quorum':
      if (s.quorum) applyQuorum(s.quorum, e);
      return;
    case 'isr': {
      const p = s.partitions[e.partition];
      if (p) p.isr = [...e.isr];
      return;
    }
    case 'append': {
      const r = replica(s, e.partition, e.broker);
      if (!r) return;
      if (e.from < r.leo) truncateTo(r, e.from, e.tUs);
      const last = r.segments[r.segments.length - 1];
      if (!last || last.epoch !== e.epoch) r.segments.push({ epoch: e.epoch, start: e.from });
      r.leo = e.to;
      return;
    }
    case 'truncate': {
      const r = replica(s, e.partition, e.broker);
      if (!r) return;
      s.counts.truncated += Math.max(0, r.leo - e.to);
      truncateTo(r, e.to, e.tUs);
      return;
    }
    case 'hw': {
      const r = replica(s, e.partition, e.broker);
      if (r) r.hw = e.hw;
      return;
    }
    case 'fetched': {
      const r = replica(s, e.partition, e.broker);
      if (!r) return;
      if (e.leo < r.leo) truncateTo(r, e.leo, e.tUs);
      if (e.epochs) {
        for (let i = 0; i + 1 < e.epochs.length; i += 2) {
          const last = r.segments[r.segments.length - 1];
          if (!last || last.epoch !== e.epochs[i]) r.segments.push({ epoch: e.epochs[i], start: e.epochs[i + 1] });
        }
      }
      r.leo = e.leo;
      r.hw = e.hw;
      return;
    }
    case 'replica': {
      const r = replica(s, e.partition, e.broker);
      if (!r) return;
      if (e.leo < r.leo) truncateTo(r, e.leo, e.tUs);
      r.leo = e.leo;
      r.hw = e.hw;
      if (e.logStart !== undefined) r.logStart = e.logStart;
      return;
    }
    case 'acked': {
      const pr = s.producers[e.producer];
      if (pr) pr.acked += e.to - e.from;
      s.counts.acked += e.to - e.from;
      const p = s.partitions[e.partition];
      if (!p) return;
      // The epoch the record was written in: the acking broker's log says (a deposed leader acks in its old epoch).
      const ep = e.epoch ?? (e.broker !== undefined && p.logs[e.broker] ? epochAt(p.logs[e.broker], e.from) : undefined) ?? p.leaderEpoch;
      addRange((p.acked[ep] ??= []), e.from, e.to);
      return;
    }
    case 'produce-failed': {
      const pr = s.producers[e.producer];
      s.counts.errors++;
      if (!e.retry) s.counts.failed += e.records;
      if (!pr) return;
      if (!e.retry) pr.failed += e.records;
      pr.errors[e.code] = (pr.errors[e.code] ?? 0) + 1;
      pr.lastError = { code: e.code, tUs: e.tUs };
      return;
    }
    case 'metadata': {
      const pr = s.producers[e.client];
      if (!pr) return;
      for (const [p, l] of Object.entries(e.leaders)) pr.beliefs[p] = { ...l };
      pr.metadataUs = e.tUs;
      return;
    }
    case 'net':
      return applyNet(s.net, e.change);
    case 'note':
      s.caption = e.explains === undefined ? { text: e.text, tUs: e.tUs } : { text: e.text, tUs: e.tUs, explains: e.explains };
      return;
    case 'rebalance': {
      const g = (s.groups[e.group] ??= newGroup(e.group));
      g.generation = e.generation;
      g.state = e.phase === 'stable' ? 'stable' : e.phase === 'empty' ? 'empty' : 'rebalancing';
      if (e.phase === 'stable' && e.assignment) {
        g.assignment = {};
        for (const [m, ps] of Object.entries(e.assignment)) g.assignment[m] = [...ps];
      }
      if (e.phase === 'empty') g.assignment = {};
      return;
    }
    case 'client': {
      s.clients[e.client] = e.change === 'crashed' ? 'crashed' : e.change === 'paused' ? 'paused' : 'up';
      return;
    }
    case 'committed': {
      const g = s.groups[e.group];
      if (g) g.committed[e.partition] = e.offset;
      return;
    }
    case 'position': {
      const g = s.groups[e.group];
      if (g) g.positions[e.partition] = e.offset;
      return;
    }
    case 'processing': {
      const g = s.groups[e.group];
      if (g) for (const [p, from, to] of e.parts) g.inFlight[p] = { consumer: e.consumer, from, to, untilUs: e.untilUs };
      return;
    }
    case 'processed': {
      const g = s.groups[e.group];
      if (g) for (const [p, b] of Object.entries(g.inFlight)) if (b.consumer === e.consumer) delete g.inFlight[p];
      return;
    }
    case 'ledger':
      s.counts.ledger = { produced: e.produced, acked: e.acked, lost: e.lost, unavailable: e.unavailable, duplicates: e.duplicates };
      return;
    case 'config':
    case 'other':
      return;
  }
}

function cloneQuorum(q: QuorumState): QuorumState {
  const nodes: QuorumState['nodes'] = {};
  for (const [k, v] of Object.entries(q.nodes)) nodes[k] = { ...v };
  return { ...q, nodes };
}

/** A voter's process and role; the active controller, and since when there has been none. */
function applyQuorum(q: QuorumState, e: Extract<VizEvent, { type: 'quorum' }>): void {
  const n = (q.nodes[e.node] ??= { status: 'up', role: 'unattached', epoch: 0 });
  if (e.epoch !== undefined && e.epoch > n.epoch) n.epoch = e.epoch;
  switch (e.change) {
    case 'crashed':
      n.status = 'crashed';
      n.role = 'unattached';
      if (q.active === e.node) {
        q.active = null;
        q.inactiveSinceUs = e.tUs;
      }
      return;
    case 'paused':
      n.status = 'paused';
      return;
    case 'restarted':
    case 'resumed':
      n.status = 'up';
      return;
    case 'active':
      q.active = e.node;
      q.epoch = e.epoch ?? q.epoch;
      q.inactiveSinceUs = undefined;
      n.role = 'leader';
      return;
    case 'inactive':
      if (q.active === e.node) {
        q.active = null;
        q.inactiveSinceUs = e.tUs;
      }
      return;
    case 'candidate':
    case 'leader':
    case 'follower':
    case 'resigned':
      n.role = e.change;
      return;
  }
}

/** Leader and epoch, keeping the account of time without a leader (only transitions count). */
function setLeader(p: PartitionView, leader: number | null, epoch: number, tUs: number): void {
  if (leader === null && p.leader !== null) p.leaderlessSinceUs = tUs;
  if (leader !== null && p.leaderlessSinceUs !== undefined) {
    p.leaderlessUs += tUs - p.leaderlessSinceUs;
    p.leaderlessSinceUs = undefined;
  }
  if (leader === null && p.leaderlessSinceUs === undefined) p.leaderlessSinceUs = tUs;
  p.leader = leader;
  p.leaderEpoch = epoch;
}

function newGroup(group: string): GroupView {
  return { group, generation: 0, state: 'empty', assignment: {}, committed: {}, positions: {}, inFlight: {} };
}

function replica(s: ViewState, partition: string, broker: number): ReplicaView | undefined {
  return s.partitions[partition]?.logs[broker];
}

function applyBroker(s: ViewState, id: number, change: BrokerChange, tUs: number): void {
  const b = s.brokers[id];
  if (!b) return;
  b.lastChange = change;
  b.sinceUs = tUs;
  switch (change) {
    case 'crashed':
    case 'power-loss':
      b.status = 'crashed';
      return;
    case 'disk-loss':
      b.diskLost = true;
      for (const p of Object.values(s.partitions)) {
        const r = p.logs[id];
        if (r && r.leo > 0) truncateTo(r, 0, tUs);
        if (r) r.hw = 0;
      }
      return;
    case 'shutdown':
      b.status = 'shutdown';
      return;
    case 'restarted':
    case 'resumed':
      b.status = 'up';
      return;
    case 'paused':
      b.status = 'paused';
      return;
    case 'fenced':
      b.fenced = true;
      return;
    case 'unfenced':
      b.fenced = false;
      return;
  }
}

/** Cut a replica's log back to `to`, remembering what was removed as a ghost. */
export function truncateTo(r: ReplicaView, to: number, tUs: number): void {
  if (to >= r.leo) return;
  const removed = segmentsIn(r.segments, to, r.leo);
  r.ghosts.push({ from: to, to: r.leo, epochs: removed, tUs });
  while (r.segments.length && r.segments[r.segments.length - 1].start >= to) r.segments.pop();
  r.leo = to;
  if (r.hw > to) r.hw = to;
}

/** The segments covering [from, to), clipped. */
export function segmentsIn(segs: readonly Segment[], from: number, to: number): Segment[] {
  const out: Segment[] = [];
  for (let i = 0; i < segs.length; i++) {
    const start = segs[i].start;
    const end = i + 1 < segs.length ? segs[i + 1].start : Infinity;
    if (end <= from || start >= to) continue;
    out.push({ epoch: segs[i].epoch, start: Math.max(start, from) });
  }
  return out;
}

/** The epoch a replica wrote `offset` in, or undefined if the offset is not in its log. */
export function epochAt(r: ReplicaView, offset: number): number | undefined {
  if (offset < r.logStart || offset >= r.leo) return undefined;
  for (let i = r.segments.length - 1; i >= 0; i--) if (r.segments[i].start <= offset) return r.segments[i].epoch;
  return undefined;
}

/** Merge [from, to) into a sorted list of disjoint ranges. */
export function addRange(ranges: [number, number][], from: number, to: number): void {
  if (to <= from) return;
  const last = ranges[ranges.length - 1];
  if (last && from <= last[1] && from >= last[0]) {
    last[1] = Math.max(last[1], to);
    return;
  }
  ranges.push([from, to]);
  if (last && from < last[0]) {
    ranges.sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const r of ranges) {
      const m = merged[merged.length - 1];
      if (m && r[0] <= m[1]) m[1] = Math.max(m[1], r[1]);
      else merged.push([r[0], r[1]]);
    }
    ranges.splice(0, ranges.length, ...merged);
  }
}

export function inRanges(ranges: readonly [number, number][], offset: number): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (offset < ranges[mid][0]) hi = mid - 1;
    else if (offset >= ranges[mid][1]) lo = mid + 1;
    else return true;
  }
  return false;
}

function linkKey(a: string, b: string): string {
  return a < b ? `${a}–${b}` : `${b}–${a}`;
}

function applyNet(n: NetState, c: NetChange): void {
  switch (c.kind) {
    case 'cut':
      n.cuts.add(`${c.from}→${c.to}`);
      return;
    case 'isolate':
      n.isolated.add(c.node);
      return;
    case 'partition':
      for (let i = 0; i < c.groups.length; i++)
        for (let j = 0; j < c.groups.length; j++)
          if (i !== j) for (const a of c.groups[i]) for (const b of c.groups[j]) n.cuts.add(`${a}→${b}`);
      return;
    case 'slow':
      n.slow.set(c.link ? linkKey(c.link[0], c.link[1]) : (c.node ?? '?'), c.latencyUs);
      return;
    case 'heal':
      if (c.node === 'all') {
        n.cuts.clear();
        n.isolated.clear();
        n.slow.clear();
        return;
      }
      n.isolated.delete(c.node);
      for (const k of [...n.cuts]) if (k.split('→').includes(c.node)) n.cuts.delete(k);
      for (const k of [...n.slow.keys()]) if (k === c.node || k.split('–').includes(c.node)) n.slow.delete(k);
      return;
  }
}

/** Is the directed link a→b cut (explicitly, or because either end is isolated)? */
export function isCut(n: NetState, a: string, b: string): boolean {
  return n.cuts.has(`${a}→${b}`) || n.isolated.has(a) || n.isolated.has(b);
}

/** Extra latency on the link a–b from per-node and per-link slowdowns. */
export function slowOn(n: NetState, a: string, b: string): number {
  return (n.slow.get(linkKey(a, b)) ?? 0) + (n.slow.get(a) ?? 0) + (n.slow.get(b) ?? 0);
}

/** The partition's current leader's replica, if it has one. */
export function leaderLog(p: PartitionView): ReplicaView | undefined {
  return p.leader === null ? undefined : p.logs[p.leader];
}

/** Partition HW as kafka-topics / expectations see it: the current leader's HW. */
export function partitionHw(p: PartitionView): number | undefined {
  return leaderLog(p)?.hw;
}

/** Time without a leader up to t, including the current stretch. */
export function leaderlessUsAt(p: PartitionView, tUs: number): number {
  return p.leaderlessUs + (p.leaderlessSinceUs !== undefined ? Math.max(0, tUs - p.leaderlessSinceUs) : 0);
}

/** Was the record at `offset`, written in `epoch`, acknowledged to its producer? */
export function isAcked(p: PartitionView, offset: number, epoch: number): boolean {
  const r = p.acked[epoch];
  return r !== undefined && inRanges(r, offset);
}

/** Stale beliefs: partitions where the producer's cached leader differs from the truth. */
export function staleBeliefs(pr: ProducerView, s: ViewState): string[] {
  const out: string[] = [];
  for (const [name, b] of Object.entries(pr.beliefs)) {
    const p = s.partitions[name];
    if (p && (b.leader !== p.leader || b.epoch !== p.leaderEpoch)) out.push(name);
  }
  return out.sort();
}

export const viewFold = (topo: Topology) => ({
  init: () => initialState(topo),
  apply: applyEvent,
  clone: cloneState,
  settle: (s: ViewState, tUs: number) => {
    s.tUs = tUs;
  },
});
