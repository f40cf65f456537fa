// The in-sync replica set as its leader keeps it (core/…/cluster/Partition.scala, Replica.scala):
// when a follower counts as caught up (lastCaughtUpTime), when it may join the ISR (expand, after
// a fetch) and when it is dropped (shrink, the isr-expiration task every replica.lag.time.max.ms / 2).
// Both changes go to the controller as AlterPartition (alter-partition.ts) and take effect once it
// has committed them; the controller's own shrinks (fencing, controlled shutdown) are in
// controller.ts and election.ts.

import type { BrokerServices } from './broker-services.ts';
import { msToUs } from './effective-config.ts';
import { NEVER_HAPPENED_US } from './never.ts';
import type { FollowerState, Partition } from './partition.ts';
import { UNKNOWN } from './protocol.ts';
import { submitAlterPartition, type AlterItem } from './alter-partition.ts';

export function lagTimeUs(b: BrokerServices): number {
  return msToUs(b.num('replica.lag.time.max.ms'));
}

// -- caught up: lastCaughtUpTime ------------------------------------------------------------------

/** ReplicaState.Empty: a follower the leader has never heard from. */
export function newFollowerState(brokerId: number): FollowerState {
  return {
    brokerId, logEndOffset: UNKNOWN, lastFetchLeaderLogEndOffset: UNKNOWN,
    lastFetchTimeUs: NEVER_HAPPENED_US, lastCaughtUpTimeUs: NEVER_HAPPENED_US, brokerEpoch: UNKNOWN,
  };
}

/**
 * ReplicaState.isCaughtUp: at the leader's log end, or caught up within replica.lag.time.max.ms.
 * A follower at the log end of an idle partition is therefore never out of sync, however silent.
 */
export function isCaughtUp(f: FollowerState, leaderLogEndOffset: number, nowUs: number, lagUs: number): boolean {
  return f.logEndOffset === leaderLogEndOffset || nowUs - f.lastCaughtUpTimeUs <= lagUs;
}

/**
 * Replica.updateFetchStateOrThrow: a follower fetched at `fetchOffset` while the leader's log ended
 * at `leaderLogEndOffset`. It was caught up now if it asked for the log end, or at its previous fetch
 * if it asks for what the log end was then.
 */
export function updateFollowerFetchState(f: FollowerState, fetchOffset: number, leaderLogEndOffset: number, nowUs: number, brokerEpoch: number): void {
  if (fetchOffset >= leaderLogEndOffset) {
    f.lastCaughtUpTimeUs = Math.max(f.lastCaughtUpTimeUs, nowUs);
  } else if (fetchOffset >= f.lastFetchLeaderLogEndOffset) {
    f.lastCaughtUpTimeUs = Math.max(f.lastCaughtUpTimeUs, f.lastFetchTimeUs);
  }
  f.logEndOffset = fetchOffset;
  f.lastFetchLeaderLogEndOffset = Math.max(leaderLogEndOffset, f.lastFetchLeaderLogEndOffset);
  f.lastFetchTimeUs = nowUs;
  f.brokerEpoch = brokerEpoch;
}

/**
 * Replica.resetReplicaState on makeLeader: ISR members count as caught up now, others never (Kafka's
 * 0, the epoch; here NEVER_HAPPENED_US, since simulated time starts at 0); a newly elected (not
 * re-elected) leader forgets what it knew of followers' logs and fetches. The last fetch time is
 * "never" for a follower outside the ISR too, so its first fetch cannot make it caught up as of then.
 */
export function resetFollowerState(f: FollowerState, nowUs: number, leaderLogEndOffset: number, inIsr: boolean, isNewLeader: boolean): void {
  f.lastCaughtUpTimeUs = inIsr ? nowUs : NEVER_HAPPENED_US;
  if (isNewLeader) {
    f.logEndOffset = UNKNOWN;
    f.lastFetchLeaderLogEndOffset = UNKNOWN;
    f.lastFetchTimeUs = NEVER_HAPPENED_US;
    f.brokerEpoch = UNKNOWN;
  } else {
    f.lastFetchLeaderLogEndOffset = leaderLogEndOffset;
    f.lastFetchTimeUs = inIsr ? nowUs : NEVER_HAPPENED_US;
  }
}

/**
 * Partition.isReplicaIsrEligible: unfenced, not in controlled shutdown, and fetching with the broker
 * epoch the metadata cache holds (KIP-841, KIP-903).
 */
export function isIsrEligible(b: BrokerServices, f: FollowerState): boolean {
  const reg = b.image.brokers.get(f.brokerId);
  if (!reg || reg.fenced || reg.inControlledShutdown) return false;
  return f.brokerEpoch === -1 || f.brokerEpoch === reg.epoch;
}

// -- expand ---------------------------------------------------------------------------------------

/**
 * Partition.maybeExpandIsr after a follower fetch: a follower not in the ISR joins once its log end
 * reaches the HW and the start of the current leader epoch, if no ISR change is in flight.
 */
export function maybeExpandIsr(b: BrokerServices, partitions: ReadonlyMap<number, Partition>, p: Partition, f: FollowerState): void {
  if (p.pendingIsr !== null || p.isr.includes(f.brokerId)) return;
  if (f.logEndOffset < p.log.highWatermark || f.logEndOffset < p.leaderEpochStartOffset) return;
  if (!isIsrEligible(b, f)) return;
  submitAlterPartition(b, partitions, [{ p, isr: [...p.isr, f.brokerId], expand: true, recovery: p.leaderRecoveryState }]);
}

// -- shrink ---------------------------------------------------------------------------------------

/**
 * The isr-expiration task (ReplicaManager.maybeShrinkIsr, every replica.lag.time.max.ms / 2): every
 * led partition drops the ISR followers that are not caught up (Partition.getOutOfSyncReplicas), all
 * in one AlterPartition.
 */
export function maybeShrinkIsr(b: BrokerServices, partitions: ReadonlyMap<number, Partition>): void {
  const lagUs = lagTimeUs(b);
  const now = b.now;
  const items: AlterItem[] = [];
  for (const idx of [...partitions.keys()].sort((x, y) => x - y)) {
    const p = partitions.get(idx)!;
    if (!p.isLeader || p.pendingIsr !== null) continue;
    const leo = p.log.logEndOffset;
    const outOfSync = p.followers.filter((f) => p.isr.includes(f.brokerId) && !isCaughtUp(f, leo, now, lagUs));
    if (outOfSync.length === 0) continue;
    const isr = p.isr.filter((id) => !outOfSync.some((f) => f.brokerId === id));
    items.push({ p, isr, expand: false, recovery: p.leaderRecoveryState });
  }
  if (items.length > 0) submitAlterPartition(b, partitions, items);
}
