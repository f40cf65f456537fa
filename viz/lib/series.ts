// What the charts under the fault timeline draw: values sampled across the whole run on one time
// axis (ISR size, HW, acked and lost records, producer errors, partitions without a leader), and
// the fault strips (one interval per fault). Both are pure functions of the normalised events.

import type { VizEvent } from './events.ts';
import { applyEvent, initialState, leaderlessUsAt, partitionHw, type Topology } from './view-state.ts';

export interface SeriesPoint {
  tUs: number;
  /** Smallest ISR over all partitions (the weakest point of the cluster). */
  minIsr: number;
  /** Sum of ISR sizes over all partitions divided by the partition count. */
  meanIsr: number;
  /** Sum over partitions of the leader's HW (records visible to consumers). */
  hw: number;
  acked: number;
  lost: number;
  errors: number;
  leaderless: number;
  /** Sum over partitions of time without a leader so far, µs. */
  leaderlessUs: number;
  /** Each consumer group's lag: over the partitions it has committed on, the leader's HW minus its committed offset. */
  lag: Record<string, number>;
  /**
   * Kafka's alerting gauges, from the controller's view of each partition: UnderReplicatedPartitions (a
   * leader, an ISR smaller than the replicas), UnderMinIsrPartitionCount (a leader, an ISR below
   * min.insync.replicas capped at the replication factor; ReplicaManager), OfflinePartitionsCount.
   */
  underReplicated: number;
  underMinIsr: number;
}

export function buildSeries(events: readonly VizEvent[], topo: Topology, endUs: number, samples = 400): SeriesPoint[] {
  const s = initialState(topo);
  const parts = Object.values(s.partitions);
  // each partition's replica count and min ISR, looked up once (a big cluster has thousands)
  const defs = new Map(topo.partitions.map((p) => [p.name, p]));
  const limits = parts.map((p) => {
    const d = defs.get(p.name);
    return d === undefined ? undefined : { replicas: d.replicas.length, minIsr: Math.min(d.minIsr ?? 1, d.replicas.length) };
  });
  const out: SeriesPoint[] = [];
  let i = 0;
  const n = Math.max(1, samples);
  for (let k = 0; k <= n; k++) {
    const t = Math.round((endUs * k) / n);
    while (i < events.length && events[i].tUs <= t) applyEvent(s, events[i++]);
    let minIsr = Infinity;
    let sumIsr = 0;
    let hw = 0;
    let leaderless = 0;
    let leaderlessUs = 0;
    let underReplicated = 0;
    let underMinIsr = 0;
    for (let j = 0; j < parts.length; j++) {
      const p = parts[j];
      const lim = limits[j];
      if (p.leader !== null && lim !== undefined) {
        if (p.isr.length < lim.replicas) underReplicated++;
        if (p.isr.length < lim.minIsr) underMinIsr++;
      }
      minIsr = Math.min(minIsr, p.isr.length);
      sumIsr += p.isr.length;
      hw += partitionHw(p) ?? 0;
      if (p.leader === null) leaderless++;
      leaderlessUs += leaderlessUsAt(p, t);
    }
    const lag: Record<string, number> = {};
    for (const g of Object.values(s.groups)) {
      let n = 0;
      for (const [name, c] of Object.entries(g.committed)) {
        const p = s.partitions[name];
        const hw = p ? partitionHw(p) : undefined;
        if (hw !== undefined) n += Math.max(0, hw - c);
      }
      // a partition the group reads and has never committed on (kafka-consumer-groups prints `-`): at
      // least what its position has not reached is behind — a chart at 0 would say it is caught up
      for (const [name, position] of Object.entries(g.positions)) {
        if (name in g.committed) continue;
        const p = s.partitions[name];
        const hw = p ? partitionHw(p) : undefined;
        if (hw !== undefined) n += Math.max(0, hw - position);
      }
      lag[g.group] = n;
    }
    out.push({
      tUs: t,
      lag,
      minIsr: parts.length ? minIsr : 0,
      meanIsr: parts.length ? sumIsr / parts.length : 0,
      hw,
      acked: s.counts.acked,
      lost: s.counts.ledger?.lost ?? 0,
      errors: s.counts.errors,
      leaderless,
      leaderlessUs,
      underReplicated,
      underMinIsr,
    });
  }
  return out;
}

