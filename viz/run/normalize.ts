// The simulator's trace (the catalog's events, sim/kafka/trace-events.ts) → the viz's events
// (lib/events.ts). A pure function of the trace: every replica's log comes from it (a leader's
// `append` and `hw-advanced`, a follower's fetch `rt` with its `u`, `truncated`, the logs of
// `broker-restarted`), so the page draws a run it simulated and a trace file the same way. Unknown
// types become 'other' events that still show in the event log, so a new trace type is visible
// before anyone teaches the viz about it.

import type { TraceEvent } from '../../sim/engine/index.ts';
import type { BrokerChange, NetChange, VizEvent } from '../lib/events.ts';
import type { Flight } from '../lib/in-flight.ts';
import { OFFSET_RESET_WORDS, type OffsetResetReason } from '../../sim/kafka/trace-events.ts';

export interface Normalized {
  events: VizEvent[];
  flights: Flight[];
}

/** What the trace leaves to the scenario: a consumer's group (its `consumed` lines do not repeat it). */
export interface NormalizeContext {
  groupOf?(client: string): string | undefined;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
const nums = (v: unknown): number[] => (Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : []);
const nodeName = (v: unknown): string => str(v);

const BROKER_CHANGES: Record<string, BrokerChange> = {
  'broker-restarted': 'restarted',
  'broker-stopped': 'shutdown',
  'disk-lost': 'disk-loss',
  'broker-power-loss': 'power-loss',
  'power-loss': 'power-loss',
  'broker-disk-loss': 'disk-loss',
  'disk-loss': 'disk-loss',
  'broker-paused': 'paused',
  'broker-resumed': 'resumed',
  'broker-fenced': 'fenced',
  'broker-unfenced': 'unfenced',
};

/** Trace types that are bookkeeping only, or that the page reads elsewhere (the lost records, trace-run.ts). */
const SILENT = new Set(['broker-registered', 'producer-id', 'record-lost']);

/**
 * Converts one trace event. `flights` collects messages; `out` collects events. Fetch round trips
 * traced compactly (one event with both legs) become two flights.
 */
export function normalizeEvent(e: TraceEvent, out: VizEvent[], flights: Flight[], ctx: NormalizeContext = {}): void {
  const t = e.t;
  const type = e.type;
  if (type === 'msg') {
    flights.push({ from: nodeName(e.f), to: nodeName(e.to), sentUs: t, deliverUs: num(e.d) ?? t, kind: str(e.k), index: flights.length });
    return;
  }
  if (type === 'msg-dropped' || type === 'msg-held') {
    // a held message was lost on the wire (or waits behind one): its retransmission is a later flight
    const sent = num(e.s) ?? t;
    flights.push({ from: nodeName(e.f), to: nodeName(e.to), sentUs: sent, deliverUs: Math.max(t, sent + 1), kind: str(e.k), dropped: true, index: flights.length });
    return;
  }
  if (type === 'rt') {
    // A quiet request and its reply in one line (broker.ts traceRoundTrip): f sent the request at s,
    // it reached `to` at a; `to` answered at r and the answer reached f now.
    const k = str(e.k) || 'fetch';
    const client = typeof e.f === 'string' && e.f !== 'controller';
    pushRoundTrip(flights, nodeName(e.f), nodeName(e.to), num(e.s), num(e.a), num(e.r), t, client && k === 'fetch' ? 'consumer-fetch' : k);
    // a follower's fetch: where its log and HW now are, and the leader epochs its new records begin
    if (Array.isArray(e.u) && typeof e.f === 'number') {
      for (const row of e.u as unknown[][]) {
        const epochs = row.length > 3 ? (row.slice(3) as number[]) : undefined;
        out.push({ tUs: t, type: 'fetched', partition: str(row[0]), broker: e.f, leader: num(e.to) ?? -1, leo: num(row[1]) ?? 0, hw: num(row[2]) ?? 0, epochs });
      }
    }
    return;
  }
  const bc = BROKER_CHANGES[type];
  if (bc && num(e.broker) !== undefined) {
    out.push({ tUs: t, type: 'broker', broker: num(e.broker)!, change: bc, detail: e.reason === undefined ? undefined : str(e.reason) });
    // a restarted broker's logs as it recovered them: their ends, and the HW of its last checkpoint
    if (type === 'broker-restarted' && Array.isArray(e.logs)) {
      for (const row of e.logs as unknown[][]) out.push({ tUs: t, type: 'replica', partition: str(row[0]), broker: num(e.broker)!, leo: num(row[1]) ?? 0, hw: num(row[2]) ?? 0 });
    }
    return;
  }
  switch (type) {
    case 'append': {
      const o = num(e.offset) ?? 0;
      out.push({ tUs: t, type: 'append', partition: str(e.partition), broker: num(e.broker) ?? -1, from: o, to: o + (num(e.n) ?? 0), epoch: num(e.epoch) ?? 0 });
      return;
    }
    case 'log-start-advanced':
      out.push({
        tUs: t, type: 'log-start', partition: str(e.partition), broker: num(e.broker) ?? -1, from: num(e.from) ?? 0, to: num(e.to) ?? 0,
        records: num(e.records) ?? 0, segments: num(e.segments) ?? 0, reason: str(e.reason),
      });
      return;
    case 'hw-advanced':
      out.push({ tUs: t, type: 'hw', partition: str(e.partition), broker: num(e.broker) ?? -1, hw: num(e.hw) ?? 0 });
      return;
    case 'truncated':
      out.push({ tUs: t, type: 'truncate', partition: str(e.partition), broker: num(e.broker) ?? -1, from: num(e.from) ?? 0, to: num(e.to) ?? 0, records: num(e.records) ?? 0, reason: e.reason === undefined ? undefined : str(e.reason) });
      return;
    case 'ledger':
      out.push({
        tUs: t, type: 'ledger', produced: num(e.produced) ?? 0, acked: num(e.acked) ?? 0, lost: num(e.lost) ?? 0, unavailable: num(e.unavailable) ?? 0, duplicates: num(e.duplicates) ?? 0,
        ...(e.deleted !== undefined ? { deleted: num(e.deleted) } : {}), ...(e.outOfRangeSkipped !== undefined ? { outOfRangeSkipped: num(e.outOfRangeSkipped) } : {}),
      });
      return;
    case 'broker-crashed': {
      const kind = str(e.kind);
      out.push({ tUs: t, type: 'broker', broker: num(e.broker) ?? -1, change: kind === 'power-loss' ? 'power-loss' : 'crashed', detail: kind && kind !== 'crash' ? kind : undefined });
      return;
    }
    case 'broker-shutdown':
      out.push({ tUs: t, type: 'other', name: type, text: `broker ${str(e.broker)} begins a controlled shutdown` });
      return;
    case 'node-paused':
    case 'node-resumed':
      if (e.node === 'controller') out.push({ tUs: t, type: 'controller', change: type === 'node-paused' ? 'paused' : 'resumed' });
      else if (/^controller-\d+$/.test(str(e.node))) out.push({ tUs: t, type: 'quorum', node: str(e.node), change: type === 'node-paused' ? 'paused' : 'resumed' });
      else out.push({ tUs: t, type: 'client', client: str(e.node ?? e.client), change: type === 'node-paused' ? 'paused' : 'resumed' });
      return;
    case 'produce-acked': {
      const o = num(e.offset) ?? 0;
      out.push({ tUs: t, type: 'acked', producer: str(e.client), partition: str(e.partition), from: o, to: o + (num(e.n) ?? 1), broker: num(e.broker) });
      return;
    }
    case 'become-leader':
      out.push({ tUs: t, type: 'other', name: type, text: `broker ${str(e.broker)} becomes leader of ${str(e.partition)} in epoch ${str(e.epoch)} (LEO ${str(e.leo)}, HW ${str(e.hw)})` });
      return;
    case 'become-follower':
      out.push({ tUs: t, type: 'other', name: type, text: `broker ${str(e.broker)} follows ${e.leader === null ? 'no leader' : `broker ${str(e.leader)}`} for ${str(e.partition)} (epoch ${str(e.epoch)})` });
      return;
    case 'config-altered':
      out.push({ tUs: t, type: 'config', scope: str(e.resource), target: str(e.name), set: (e.set as Record<string, unknown>) ?? {} });
      return;
    case 'broker-controlled-shutdown':
      out.push({ tUs: t, type: 'other', name: type, text: `broker ${str(e.broker)} asks the controller for a controlled shutdown` });
      return;
    case 'partition-change': {
      const ps: VizEvent = { tUs: t, type: 'partition-state', partition: str(e.partition), leader: num(e.leader) ?? null, epoch: num(e.epoch) ?? 0, isr: nums(e.isr), reason: e.reason === undefined ? undefined : str(e.reason) };
      // a reassignment changes the replicas (KIP-455): the new list, and what is being added and removed
      if (Array.isArray(e.replicas)) ps.replicas = nums(e.replicas);
      if (Array.isArray(e.adding) || Array.isArray(e.removing)) {
        ps.adding = nums(e.adding);
        ps.removing = nums(e.removing);
      } else if (Array.isArray(e.replicas)) {
        ps.adding = [];
        ps.removing = [];
      }
      out.push(ps);
      return;
    }
    case 'controller-crashed':
    case 'controller-restarted':
      out.push({ tUs: t, type: 'quorum', node: str(e.node), change: type === 'controller-crashed' ? 'crashed' : 'restarted' });
      return;
    case 'controller-activated':
      out.push({ tUs: t, type: 'quorum', node: str(e.node), change: 'active', epoch: num(e.epoch), gapUs: num(e.gapUs) });
      return;
    case 'controller-inactive':
      out.push({ tUs: t, type: 'quorum', node: str(e.node), change: 'inactive', epoch: num(e.epoch), reason: str(e.reason) });
      return;
    case 'quorum-election':
    case 'quorum-leader':
    case 'quorum-follower':
    case 'quorum-resigned': {
      const change = type === 'quorum-election' ? 'candidate' : type === 'quorum-leader' ? 'leader' : type === 'quorum-follower' ? 'follower' : 'resigned';
      out.push({ tUs: t, type: 'quorum', node: str(e.node), change, epoch: num(e.epoch), reason: e.reason === undefined ? undefined : str(e.reason) });
      return;
    }
    case 'reassignment-started':
    case 'reassignment-completed':
      out.push({
        tUs: t, type: 'reassign', partition: str(e.partition), phase: type === 'reassignment-started' ? 'started' : 'completed',
        replicas: nums(e.replicas), adding: nums(e.adding), removing: nums(type === 'reassignment-started' ? e.removing : e.removed),
      });
      return;
    case 'replica-deleted':
      out.push({ tUs: t, type: 'other', name: type, text: `broker ${str(e.broker)} deletes its replica of ${str(e.partition)} (a reassignment removed it)` });
      return;
    case 'leader-elected':
      out.push({ tUs: t, type: 'leader', partition: str(e.partition), leader: num(e.leader) ?? null, epoch: num(e.epoch) ?? 0, clean: e.clean !== false, reason: e.reason === undefined ? undefined : str(e.reason) });
      return;
    case 'leader-none':
      out.push({ tUs: t, type: 'leader', partition: str(e.partition), leader: null, epoch: num(e.epoch) ?? 0, isr: nums(e.isr), clean: true });
      return;
    case 'unclean-election':
      out.push({ tUs: t, type: 'other', name: type, text: `${str(e.partition)}: UNCLEAN election of broker ${str(e.leader)} (epoch ${str(e.epoch)}) — acknowledged records may be lost` });
      return;
    case 'isr-shrink':
    case 'isr-expand':
      out.push({ tUs: t, type: 'isr', partition: str(e.partition), isr: nums(e.isr), change: type === 'isr-shrink' ? 'shrink' : 'expand' });
      return;
    case 'produce-failed':
      out.push({
        tUs: t, type: 'produce-failed', producer: str(e.client), partition: e.partition === undefined ? undefined : str(e.partition),
        code: str(e.code), records: num(e.n) ?? 1, broker: num(e.broker), retry: e.retry === true,
      });
      return;
    case 'metadata-refreshed': {
      // partitions: [[partition number, leader id (−1: none), leader epoch], …] of `topic`.
      const leaders: Record<string, { leader: number | null; epoch: number }> = {};
      // Producers list partition numbers of `topic`; consumers list "topic-N" names.
      const topic = str(e.topic);
      if (Array.isArray(e.partitions)) {
        for (const row of e.partitions as unknown[]) {
          if (!Array.isArray(row)) continue;
          const [p, l, ep] = row as [number | string, number, number];
          const name = typeof p === 'string' ? p : `${topic}-${p}`;
          leaders[name] = { leader: typeof l === 'number' && l >= 0 ? l : null, epoch: typeof ep === 'number' ? ep : -1 };
        }
      }
      out.push({ tUs: t, type: 'metadata', client: str(e.client), leaders });
      return;
    }
    case 'network-fault': {
      const c = netChange(e);
      if (c) out.push({ tUs: t, type: 'net', change: c });
      else out.push({ tUs: t, type: 'other', name: type, text: `network: ${str(e.action ?? e.fault)}` });
      return;
    }
    case 'note':
      out.push({ tUs: t, type: 'note', text: str(e.text ?? e.note) });
      return;
    case 'rebalance': {
      const phase = (['prepare', 'join', 'stable', 'empty'].includes(str(e.phase)) ? str(e.phase) : 'stable') as 'prepare' | 'join' | 'stable' | 'empty';
      let assignment: Record<string, string[]> | undefined;
      if (e.assignment && typeof e.assignment === 'object') {
        assignment = {};
        for (const [m, ps] of Object.entries(e.assignment as Record<string, string[]>)) assignment[clientOfMember(m)] = [...ps];
      }
      out.push({ tUs: t, type: 'rebalance', group: str(e.group), generation: num(e.generation) ?? 0, phase, assignment, reason: e.reason === undefined ? undefined : str(e.reason) });
      return;
    }
    case 'offset-committed':
      if (Array.isArray(e.offsets)) {
        for (const row of e.offsets as unknown[]) {
          if (Array.isArray(row)) out.push({ tUs: t, type: 'committed', group: str(e.group), partition: str(row[0]), offset: num(row[1]) ?? 0 });
        }
      } else {
        out.push({ tUs: t, type: 'committed', group: str(e.group), partition: str(e.partition), offset: num(e.offset) ?? 0 });
      }
      return;
    case 'consumed': {
      // A consumer fetch round trip that returned records: the flights, then the new positions.
      pushRoundTrip(flights, str(e.client), str(e.broker), num(e.s), num(e.a), num(e.r), t, 'consumer-fetch');
      if (Array.isArray(e.parts)) {
        const group = ctx.groupOf?.(str(e.client)) ?? '';
        for (const row of e.parts as unknown[]) {
          if (Array.isArray(row)) out.push({ tUs: t, type: 'position', group, consumer: str(e.client), partition: str(row[0]), offset: num(row[2]) ?? 0 });
        }
      }
      return;
    }
    case 'offset-reset': {
      const why = OFFSET_RESET_WORDS[str(e.reason) as OffsetResetReason] ?? str(e.reason);
      if (e.client === undefined) {
        // kafka-consumer-groups --reset-offsets: the group's committed offset moved, no consumer's position
        out.push({ tUs: t, type: 'other', name: type, text: `group ${str(e.group)}: ${why} moves ${str(e.partition)} from ${str(e.from)} to ${str(e.to)}` });
        return;
      }
      out.push({ tUs: t, type: 'position', group: str(e.group), consumer: str(e.client), partition: str(e.partition), offset: num(e.to) ?? 0 });
      out.push({ tUs: t, type: 'other', name: type, text: `${str(e.client)} resets its position on ${str(e.partition)} from ${str(e.from)} to ${str(e.to)} (${why})` });
      return;
    }
    case 'records-polled': {
      // the application's poll(): positions move past the batch, which is processed until `until`
      const parts: [string, number, number][] = [];
      if (Array.isArray(e.parts)) {
        for (const row of e.parts as unknown[]) {
          if (!Array.isArray(row)) continue;
          parts.push([str(row[0]), num(row[1]) ?? 0, num(row[2]) ?? 0]);
          out.push({ tUs: t, type: 'position', group: str(e.group), consumer: str(e.client), partition: str(row[0]), offset: num(row[2]) ?? 0 });
        }
      }
      out.push({ tUs: t, type: 'processing', group: str(e.group), consumer: str(e.client), parts, untilUs: num(e.until) ?? t });
      return;
    }
    case 'records-processed':
      out.push({ tUs: t, type: 'processed', group: str(e.group), consumer: str(e.client), parts: partsOf(e.parts) });
      return;
    case 'processing-interrupted':
      out.push({ tUs: t, type: 'processed', group: str(e.group), consumer: str(e.client), parts: partsOf(e.processed), interrupted: true });
      return;
    case 'poll-timeout':
      out.push({ tUs: t, type: 'other', name: type, text: `${str(e.client)} took longer than max.poll.interval.ms between polls: it leaves group ${str(e.group)}` });
      return;
    case 'client-crashed':
    case 'client-restarted':
      out.push({ tUs: t, type: 'client', client: str(e.client), change: type === 'client-crashed' ? 'crashed' : 'restarted' });
      return;
    case 'member-removed':
      out.push({ tUs: t, type: 'other', name: type, text: `group ${str(e.group)} removes ${str(e.client ?? e.member)}${e.reason ? ` (${str(e.reason)})` : ''}` });
      return;
  }
  if (SILENT.has(type)) return;
  out.push({ tUs: t, type: 'other', name: type, text: describeOther(e) });
}

/** `[[partition, from, to], …]` rows of a consumer event. */
function partsOf(v: unknown): [string, number, number][] {
  return Array.isArray(v) ? (v as unknown[]).filter(Array.isArray).map((r) => [str(r[0]), num(r[1]) ?? 0, num(r[2]) ?? 0] as [string, number, number]) : [];
}

function pushRoundTrip(flights: Flight[], from: string, to: string, s: number | undefined, a: number | undefined, r: number | undefined, t: number, k: string): void {
  if (s !== undefined && a !== undefined) flights.push({ from, to, sentUs: s, deliverUs: a, kind: k, index: flights.length });
  if (r !== undefined) flights.push({ from: to, to: from, sentUs: r, deliverUs: t, kind: `${k}-response`, index: flights.length });
}

/** Group member ids are `${client.id}-${uuid}`: show the client id. */
export function clientOfMember(memberId: string): string {
  const m = /^(.*)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.exec(memberId);
  return m ? m[1] : memberId;
}

function netChange(e: TraceEvent): NetChange | undefined {
  const a = str(e.action ?? e.fault ?? e.kind);
  switch (a) {
    case 'cut':
      return { kind: 'cut', from: nodeName(e.from), to: nodeName(e.to) };
    case 'isolate':
      return { kind: 'isolate', node: nodeName(e.node) };
    case 'partition':
      return { kind: 'partition', groups: Array.isArray(e.groups) ? (e.groups as unknown[][]).map((g) => g.map(nodeName)) : [] };
    case 'slow':
      return {
        kind: 'slow',
        node: e.node === undefined ? undefined : nodeName(e.node),
        link: Array.isArray(e.link) ? [nodeName(e.link[0]), nodeName(e.link[1])] : undefined,
        latencyUs: num(e.latencyUs ?? e.latency) ?? 0,
      };
    case 'heal':
      return { kind: 'heal', node: e.node === undefined || e.node === 'all' ? 'all' : nodeName(e.node) };
  }
  return undefined;
}

function describeOther(e: TraceEvent): string {
  // sorted, as a trace file's keys are, so a run read from a file describes itself as the live one does
  const fields = Object.entries(e)
    .filter(([k]) => k !== 't' && k !== 'type')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' ');
  return `${e.type}${fields ? ' ' + fields : ''}`;
}

export function normalizeTrace(trace: readonly TraceEvent[], ctx: NormalizeContext = {}): Normalized {
  const events: VizEvent[] = [];
  const flights: Flight[] = [];
  for (const e of trace) normalizeEvent(e, events, flights, ctx);
  return { events, flights };
}
