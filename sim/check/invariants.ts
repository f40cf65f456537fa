// The simulator's own guarantees, checked after every event (Kafka's RaftEventSimulationTest style):
// each is a property Kafka's protocol promises, so a violation means the model is wrong. Per event
// only what the event touched is checked; checkAll() re-checks everything at the end of a run.
//
//   hw-within-log            0 ≤ HW ≤ LEO on every replica
//   epochs-in-order          a log's batches carry non-decreasing leader epochs
//   leader-hw-monotonic      a leader's HW never moves back within its epoch
//   one-leader-per-epoch     no two brokers lead a partition in the same leader epoch
//   isr-subset-of-replicas   the committed ISR ⊆ replicas, and contains the leader when there is one
//   epochs-never-decrease    the controller's leader and partition epochs only grow
//   leader-never-truncated   a broker never truncates a partition it currently leads
//   committed-records-agree  ISR members hold the same records below the leader's HW
//   leader-has-committed     a cleanly elected leader holds every offset any earlier leader had
//                            committed (leader completeness)
// The last two are Kafka's guarantees only while nothing Kafka itself may lose committed data by has
// happened: they are not checked under replication.protocol high-watermark (pre-0.11 divergence is
// what that mode shows), and a partition is exempt from leader-has-committed once it saw an unclean
// election or a replica losing unflushed data (power loss, disk loss).

import type { TraceEvent } from '../engine/index.ts';
import type { ModelObserver, ReplicaLog, RecordBatch, Simulation, TruncationReason } from '../kafka/index.ts';
import { InvariantViolation } from './violation.ts';
import { parsePartitionName } from '../kafka/spec.ts';

const KEY = 1 << 20;

export class InvariantChecker implements ModelObserver {
  private readonly dirty = new Set<number>();
  private readonly leaderHw = new Map<number, { epoch: number; hw: number }>();
  private readonly epochLeaders = new Map<number, Map<number, number>>();
  private readonly controllerEpochs = new Map<number, { leaderEpoch: number; partitionEpoch: number }>();
  /** Per partition: the highest HW any leader reached. */
  private readonly committedEnd = new Map<number, number>();
  /** Partitions where Kafka itself may have lost committed records (unclean election, power loss). */
  private readonly mayLoseCommitted = new Set<number>();
  private violation: InvariantViolation | undefined;
  /** The last traced event, described only if a check fails (a string per event would cost every run). */
  private lastEvent: TraceEvent | undefined = undefined;

  constructor(private readonly sim: Simulation) {}

  // -- observer hooks ---------------------------------------------------------------------------

  appended(broker: number, pidx: number, batch: RecordBatch, _asLeader: boolean, log: ReplicaLog): void {
    this.dirty.add(broker * KEY + pidx);
    const n = log.batchCount;
    if (n >= 2 && log.epochs[n - 2] > log.epochs[n - 1]) {
      this.fail('epochs-in-order', `broker ${broker} ${this.name(pidx)}: batch at ${batch.baseOffset} has epoch ${log.epochs[n - 1]} after epoch ${log.epochs[n - 2]}`);
    }
  }

  truncated(broker: number, pidx: number, newEnd: number, oldEnd: number, _removed: RecordBatch[], reason: TruncationReason): void {
    this.dirty.add(broker * KEY + pidx);
    if (reason === 'power-loss' || reason === 'disk-loss') this.mayLoseCommitted.add(pidx);
    const b = this.sim.brokerNodes.get(broker);
    const p = b?.partitions.get(pidx);
    if (p?.isLeader) {
      this.fail('leader-never-truncated', `broker ${broker} leads ${this.name(pidx)} in epoch ${p.leaderEpoch} and truncated ${oldEnd} → ${newEnd} (${reason})`);
    }
  }

  logStartAdvanced(broker: number, pidx: number): void {
    this.dirty.add(broker * KEY + pidx);
  }

