// What a partition leader decides on its own: the high watermark (Partition.maybeIncrementLeaderHW,
// with the 3.7 rule that it freezes under min ISR, KAFKA-15583), ISR expansion when a follower
// catches up (Partition.maybeExpandIsr), ISR shrink by the isr-expiration task
// (ReplicaManager.maybeShrinkIsr), and the AlterPartition requests that carry both to the
// controller, at most one in flight per partition (KIP-497, AlterPartitionManager).

import type { Broker } from './broker.ts';
import type { Envelope } from './network.ts';
import { isCaughtUp, type FollowerState, type Partition } from './partition.ts';
import type { AlterPartitionResponse } from './protocol.ts';
import type { PartitionRegistration } from './metadata-image.ts';
import { msToUs } from './effective-config.ts';
import { CONTROLLER } from './controller.ts';
import { completeDelayedProduces } from './produce.ts';
import { wakeParkedFetches } from './fetch-serve.ts';

/** min(min.insync.replicas, replication factor) (Partition.effectiveMinIsr). */
export function effectiveMinIsr(b: Broker, p: Partition): number {
  return Math.min(b.topicSettings(p.topic).minInsyncReplicas, p.replicas.length);
}

export function lagTimeUs(b: Broker): number {
  return msToUs(b.num('replica.lag.time.max.ms'));
}

/**
 * Partition.isReplicaIsrEligible: unfenced, not in controlled shutdown, and fetching with the broker
 * epoch the metadata cache holds (KIP-841, KIP-903).
 */
export function isIsrEligible(b: Broker, f: FollowerState): boolean {
  const reg = b.image.brokers.get(f.brokerId);
  if (!reg || reg.fenced || reg.inControlledShutdown) return false;
  return f.brokerEpoch === -1 || f.brokerEpoch === reg.epoch;
}

/**
 * Partition.maybeIncrementLeaderHW: the HW is the lowest log end offset among the leader and the
 * followers in the maximal ISR (or caught up and eligible to join it); it only moves forward, and not
 * at all while the ISR is smaller than the effective min ISR. On a move, waiting produce and consumer
 * fetch requests are re-checked.
 */
export function maybeIncrementLeaderHW(b: Broker, p: Partition): boolean {
  if (!p.isLeader) return false;
  if (p.isr.length < effectiveMinIsr(b, p)) return false;
  const log = p.log;
  const leo = log.logEndOffset;
  let newHw = leo;
  const maximal = p.maximalIsr();
  const now = b.now;
  let lagUs = -1;
  for (const f of p.followers) {
    let counts = maximal.includes(f.brokerId);
    if (!counts) {
      if (lagUs < 0) lagUs = lagTimeUs(b);
      counts = isCaughtUp(f, leo, now, lagUs) && isIsrEligible(b, f);
    }
    if (counts && f.logEndOffset < newHw) newHw = f.logEndOffset;
  }
  if (newHw <= log.highWatermark) return false;
  log.setHighWatermark(newHw);
  b.cluster.trace.record({ t: now, type: 'hw-advanced', b: b.id, p: p.name, hw: log.highWatermark });
  b.cluster.onHighWatermark?.(b.id, p.idx, log.highWatermark, true, p.leaderEpoch);
  completeDelayedProduces(b, p);
  wakeParkedFetches(b, p.idx, 'hw');
  return true;
}

/**
 * Partition.maybeExpandIsr after a follower fetch: a follower not in the ISR joins once its log end
 * reaches the HW and the start of the current leader epoch, if no ISR change is in flight.
 */
export function maybeExpandIsr(b: Broker, p: Partition, f: FollowerState): void {
  if (p.pendingIsr !== null || p.isr.includes(f.brokerId)) return;
  if (f.logEndOffset < p.log.highWatermark || f.logEndOffset < p.leaderEpochStartOffset) return;
  if (!isIsrEligible(b, f)) return;
  submitAlterPartition(b, [{ p, isr: [...p.isr, f.brokerId], expand: true, recovery: p.leaderRecoveryState }]);
}

/**
 * The isr-expiration task (every replica.lag.time.max.ms / 2): every led partition drops the ISR
 * followers that are not caught up (Partition.getOutOfSyncReplicas), in one AlterPartition.
 */
