// Replica placement for topics that name no assignment: Kafka's rack-unaware algorithm
// (core/…/admin/AdminUtils.assignReplicasToBrokersRackUnaware, ZK era; KRaft's StripedReplicaPlacer
// has the same aims). It spreads partitions and their leaders evenly and never puts two replicas of a
// partition on one broker. The two random starting points come from the run's 'placement' stream.

import type { Rng } from '../engine/index.ts';

export class PlacementError extends Error {
  constructor(
    readonly code: 'INVALID_REPLICATION_FACTOR' | 'INVALID_PARTITIONS',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Assignments for partitions [firstPartition, firstPartition + count): one broker list each, the
 * first being the preferred leader. `startIndex` and `nextReplicaShift` are drawn in [0, n), unless
 * `fixedStartIndex` is given (adding partitions starts at partition 0's first replica, as
 * AdminUtils.addPartitions does).
 */
export function assignReplicasRackUnaware(
  brokerIds: readonly number[],
  count: number,
  replicationFactor: number,
  rng: Rng,
  firstPartition = 0,
  fixedStartIndex = -1,
): number[][] {
  if (count <= 0) throw new PlacementError('INVALID_PARTITIONS', `number of partitions must be larger than 0, got ${count}`);
  if (replicationFactor <= 0) throw new PlacementError('INVALID_REPLICATION_FACTOR', `replication factor must be larger than 0, got ${replicationFactor}`);
  const brokers = [...brokerIds].sort((a, b) => a - b);
  const n = brokers.length;
  if (replicationFactor > n) {
    throw new PlacementError('INVALID_REPLICATION_FACTOR', `replication factor: ${replicationFactor} larger than available brokers: ${n}`);
  }
  const startIndex = fixedStartIndex >= 0 ? fixedStartIndex : rng.int(n);
  let nextReplicaShift = fixedStartIndex >= 0 ? fixedStartIndex : rng.int(n);
  let currentPartitionId = firstPartition;
  const out: number[][] = [];
  for (let i = 0; i < count; i++) {
    if (currentPartitionId > 0 && currentPartitionId % n === 0) nextReplicaShift += 1;
    const firstReplicaIndex = (currentPartitionId + startIndex) % n;
    const replicas = [brokers[firstReplicaIndex]];
    for (let j = 0; j < replicationFactor - 1; j++) {
      replicas.push(brokers[replicaIndex(firstReplicaIndex, nextReplicaShift, j, n)]);
    }
    out.push(replicas);
    currentPartitionId += 1;
  }
  return out;
}

/** AdminUtils.replicaIndex */
function replicaIndex(firstReplicaIndex: number, secondReplicaShift: number, replicaIdx: number, n: number): number {
  const shift = 1 + ((secondReplicaShift + replicaIdx) % (n - 1));
  return (firstReplicaIndex + shift) % n;
}