  highWatermark(broker: number, pidx: number, hw: number, isLeader: boolean, leaderEpoch: number): void {
    this.dirty.add(broker * KEY + pidx);
    if (!isLeader) return;
    const key = broker * KEY + pidx;
    const prev = this.leaderHw.get(key);
    if (prev && prev.epoch === leaderEpoch && hw < prev.hw) {
      this.fail('leader-hw-monotonic', `broker ${broker} leads ${this.name(pidx)} in epoch ${leaderEpoch}; its HW went ${prev.hw} → ${hw}`);
    }
    const from = prev && prev.epoch === leaderEpoch ? prev.hw : hw;
    // updated in place: this runs at every HW move
    if (prev) {
      prev.epoch = leaderEpoch;
      prev.hw = hw;
    } else this.leaderHw.set(key, { epoch: leaderEpoch, hw });
    if (hw > (this.committedEnd.get(pidx) ?? 0)) this.committedEnd.set(pidx, hw);
    if (hw > from) this.checkCommittedRange(broker, pidx, from, hw);
  }

  leadership(broker: number, pidx: number, leaderEpoch: number, isLeader: boolean, log: ReplicaLog): void {
    const key = broker * KEY + pidx;
    if (!isLeader) {
      this.leaderHw.delete(key);
      return;
    }
    this.leaderHw.set(key, { epoch: leaderEpoch, hw: log.highWatermark });
    let byEpoch = this.epochLeaders.get(pidx);
    if (!byEpoch) {
      byEpoch = new Map();
      this.epochLeaders.set(pidx, byEpoch);
    }
    const other = byEpoch.get(leaderEpoch);
    if (other !== undefined && other !== broker) {
      this.fail('one-leader-per-epoch', `${this.name(pidx)} epoch ${leaderEpoch} is led by broker ${other} and broker ${broker}`);
    }
    byEpoch.set(leaderEpoch, broker);
    const committed = this.committedEnd.get(pidx) ?? 0;
    if (log.logEndOffset < committed && !this.mayLoseCommitted.has(pidx) && this.sim.spec.replicationProtocol === 'leader-epoch') {
      this.fail('leader-has-committed', `broker ${broker} leads ${this.name(pidx)} in epoch ${leaderEpoch} with log end ${log.logEndOffset}, but offsets up to ${committed} were committed`);
    }
  }

  event(e: TraceEvent): void {
    this.lastEvent = e;
    if (e.type === 'partition-change') this.checkRegistration(e.partition as string);
    if (e.type === 'unclean-election') {
      const p = parsePartitionName(e.partition as string);
      if (p) this.mayLoseCommitted.add(this.sim.cluster.names.find(p.topic, p.partition));
    }
  }

  // -- per-event check ----------------------------------------------------------------------------

  /** Runs after every event: the touched replicas, then any violation found during the event. */
  afterEvent(): void {
    if (this.dirty.size > 0) {
      for (const key of this.dirty) this.checkLog(Math.floor(key / KEY), key % KEY);
      this.dirty.clear();
    }
    if (this.violation) {
      const v = this.violation;
      this.violation = undefined;
      throw v;
    }
  }

  /** Everything, for the end of a run (or a test). Throws the first violation. */
  checkAll(): void {
    for (const b of this.sim.brokerNodes.values()) {
      for (const idx of [...b.disk.keys()].sort((x, y) => x - y)) this.checkLog(b.id, idx);
    }
    for (const idx of this.sim.controller.image.partitionIndexes()) {
      this.checkRegistration(this.name(idx));
      const reg = this.sim.controller.image.partition(idx)!;
      if (reg.leader < 0) continue;
      const log = this.sim.brokerNodes.get(reg.leader)?.disk.get(idx);
      if (log) this.checkCommittedRange(reg.leader, idx, 0, log.highWatermark);
    }
    this.afterEvent();
  }

  private checkLog(broker: number, pidx: number): void {
    const log = this.sim.brokerNodes.get(broker)?.disk.get(pidx);
    if (!log) return;
    if (log.highWatermark > log.logEndOffset || log.highWatermark < log.logStartOffset) {
      this.fail('hw-within-log', `broker ${broker} ${this.name(pidx)}: HW ${log.highWatermark}, log [${log.logStartOffset}, ${log.logEndOffset})`);
    }
  }

