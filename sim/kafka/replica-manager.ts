// How a broker acts on metadata it has learnt (core/…/server/ReplicaManager.applyDelta,
// Partition.makeLeader / makeFollower): it becomes leader or follower of each partition whose
// registration changed, starts or stops fetchers, fails the produce requests it can no longer
// complete, and, in the pre-0.11 high-watermark protocol, truncates to its own HW when it becomes a
// follower. Also the one place that truncates a log, so every truncation is traced and observed.

import type { Broker } from './broker.ts';
import type { TruncationReason } from './cluster.ts';
import { ReplicaLog } from './log.ts';
import type { PartitionRegistration } from './metadata-image.ts';
import { Partition, resetFollowerState, type FollowerState } from './partition.ts';
import { NO_LEADER, UNKNOWN } from './protocol.ts';
import { addToFetcher, removeFromFetchers } from './fetcher.ts';
import { completeDelayedProduces } from './produce.ts';
import { maybeIncrementLeaderHW, submitAlterPartition } from './leader.ts';
import { wakeParkedFetches } from './fetch-serve.ts';
import { NEVER_HAPPENED_US } from './never.ts';

/** Applies the changed partitions (ascending indexes) of a metadata delta. */
export function applyMetadataDelta(b: Broker, changed: readonly number[], bootstrap: boolean): void {
  const sorted = changed.length > 1 ? [...new Set(changed)].sort((x, y) => x - y) : changed;
  for (const idx of sorted) applyPartition(b, idx, bootstrap);
}

function applyPartition(b: Broker, idx: number, bootstrap: boolean): void {
  const reg = b.image.partition(idx);
  if (!reg) return;
  let p = b.partitions.get(idx);
  if (!reg.replicas.includes(b.id)) {
    if (p) stopReplica(b, p);
    return;
  }
  if (!p) {
    let log = b.disk.get(idx);
    if (!log) {
      log = new ReplicaLog();
      b.disk.set(idx, log);
    }
    const names = b.cluster.names;
    p = new Partition(idx, names.topics[idx], names.partitions[idx], names.names[idx], log);
    b.partitions.set(idx, p);
  }
  if (reg.leader === b.id) {
    if (!p.isLeader || reg.leaderEpoch > p.leaderEpoch) makeLeader(b, p, reg);
    else if (reg.partitionEpoch > p.partitionEpoch) updateCommittedState(b, p, reg);
  } else if (p.isLeader || reg.leaderEpoch > p.leaderEpoch || p.leader !== reg.leader) {
    makeFollower(b, p, reg, bootstrap);
  } else if (reg.partitionEpoch > p.partitionEpoch) {
    updateCommittedState(b, p, reg);
  }
}

/** A newer partition epoch with the same leader and epoch: an ISR change this broker now learns. */
function updateCommittedState(b: Broker, p: Partition, reg: PartitionRegistration): void {
  p.isr = [...reg.isr];
  p.replicas = [...reg.replicas];
  p.partitionEpoch = reg.partitionEpoch;
  p.leaderRecoveryState = reg.leaderRecoveryState;
  p.pendingIsr = null;
  if (p.isLeader) {
    maybeIncrementLeaderHW(b, p);
    completeDelayedProduces(b, p);
  }
}

/** The registration's leader, epochs, ISR and replicas become the broker's view; no AlterPartition is pending. */
function applyRegistration(p: Partition, reg: PartitionRegistration): void {
  p.leader = reg.leader;
  p.leaderEpoch = reg.leaderEpoch;
  p.partitionEpoch = reg.partitionEpoch;
  p.isr = [...reg.isr];
  p.replicas = [...reg.replicas];
  p.leaderRecoveryState = reg.leaderRecoveryState;
  p.pendingIsr = null;
}