export function expireIsr(b: Broker): void {
  const lagUs = lagTimeUs(b);
  const now = b.now;
  const items: AlterItem[] = [];
  for (const idx of [...b.partitions.keys()].sort((x, y) => x - y)) {
    const p = b.partitions.get(idx)!;
    if (!p.isLeader || p.pendingIsr !== null) continue;
    const leo = p.log.logEndOffset;
    const outOfSync = p.followers.filter((f) => p.isr.includes(f.brokerId) && !isCaughtUp(f, leo, now, lagUs));
    if (outOfSync.length === 0) continue;
    const isr = p.isr.filter((id) => !outOfSync.some((f) => f.brokerId === id));
    items.push({ p, isr, expand: false, recovery: p.leaderRecoveryState });
  }
  if (items.length > 0) submitAlterPartition(b, items);
}

export interface AlterItem {
  p: Partition;
  isr: number[];
  expand: boolean;
  recovery: PartitionRegistration['leaderRecoveryState'];
}

/**
 * Sends one AlterPartition for the items; each partition's change stays pending until answered.
 * A resend carries the same proposed state under the same correlation id, so an answer to any copy
 * applies, as Partition.handleAlterPartitionUpdate matches the proposed state, not the request.
 */
export function submitAlterPartition(b: Broker, items: AlterItem[], resendOf?: number): void {
  const correlationId = resendOf ?? b.correlationId();
  for (const it of items) {
    it.p.pendingIsr = { isr: it.isr, expand: it.expand, correlationId, leaderRecoveryState: it.recovery };
  }
  b.send(CONTROLLER, {
    kind: 'alter-partition', correlationId, brokerId: b.id, brokerEpoch: b.brokerEpoch,
    partitions: items.map(({ p, isr }) => ({
      topic: p.topic, partition: p.partition, leaderEpoch: p.leaderEpoch, partitionEpoch: p.partitionEpoch,
      newIsrWithEpochs: isr.map((id) => ({ brokerId: id, brokerEpoch: id === b.id ? b.brokerEpoch : (p.follower(id)?.brokerEpoch ?? -1) })),
    })),
  });
  // AlterPartitionManager resends what the controller did not answer; a timeout of 0 still waits a
  // millisecond, so the resend loop lets simulated time pass (fuzz: controller-socket-timeout-0)
  b.ctx.after(Math.max(msToUs(b.num('controller.socket.timeout.ms')), msToUs(1)), () => {
    const still = items.filter(({ p }) => p.isLeader && p.pendingIsr?.correlationId === correlationId && b.partitions.get(p.idx) === p);
    if (still.length > 0) {
      submitAlterPartition(b, still.map(({ p }) => ({ p, isr: p.pendingIsr!.isr, expand: p.pendingIsr!.expand, recovery: p.pendingIsr!.leaderRecoveryState })), correlationId);
    }
  });
}

/**
 * Partition.handleAlterPartitionUpdate: apply the committed state the controller returns, or drop
 * the pending change on an error (it is retried by the next fetch or expiration check).
 */
export function onAlterPartitionResponse(b: Broker, msg: Envelope<AlterPartitionResponse>): void {
  const resp = msg.body;
  for (const item of resp.partitions) {
    const idx = b.cluster.names.find(item.topic, item.partition);
    const p = b.partitions.get(idx);
    if (!p || p.pendingIsr === null || p.pendingIsr.correlationId !== resp.correlationId) continue;
    p.pendingIsr = null;
    if (resp.error !== 'NONE' || item.error !== 'NONE') continue;
    if (item.partitionEpoch <= p.partitionEpoch || item.leaderEpoch !== p.leaderEpoch) continue;
    p.isr = [...item.isr];
    p.partitionEpoch = item.partitionEpoch;
    p.leaderRecoveryState = 'RECOVERED';
    maybeIncrementLeaderHW(b, p);
    completeDelayedProduces(b, p);
  }
  if (resp.error !== 'NONE') {
    for (const p of b.partitions.values()) {
      if (p.pendingIsr?.correlationId === resp.correlationId) p.pendingIsr = null;
    }
  }
}
