// Leader election and partition changes as the controller computes them, pure functions of the
// partition registration (KRaft metadata/…/controller/PartitionChangeBuilder.java; the ZooKeeper
// controller's PartitionLeaderElectionAlgorithms in core/…/controller/Election.scala agree on every
// case modelled here). Eligible leader replicas (KIP-966) are off, as in 4.0.

import { NO_LEADER } from './protocol.ts';
import type { PartitionRegistration } from './metadata-image.ts';

/** ONLINE: a live ISR member; UNCLEAN: else any live replica; PREFERRED: replicas[0] if it can. */
export type ElectionType = 'ONLINE' | 'UNCLEAN' | 'PREFERRED';

export interface ElectionResult {
  leader: number;
  isr: number[];
  unclean: boolean;
}

/**
 * PartitionChangeBuilder.electLeader with `targetIsr` the ISR the change is heading for.
 * `acceptable(b)`: registered, unfenced, not in controlled shutdown (ClusterControlManager.isActive).
 */
export function electLeader(
  p: PartitionRegistration,
  targetIsr: readonly number[],
  acceptable: (brokerId: number) => boolean,
  type: ElectionType,
): ElectionResult {
  const valid = (b: number): boolean => b !== NO_LEADER && targetIsr.includes(b) && acceptable(b);
  const isr = [...targetIsr];
  if (type === 'PREFERRED') {
    // electPreferredLeader: the preferred replica, else keep a valid leader, else the next valid one
    if (valid(p.replicas[0])) return { leader: p.replicas[0], isr, unclean: false };
    if (valid(p.leader)) return { leader: p.leader, isr, unclean: false };
    const next = p.replicas.slice(1).find(valid);
    return { leader: next ?? NO_LEADER, isr, unclean: false };
  }
  // electAnyLeader: keep a valid current leader, else the first valid replica in assignment order
  if (valid(p.leader)) return { leader: p.leader, isr, unclean: false };
  const clean = p.replicas.find(valid);
  if (clean !== undefined) return { leader: clean, isr, unclean: false };
  if (type === 'UNCLEAN') {
    // the first live replica in assignment order; the ISR is forced to it (leaderRecoveryState RECOVERING)
    const any = p.replicas.find(acceptable);
    if (any !== undefined) return { leader: any, isr: [any], unclean: true };
  }
  return { leader: NO_LEADER, isr, unclean: false };
}

/**
 * The ISR without `brokerId`. Without ELR the ISR is never emptied: the last member stays
 * ("last replica standing", PartitionChangeBuilder / ReplicaStateMachine.doRemoveReplicasFromIsr).
 */
export function isrWithout(isr: readonly number[], brokerId: number): number[] {
  if (!isr.includes(brokerId)) return [...isr];
  if (isr.length === 1) return [...isr];
  return isr.filter((b) => b !== brokerId);
}

/**
 * The registration after a change, or undefined if nothing changed. Every change bumps the
 * partition epoch; the leader epoch bumps when the leader field changes (PartitionRegistration.merge),
 * and, before metadata version 3.6 (`shrinkBumpsLeaderEpoch`), when the ISR shrinks (KAFKA-15021).
 */
export function partitionChange(
  p: PartitionRegistration,
  isr: readonly number[],
  leader: number,
  recovery: PartitionRegistration['leaderRecoveryState'] = p.leaderRecoveryState,
  shrinkBumpsLeaderEpoch = false,
): PartitionRegistration | undefined {
  const leaderChanged = leader !== p.leader;
  if (!leaderChanged && sameMembers(isr, p.isr) && recovery === p.leaderRecoveryState) return undefined;
  const shrank = isr.length < p.isr.length;
  return {
    ...p,
    isr: [...isr],
    leader,
    leaderEpoch: leaderChanged || (shrank && shrinkBumpsLeaderEpoch) ? p.leaderEpoch + 1 : p.leaderEpoch,
    partitionEpoch: p.partitionEpoch + 1,
    leaderRecoveryState: recovery,
  };
}

/**
 * Whether an ISR shrink bumps the leader epoch. KRaft: every shrink before metadata version 3.6
 * (PartitionChangeBuilder.triggerLeaderEpochBumpIfNeeded; KAFKA-15021 stopped it), whoever asked.
 * ZooKeeper, at every version: a shrink the controller writes itself (a broker failing or shutting
 * down: ReplicaStateMachine.doRemoveReplicasFromIsr → LeaderAndIsr.newLeaderAndIsr, leaderEpoch + 1)
 * bumps it; one a leader asks for keeps it (KafkaController.processAlterPartition keeps the request's
 * leader epoch).
 */
export function shrinkBumpsLeaderEpoch(mode: 'kraft' | 'zookeeper', by: 'controller' | 'alter-partition', kraftBeforeMv36: boolean): boolean {
  if (mode === 'zookeeper') return by === 'controller';
  return kraftBeforeMv36;
}

export function sameMembers(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