/** Partition.makeLeader */
function makeLeader(b: Broker, p: Partition, reg: PartitionRegistration): void {
  const isNewLeader = !p.isLeader;
  const log = p.log;
  p.isLeader = true;
  applyRegistration(p, reg);
  // the new epoch starts at the log end: the whole log is kept, even beyond the HW
  p.leaderEpochStartOffset = log.logEndOffset;
  log.epochCache.assign(reg.leaderEpoch, log.logEndOffset);
  const now = b.now;
  const followers: FollowerState[] = [];
  for (const id of p.replicas) {
    if (id === b.id) continue;
    const f = p.follower(id) ?? newFollowerState(id);
    resetFollowerState(f, now, log.logEndOffset, p.isr.includes(id), isNewLeader);
    followers.push(f);
  }
  p.followers = followers;
  removeFromFetchers(b, p.idx);
  b.cluster.emit({ t: now, type: 'become-leader', broker: b.id, partition: p.name, epoch: p.leaderEpoch, leo: log.logEndOffset, hw: log.highWatermark });
  b.cluster.onLeadership?.(b.id, p.idx, p.leaderEpoch, true, log);
  wakeParkedFetches(b, p.idx, 'leader');
  maybeIncrementLeaderHW(b, p);
  // KIP-704: after an unclean election the leader reports itself recovered
  if (p.leaderRecoveryState === 'RECOVERING') submitAlterPartition(b, [{ p, isr: p.isr, expand: false, recovery: 'RECOVERED' }]);
}

/** Partition.makeFollower, with the pre-0.11 truncation to the follower's own HW. */
function makeFollower(b: Broker, p: Partition, reg: PartitionRegistration, bootstrap: boolean): void {
  const wasLeader = p.isLeader;
  const leaderChanged = wasLeader || p.leader !== reg.leader || reg.leaderEpoch > p.leaderEpoch;
  p.isLeader = false;
  applyRegistration(p, reg);
  p.followers = [];
  if (wasLeader) {
    b.cluster.onLeadership?.(b.id, p.idx, p.leaderEpoch, false, p.log);
    completeDelayedProduces(b, p);
  }
  wakeParkedFetches(b, p.idx, 'leader');
  if (b.cluster.spec.replicationProtocol === 'high-watermark' && leaderChanged && !bootstrap) {
    // ReplicaManager.makeFollowers before 0.11: truncate to the local HW, then fetch from there
    truncateLog(b, p.idx, p.log, p.log.highWatermark, 'high-watermark');
  }
  b.cluster.emit({
    t: b.now, type: 'become-follower', broker: b.id, partition: p.name, leader: reg.leader === NO_LEADER ? null : reg.leader, epoch: p.leaderEpoch,
  });
  if (reg.leader === NO_LEADER) removeFromFetchers(b, p.idx);
  else addToFetcher(b, p, reg.leader);
}

/** The broker is no longer a replica of the partition (not reached without reassignments). */
function stopReplica(b: Broker, p: Partition): void {
  if (p.isLeader) {
    p.isLeader = false;
    b.cluster.onLeadership?.(b.id, p.idx, p.leaderEpoch, false, p.log);
    completeDelayedProduces(b, p);
  }
  removeFromFetchers(b, p.idx);
  b.partitions.delete(p.idx);
}

function newFollowerState(brokerId: number): FollowerState {
  return {
    brokerId, logEndOffset: UNKNOWN, lastFetchLeaderLogEndOffset: UNKNOWN,
    lastFetchTimeUs: NEVER_HAPPENED_US, lastCaughtUpTimeUs: NEVER_HAPPENED_US, brokerEpoch: UNKNOWN,
  };
}

/**
 * Truncates a replica log to `offset` (UnifiedLog.truncateTo), keeping the partition's producer
 * state in step, and traces and reports what went.
 */
export function truncateLog(b: Broker, idx: number, log: ReplicaLog, offset: number, reason: TruncationReason): number {
  const oldEnd = log.logEndOffset;
  if (offset >= oldEnd) return log.truncateTo(offset);
  const cluster = b.cluster;
  const hwBefore = log.highWatermark;
  const removed = cluster.onTruncated !== undefined ? log.read(offset, oldEnd, Number.POSITIVE_INFINITY) : [];
  const n = log.truncateTo(offset);
  const p = b.partitions.get(idx);
  p?.rebuildProducerState();
  cluster.emit({ t: b.now, type: 'truncated', broker: b.id, partition: cluster.names.names[idx], from: oldEnd, to: offset, records: n, reason });
  cluster.onTruncated?.(b.id, idx, offset, oldEnd, removed, reason);
  if (log.highWatermark !== hwBefore) cluster.onHighWatermark?.(b.id, idx, log.highWatermark, p?.isLeader ?? false, p?.leaderEpoch ?? UNKNOWN);
  return n;
}
