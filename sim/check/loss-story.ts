// How an acknowledged record was lost, told from the ledger's journal (ledger-port.ts, `LostRecord.explanation`):
// the leader epoch it was written in, the moment it left the current leader's log for good, and the
// chain of events in words — "acked by leader 1 at offset 376 with acks=1 at 18.807s; the network
// partition at 10s cut broker 1 off from the controller; broker 2 had been elected leader at
// 18.76344s, epoch 1, while broker 1, cut off, still acknowledged as leader of epoch 0; broker 1
// truncated offsets 200–640 at 32.042s (diverging-epoch)".

import { formatTime } from '../engine/index.ts';
import { CONTROLLER, type ExplanationStep, type NodeName } from '../kafka/index.ts';
import type { AppendJournal, PartitionLedger, Truncation } from './partition-ledger.ts';

/** One acknowledged record, as the story needs it. */
export interface AckedRecord {
  producerId: number;
  sequence: number;
  createdAt: number;
  ackedAt: number;
  ackBroker: number;
  /** −1 when the producer learnt no offset (acks=0). */
  ackOffset: number;
  acks: number | string;
}

/** A broker's life event (crash, power loss, restart, shutdown). */
export interface BrokerLifeEvent {
  t: number;
  broker: number;
  kind: ExplanationStep['kind'];
}

/** A fault of the timeline that can cut a broker off from the controller. */
export type Fault =
  | { t: number; kind: 'partition'; groups: NodeName[][] }
  | { t: number; kind: 'isolate'; node: NodeName }
  | { t: number; kind: 'cut'; from: NodeName; to: NodeName }
  | { t: number; kind: 'slow'; node?: NodeName; link?: NodeName[]; latencyUs: number }
  | { t: number; kind: 'heal'; node?: NodeName }
  | { t: number; kind: 'pause'; broker: number; forUs: number };

/** What a partition's story can draw on, beyond its own journal. */
export interface StoryContext {
  brokerEvents: readonly BrokerLifeEvent[];
  faults: readonly Fault[];
}

/** The journal entries that carried or removed one producer id's records, found by sequence. */
export class RecordIndex {
  private readonly appendsByPid = new Map<number, number[]>();
  private readonly removalsByPid = new Map<number, { truncation: number; baseSequence: number; count: number }[]>();

  constructor(private readonly j: PartitionLedger) {
    const a = j.appends;
    for (let i = 0; i < a.length; i++) listOf(this.appendsByPid, a.producerIdOf(i)).push(i);
    j.truncations.forEach((t, k) => {
      for (const b of t.removed) listOf(this.removalsByPid, b.producerId).push({ truncation: k, baseSequence: b.baseSequence, count: b.count });
    });
  }

  /** Indexes of the appends that carried the record, in journal order. */
  appendsOf(producerId: number, seq: number): number[] {
    const a = this.j.appends;
    return (this.appendsByPid.get(producerId) ?? []).filter((i) => a.holds(i, producerId, seq));
  }

  /** The truncations that removed the record, in order, with how many copies each removed. */
  removalsOf(producerId: number, seq: number): { truncation: Truncation; copies: number }[] {
    const out: { truncation: Truncation; copies: number }[] = [];
    for (const r of this.removalsByPid.get(producerId) ?? []) {
      if (seq < r.baseSequence || seq >= r.baseSequence + r.count) continue;
      const last = out[out.length - 1];
      const truncation = this.j.truncations[r.truncation];
      if (last?.truncation === truncation) last.copies++;
      else out.push({ truncation, copies: 1 });
    }
    return out;
  }
}

function listOf<K, V>(m: Map<K, V[]>, k: K): V[] {
  let l = m.get(k);
  if (l === undefined) {
    l = [];
    m.set(k, l);
  }
  return l;
}

/**
 * The leader epoch the record was written in: the epoch of the acknowledging broker's own append
 * as leader (the last one before the ack, or the first after it when acks=0 answered first); −1
 * if that broker never appended it.
 */
export function ackEpoch(a: AppendJournal, appends: readonly number[], r: AckedRecord): number {
  const own = appends.filter((i) => a.byLeader(i) && a.brokerOf(i) === r.ackBroker
    && (r.ackOffset < 0 || a.baseOffsetOf(i) + r.sequence - a.baseSequenceOf(i) === r.ackOffset));
  const before = own.filter((i) => a.timeOf(i) <= r.ackedAt);
  const i = before.length > 0 ? before[before.length - 1] : own[0];
  return i === undefined ? -1 : a.epochOf(i);
}