export interface FaultInterval {
  /** One strip per fault subject: "broker 1", "link 1→3", "orders-0 leaderless". */
  strip: string;
  kind: 'crashed' | 'paused' | 'shutdown' | 'fenced' | 'cut' | 'slow' | 'isolated' | 'leaderless' | 'no-controller' | 'reassigning';
  fromUs: number;
  /** Undefined: still in force at the end of the run. */
  toUs?: number;
  label: string;
}

/** Fault intervals in strip order (brokers, network, partitions), each strip's intervals by time. */
export function faultIntervals(events: readonly VizEvent[], topo: Topology): FaultInterval[] {
  const open = new Map<string, FaultInterval>();
  const done: FaultInterval[] = [];
  const begin = (strip: string, kind: FaultInterval['kind'], tUs: number, label: string) => {
    const key = `${strip}|${kind}`;
    if (!open.has(key)) open.set(key, { strip, kind, fromUs: tUs, label });
  };
  const end = (strip: string, kind: FaultInterval['kind'], tUs: number) => {
    const key = `${strip}|${kind}`;
    const f = open.get(key);
    if (f) {
      f.toUs = tUs;
      done.push(f);
      open.delete(key);
    }
  };
  const endWhere = (pred: (f: FaultInterval) => boolean, tUs: number) => {
    for (const f of [...open.values()]) if (pred(f)) end(f.strip, f.kind, tUs);
  };
  const netStrips = new Map<string, string[]>(); // strip → nodes it touches
  // a controller quorum: the active controllers (a deposed one may not know yet), and the gaps without one
  const active = new Set<string>();
  const NO_CONTROLLER = 'no active controller';
  for (const e of events) {
    if (e.type === 'quorum') {
      const strip = e.node;
      if (e.change === 'crashed') begin(strip, 'crashed', e.tUs, 'crashed');
      else if (e.change === 'restarted') end(strip, 'crashed', e.tUs);
      else if (e.change === 'paused') begin(strip, 'paused', e.tUs, 'paused');
      else if (e.change === 'resumed') end(strip, 'paused', e.tUs);
      if (e.change === 'active') {
        active.add(e.node);
        // the gap began when the previous active controller was lost (gapUs), which its own
        // controller-inactive may report only later (a cut-off leader resigns after check quorum)
        const key = `${NO_CONTROLLER}|no-controller`;
        if (e.gapUs !== undefined && !open.has(key)) open.set(key, { strip: NO_CONTROLLER, kind: 'no-controller', fromUs: e.tUs - e.gapUs, label: 'no active controller' });
        if (e.gapUs !== undefined) open.get(key)!.fromUs = e.tUs - e.gapUs;
        end(NO_CONTROLLER, 'no-controller', e.tUs);
      } else if ((e.change === 'inactive' || e.change === 'crashed') && active.delete(e.node) && active.size === 0) {
        begin(NO_CONTROLLER, 'no-controller', e.tUs, 'no active controller');
      }
      continue;
    }
    if (e.type === 'reassign') {
      const strip = `${e.partition} reassigning`;
      if (e.phase === 'started') begin(strip, 'reassigning', e.tUs, `adding ${e.adding.join(',')}`);
      else end(strip, 'reassigning', e.tUs);
      continue;
    }
    if (e.type === 'broker') {
      const strip = `broker ${e.broker}`;
      switch (e.change) {
        case 'crashed':
        case 'power-loss':
          begin(strip, 'crashed', e.tUs, e.change === 'power-loss' ? 'power loss' : 'crashed');
          break;
        case 'shutdown':
          begin(strip, 'shutdown', e.tUs, 'shut down');
          break;
        case 'restarted':
          end(strip, 'crashed', e.tUs);
          end(strip, 'shutdown', e.tUs);
          break;
        case 'paused':
          begin(strip, 'paused', e.tUs, 'paused');
          break;
        case 'resumed':
          end(strip, 'paused', e.tUs);
          break;
        case 'fenced':
          begin(strip, 'fenced', e.tUs, 'fenced');
          break;
        case 'unfenced':
          end(strip, 'fenced', e.tUs);
          break;
      }
    } else if (e.type === 'client') {
      const strip = `client ${e.client}`;
      if (e.change === 'crashed') begin(strip, 'crashed', e.tUs, 'crashed');
      else if (e.change === 'paused') begin(strip, 'paused', e.tUs, 'paused');
      else if (e.change === 'restarted') end(strip, 'crashed', e.tUs);
      else if (e.change === 'resumed') end(strip, 'paused', e.tUs);
    } else if (e.type === 'controller') {
      if (e.change === 'paused' || e.change === 'crashed') begin('controller', e.change, e.tUs, e.change);
      else if (e.change === 'resumed') end('controller', 'paused', e.tUs);
      else if (e.change === 'restarted') end('controller', 'crashed', e.tUs);
    } else if (e.type === 'leader') {
      const strip = `${e.partition} leader`;
      if (e.leader === null) begin(strip, 'leaderless', e.tUs, 'no leader');
      else end(strip, 'leaderless', e.tUs);
    } else if (e.type === 'net') {
      const c = e.change;
      if (c.kind === 'cut') {
        const strip = `link ${c.from}→${c.to}`;
        netStrips.set(strip, [c.from, c.to]);
        begin(strip, 'cut', e.tUs, `cut ${c.from}→${c.to}`);
      } else if (c.kind === 'isolate') {
        const strip = `node ${c.node}`;
        netStrips.set(strip, [c.node]);
        begin(strip, 'isolated', e.tUs, `${c.node} isolated`);
      } else if (c.kind === 'partition') {
        const strip = `partition ${c.groups.map((g) => g.join(',')).join(' | ')}`;
        netStrips.set(strip, c.groups.flat());
        begin(strip, 'cut', e.tUs, 'network partition');
      } else if (c.kind === 'slow') {
        const strip = c.link ? `link ${c.link[0]}–${c.link[1]}` : `node ${c.node}`;
        netStrips.set(strip + '|slow', c.link ?? [c.node ?? '?']);
        begin(strip, 'slow', e.tUs, `slow +${Math.round(c.latencyUs / 1000)} ms`);
      } else if (c.kind === 'heal') {
        const node = c.node;
        endWhere((f) => {
          if (f.kind !== 'cut' && f.kind !== 'slow' && f.kind !== 'isolated') return false;
          if (node === 'all') return true;
          const nodes = netStrips.get(f.kind === 'slow' ? f.strip + '|slow' : f.strip) ?? [];
          return nodes.includes(node);
        }, e.tUs);
      }
    }
  }
  const all = [...done, ...open.values()];
  const brokerOrder = new Map(topo.brokers.map((b, i) => [`broker ${b}`, i]));
  const rank = (f: FaultInterval) => (brokerOrder.has(f.strip) ? 0 : f.kind === 'leaderless' || f.kind === 'reassigning' ? 2 : 1);
  return all.sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (brokerOrder.get(a.strip) ?? 0) - (brokerOrder.get(b.strip) ?? 0) ||
      a.strip.localeCompare(b.strip) ||
      a.fromUs - b.fromUs,
  );
}

/** Strip names in display order, each once. */
export function stripsOf(intervals: readonly FaultInterval[]): string[] {
  const seen: string[] = [];
  for (const f of intervals) if (!seen.includes(f.strip)) seen.push(f.strip);
  return seen;
}