  private checkRegistration(partition: string): void {
    const p = parsePartitionName(partition);
    if (!p) return;
    const idx = this.sim.cluster.names.find(p.topic, p.partition);
    const reg = this.sim.controller.image.partition(idx);
    if (!reg) return;
    if (reg.isr.some((b) => !reg.replicas.includes(b)) || (reg.leader >= 0 && !reg.isr.includes(reg.leader))) {
      this.fail('isr-subset-of-replicas', `${partition}: leader ${reg.leader}, ISR [${reg.isr}], replicas [${reg.replicas}]`);
    }
    const prev = this.controllerEpochs.get(idx);
    if (prev && (reg.leaderEpoch < prev.leaderEpoch || reg.partitionEpoch < prev.partitionEpoch)) {
      this.fail('epochs-never-decrease', `${partition}: epochs went (${prev.leaderEpoch}, ${prev.partitionEpoch}) → (${reg.leaderEpoch}, ${reg.partitionEpoch})`);
    }
    this.controllerEpochs.set(idx, { leaderEpoch: reg.leaderEpoch, partitionEpoch: reg.partitionEpoch });
  }

  /** Offsets [from, to) of the leader's log against every committed-ISR member's log. */
  private checkCommittedRange(leader: number, pidx: number, from: number, to: number): void {
    if (this.sim.spec.replicationProtocol === 'high-watermark') return;
    const reg = this.sim.controller.image.partition(pidx);
    const leaderLog = this.sim.brokerNodes.get(leader)?.disk.get(pidx);
    if (!reg || !leaderLog) return;
    for (const member of reg.isr) {
      if (member === leader) continue;
      const log = this.sim.brokerNodes.get(member)?.disk.get(pidx);
      if (!log) continue;
      const end = Math.min(to, log.logEndOffset);
      // below either log's start, retention deleted the records: nothing to compare
      const bad = firstDifference(leaderLog, log, Math.max(from, leaderLog.logStartOffset, log.logStartOffset), end);
      if (bad >= 0) {
        this.fail('committed-records-agree', `${this.name(pidx)} offset ${bad} below leader ${leader}'s HW ${to}: leader has ${recordAt(leaderLog, bad)}, ISR member ${member} has ${recordAt(log, bad)}`);
        return;
      }
    }
  }

  private fail(invariant: string, detail: string): void {
    if (this.violation) return;
    const s = this.sim;
    this.violation = new InvariantViolation(invariant, detail, s.spec.seed, s.now, `event #${s.scheduler.executed}, last traced: ${this.lastEvent === undefined ? 'none' : describe(this.lastEvent)}`);
  }

  private name(pidx: number): string {
    return this.sim.cluster.names.names[pidx];
  }
}

/** The first offset in [from, to) where two logs hold different records, or −1. */
function firstDifference(a: ReplicaLog, b: ReplicaLog, from: number, to: number): number {
  let o = from;
  while (o < to) {
    const i = a.batchIndexOf(o);
    const j = b.batchIndexOf(o);
    if (i < 0 || j < 0) return o;
    const aOff = o - a.baseOffsets[i];
    const bOff = o - b.baseOffsets[j];
    if (a.epochs[i] !== b.epochs[j] || a.producerIds[i] !== b.producerIds[j] || a.baseSequences[i] + aOff !== b.baseSequences[j] + bOff) return o;
    // both batches agree from o on for as long as both last
    o = Math.min(a.baseOffsets[i] + a.counts[i], b.baseOffsets[j] + b.counts[j], to);
  }
  return -1;
}

function recordAt(log: ReplicaLog, offset: number): string {
  const i = log.batchIndexOf(offset);
  if (i < 0) return 'nothing';
  return `(epoch ${log.epochs[i]}, producer ${log.producerIds[i]}, sequence ${log.baseSequences[i] + offset - log.baseOffsets[i]})`;
}

function describe(e: TraceEvent): string {
  const parts = [e.type];
  for (const k of ['broker', 'partition', 'leader', 'epoch', 'reason']) if (e[k] !== undefined) parts.push(`${k}=${String(e[k])}`);
  return parts.join(' ');
}