/**
 * When the record left the current leader's log for good: the election of a leader without it, or
 * the truncation that removed it from the leader — replayed from the journal. A record acked by a
 * zombie (the leader that replaced it never had it) is lost the moment it is acknowledged.
 */
export function lostAt(j: PartitionLedger, index: RecordIndex, r: AckedRecord): number {
  const steps = replaySteps(j, index, r);
  const copies = new Map<number, number>();
  let leader = -1;
  const has = (): boolean => leader >= 0 && (copies.get(leader) ?? 0) > 0;
  let k = 0;
  for (; k < steps.length && steps[k].t < r.ackedAt; k++) leader = steps[k].apply(copies, leader);
  let was = true;
  let lost = r.ackedAt;
  if (leader >= 0 && !has()) was = false;
  for (; k < steps.length; k++) {
    leader = steps[k].apply(copies, leader);
    const now = has();
    if (was && !now && leader >= 0) lost = steps[k].t;
    if (now || leader >= 0) was = now;
  }
  return lost;
}

interface ReplayStep {
  t: number;
  /** Position among the journal's appends (an append i at i + 0.5), then arrival order. */
  pos: number;
  n: number;
  /** Applies the step to the copies per broker and returns the leader after it. */
  apply(copies: Map<number, number>, leader: number): number;
}

function replaySteps(j: PartitionLedger, index: RecordIndex, r: AckedRecord): ReplayStep[] {
  const a = j.appends;
  const bump = (copies: Map<number, number>, broker: number, by: number): void => {
    copies.set(broker, (copies.get(broker) ?? 0) + by);
  };
  const steps: ReplayStep[] = index.appendsOf(r.producerId, r.sequence).map((i) => ({
    t: a.timeOf(i), pos: i + 0.5, n: 0,
    apply: (copies, leader) => (bump(copies, a.brokerOf(i), 1), leader),
  }));
  for (const { truncation: x, copies: c } of index.removalsOf(r.producerId, r.sequence)) {
    steps.push({ t: x.t, pos: x.afterAppends, n: x.n, apply: (copies, leader) => (bump(copies, x.broker, -c), leader) });
  }
  for (const l of j.leaders) steps.push({ t: l.t, pos: l.afterAppends, n: l.n, apply: () => l.leader });
  return steps.sort((x, y) => x.pos - y.pos || x.n - y.n);
}

/** "acked by leader 1 …; broker 1 crashed at …; broker 2 elected …; broker 1 truncated …". */
export function explain(j: PartitionLedger, index: RecordIndex, r: AckedRecord, epoch: number, ctx: StoryContext): ExplanationStep[] {
  const appends = index.appendsOf(r.producerId, r.sequence);
  const holders = new Set(appends.map((i) => j.appends.brokerOf(i)));
  const rest = [
    ...brokerSteps(ctx, holders, r),
    ...zombieSteps(j, ctx, r, epoch),
    ...electionSteps(j, holders, r),
    ...index.removalsOf(r.producerId, r.sequence).map(({ truncation }) => truncationStep(truncation)),
  ];
  // the acknowledgement anchors the story; what led to the loss is told in time order
  return [ackStep(r), ...rest.sort((x, y) => x.t - y.t)];
}

function ackStep(r: AckedRecord): ExplanationStep {
  const where = r.ackOffset >= 0 ? ` at offset ${r.ackOffset}` : '';
  return { t: r.ackedAt, kind: 'acked', broker: r.ackBroker, text: `acked by leader ${r.ackBroker}${where} with acks=${String(r.acks)} at ${formatTime(r.ackedAt)}` };
}

function brokerSteps(ctx: StoryContext, holders: Set<number>, r: AckedRecord): ExplanationStep[] {
  const verbs: Partial<Record<ExplanationStep['kind'], string>> = { crashed: 'crashed', 'power-loss': 'lost power', 'disk-loss': 'lost its disk', shutdown: 'shut down' };
  return ctx.brokerEvents
    .filter((e) => e.t >= r.createdAt && holders.has(e.broker) && e.kind !== 'restarted')
    .map((e) => ({ t: e.t, kind: e.kind, broker: e.broker, text: `broker ${e.broker} ${verbs[e.kind] ?? e.kind} at ${formatTime(e.t)}` }));
}

