// Partition reassignment (KIP-455) as the KRaft controller computes it, pure functions of the
// partition registration (metadata/…/controller/PartitionReassignmentReplicas.java and the
// reassignment steps of PartitionChangeBuilder.build). A reassignment first adds the target's new
// replicas to `replicas` (listed as `addingReplicas`), which fetch from the leader and join the ISR
// once caught up; when the ISR, without the replicas being removed, holds every target replica, the
// same change completes it: `replicas` becomes the target, the removed replicas leave the ISR, the
// leader moves if it was one of them, and the leader epoch is bumped because replicas left.

import type { PartitionRegistration } from './metadata-image.ts';

/** PartitionReassignmentReplicas(current, target): what a reassignment to `target` sets. */
export interface ReassignmentReplicas {
  /** The target first, then the replicas being removed (sorted). */
  replicas: number[];
  /** In the target, not in the current replicas (sorted, as Kafka's TreeSet). */
  adding: number[];
  /** In the current replicas, not in the target (sorted). */
  removing: number[];
}

export function reassignmentReplicas(current: readonly number[], target: readonly number[]): ReassignmentReplicas {
  const removing = current.filter((b) => !target.includes(b)).sort((a, b) => a - b);
  const adding = target.filter((b) => !current.includes(b)).sort((a, b) => a - b);
  return { replicas: [...target, ...removing], adding, removing };
}

/**
 * ZooKeeper mode's ReplicaAssignment.reassignTo: the same shape from the partition's original
 * replicas (its replicas less any still being added by an earlier reassignment, which a new one
 * replaces), with the target first and the removed replicas after it in their original order; adding
 * in the target's order. Not sorted, as KRaft's TreeSets are.
 */
export function zkReassignmentReplicas(p: PartitionRegistration, target: readonly number[]): ReassignmentReplicas {
  const origin = p.replicas.filter((b) => !(p.addingReplicas ?? []).includes(b));
  const replicas = [...new Set([...target, ...origin])];
  return { replicas, adding: replicas.filter((b) => !origin.includes(b)), removing: replicas.filter((b) => !target.includes(b)) };
}

export function isReassigning(p: PartitionRegistration): boolean {
  return (p.addingReplicas?.length ?? 0) > 0 || (p.removingReplicas?.length ?? 0) > 0;
}

/**
 * PartitionReassignmentReplicas.maybeCompleteReassignment with the ISR the change is heading for:
 * the replicas and ISR once the removed replicas are gone, or undefined while some target replica
 * is not in that ISR yet (or nothing would be left).
 */
export function completedReassignment(p: PartitionRegistration, targetIsr: readonly number[]): { replicas: number[]; isr: number[] } | undefined {
  if (!isReassigning(p)) return undefined;
  const removing = p.removingReplicas ?? [];
  const isr = targetIsr.filter((b) => !removing.includes(b));
  const replicas = p.replicas.filter((b) => !removing.includes(b));
  if (isr.length === 0 || replicas.length === 0) return undefined;
  if (!replicas.every((b) => isr.includes(b))) return undefined;
  return { replicas, isr };
}

/** The registration without the reassignment fields (a registration that never had them stays byte-identical). */
export function withoutReassignment(p: PartitionRegistration): PartitionRegistration {
  const { addingReplicas: _a, removingReplicas: _r, ...rest } = p;
  return rest;
}

/**
 * ZooKeeper mode: the leader epoch after a change that starts or completes a reassignment
 * (KafkaController.onPartitionReassignment), undefined for any other change. Starting one bumps it
 * once (A1, updateLeaderEpochAndSendRequest to the old and new replicas). Completing one, later or at
 * once when the ISR already holds the target, bumps it once whether or not the leader moves (B3,
 * moveReassignedPartitionLeaderIfRequired), then once per removed replica still in the ISR, each taken
 * out by its own ZooKeeper write (B4, ReplicaStateMachine.doRemoveReplicasFromIsr). KRaft bumps it only
 * when replicas leave or the leader moves (PartitionChangeBuilder).
 */
export function zkReassignmentLeaderEpoch(
  p: PartitionRegistration, next: PartitionRegistration, targetIsr: readonly number[], viaReassign: boolean,
): number | undefined {
  if (!isReassigning(p) && isReassigning(next)) return p.leaderEpoch + 1;
  const completedLater = isReassigning(p) && !isReassigning(next);
  const completedAtOnce = viaReassign && !isReassigning(p) && !isReassigning(next);
  if (!completedLater && !completedAtOnce) return undefined;
  const removed = p.replicas.filter((b) => !next.replicas.includes(b));
  return p.leaderEpoch + 1 + removed.filter((b) => targetIsr.includes(b)).length;
}