/** Elections after the acknowledgement: the leaders that came next, with or without the record. */
function electionSteps(j: PartitionLedger, holders: Set<number>, r: AckedRecord): ExplanationStep[] {
  return j.leaders.filter((el) => el.kind === 'elected' && el.t >= r.ackedAt).map((el) => ({
    t: el.t, kind: 'elected', broker: el.leader,
    text: `broker ${el.leader} elected ${el.clean ? '' : 'uncleanly '}at ${formatTime(el.t)}, epoch ${el.epoch}${el.clean && !holders.has(el.leader) ? ' without the record' : ''}`,
  }));
}

/**
 * A zombie's acknowledgement: its epoch had already been replaced — the controller elected another
 * leader before the ack, while the acknowledging broker, cut off or frozen, still believed it led.
 * Tells those elections, and the fault that cut it off when the timeline has one.
 */
function zombieSteps(j: PartitionLedger, ctx: StoryContext, r: AckedRecord, epoch: number): ExplanationStep[] {
  if (epoch < 0) return [];
  const replaced = j.leaders.filter((el) => el.kind === 'elected' && el.t < r.ackedAt && el.epoch > epoch);
  if (replaced.length === 0) return [];
  const fault = faultCuttingOff(ctx.faults, r.ackBroker, replaced[0].t);
  const steps: ExplanationStep[] = fault === undefined ? [] : [faultStep(fault, r.ackBroker)];
  replaced.forEach((el, k) => {
    const zombie = k > 0 ? '' : `, while broker ${r.ackBroker}${fault === undefined ? '' : `, ${qualifier(fault)},`} still acknowledged as leader of epoch ${epoch}`;
    steps.push({ t: el.t, kind: 'elected', broker: el.leader, text: `broker ${el.leader} had been elected ${el.clean ? '' : 'uncleanly '}leader at ${formatTime(el.t)}, epoch ${el.epoch}${zombie}` });
  });
  return steps;
}

function truncationStep(x: Truncation): ExplanationStep {
  const span = x.to - x.from === 1 ? `offset ${x.from}` : `offsets ${x.from}–${x.to - 1}`;
  return { t: x.t, kind: 'truncated', broker: x.broker, text: `broker ${x.broker} truncated ${span} at ${formatTime(x.t)} (${x.reason})` };
}

/** The last fault before `t` that cut `broker` off from the controller and was not healed by then. */
export function faultCuttingOff(faults: readonly Fault[], broker: number, t: number): Fault | undefined {
  let active: Fault | undefined;
  for (const f of faults) {
    if (f.t > t) break;
    if (f.kind === 'heal') {
      if (active !== undefined && active.kind !== 'pause' && (f.node === undefined || f.node === broker || f.node === CONTROLLER)) active = undefined;
    } else if (cutsOff(f, broker, t)) {
      active = f;
    }
  }
  return active;
}

function cutsOff(f: Fault, broker: number, t: number): boolean {
  switch (f.kind) {
    case 'partition': {
      const own = f.groups.findIndex((g) => g.includes(broker));
      const controller = f.groups.findIndex((g) => g.includes(CONTROLLER));
      return own >= 0 && controller >= 0 && own !== controller;
    }
    case 'isolate':
      return f.node === broker;
    case 'cut':
      return (f.from === broker && f.to === CONTROLLER) || (f.from === CONTROLLER && f.to === broker);
    case 'slow':
      return f.node === broker || (f.link !== undefined && f.link.includes(broker) && f.link.includes(CONTROLLER));
    case 'pause':
      return f.broker === broker && t <= f.t + f.forUs;
    case 'heal':
      return false;
  }
}

function faultStep(f: Fault, broker: number): ExplanationStep {
  const at = formatTime(f.t);
  const text = f.kind === 'partition' ? `the network partition at ${at} cut broker ${broker} off from the controller`
    : f.kind === 'isolate' ? `broker ${broker} was isolated from the network at ${at}`
    : f.kind === 'cut' ? `the link from ${nodeName(f.from)} to ${nodeName(f.to)} was cut at ${at}`
    : f.kind === 'slow' ? `broker ${broker}'s network was slowed by ${formatTime(f.latencyUs)} at ${at}`
    : f.kind === 'pause' ? `broker ${broker} was paused at ${at} for ${formatTime(f.forUs)}`
    : `the network healed at ${at}`;
  return { t: f.t, kind: 'fault', broker, text };
}

function qualifier(f: Fault): string {
  return f.kind === 'pause' ? 'paused' : f.kind === 'slow' ? 'slowed down' : 'cut off';
}

function nodeName(n: NodeName): string {
  return typeof n === 'number' ? `broker ${n}` : n === CONTROLLER ? 'the controller' : String(n);
}
