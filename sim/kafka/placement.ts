// Replica placement for topics that name no assignment: Kafka's rack-unaware algorithm
// (server-common/…/admin/AdminUtils.assignReplicasToBrokersRackUnaware, ZK era; used here for KRaft
// too when no broker has a rack, as the simulator always has), and, when brokers have racks, ZooKeeper
// mode's rack-aware one (AdminUtils.assignReplicasToBrokersRackAware; KRaft's is
// striped-replica-placer.ts). Both spread partitions and their leaders evenly and never put two
// replicas of a partition on one broker. The two random starting points come from the run's
// 'placement' stream.

import type { Rng } from '../engine/index.ts';

export class PlacementError extends Error {
  constructor(
    readonly code: 'INVALID_REPLICATION_FACTOR' | 'INVALID_PARTITIONS',
    message: string,
  ) {
    super(message);
  }
}

/** AdminUtils' argument checks, the same for both assignments (Kafka's messages). */
function checkCounts(count: number, replicationFactor: number, brokers: number): void {
  if (count <= 0) throw new PlacementError('INVALID_PARTITIONS', `number of partitions must be larger than 0, got ${count}`);
  if (replicationFactor <= 0) throw new PlacementError('INVALID_REPLICATION_FACTOR', `replication factor must be larger than 0, got ${replicationFactor}`);
  if (replicationFactor > brokers) {
    throw new PlacementError('INVALID_REPLICATION_FACTOR', `replication factor: ${replicationFactor} larger than available brokers: ${brokers}`);
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
  const brokers = [...brokerIds].sort((a, b) => a - b);
  const n = brokers.length;
  checkCounts(count, replicationFactor, n);
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

/**
 * AdminUtils.assignReplicasToBrokersRackAware: the brokers arranged so that racks alternate
 * (getRackAlternatedBrokerList), the first replica walked as in the rack-unaware case, and each next
 * one skipped while its rack already holds a replica and some rack holds none (or its broker already
 * holds one and some broker holds none). `racks`: broker id → rack, for every broker.
 */
export function assignReplicasRackAware(
  racks: ReadonlyMap<number, string>,
  count: number,
  replicationFactor: number,
  rng: Rng,
  firstPartition = 0,
  fixedStartIndex = -1,
): number[][] {
  checkCounts(count, replicationFactor, racks.size);
  const numRacks = new Set(racks.values()).size;
  const arranged = rackAlternatedBrokerList(racks);
  const n = arranged.length;
  const startIndex = fixedStartIndex >= 0 ? fixedStartIndex : rng.int(n);
  let nextReplicaShift = fixedStartIndex >= 0 ? fixedStartIndex : rng.int(n);
  let currentPartitionId = Math.max(0, firstPartition);
  const out: number[][] = [];
  for (let i = 0; i < count; i++) {
    if (currentPartitionId > 0 && currentPartitionId % n === 0) nextReplicaShift += 1;
    const firstReplicaIndex = (currentPartitionId + startIndex) % n;
    const leader = arranged[firstReplicaIndex];
    const replicas = [leader];
    const racksWithReplicas = new Set([racks.get(leader)!]);
    const brokersWithReplicas = new Set([leader]);
    let k = 0;
    for (let j = 0; j < replicationFactor - 1; j++) {
      for (;;) {
        const broker = arranged[replicaIndex(firstReplicaIndex, nextReplicaShift * numRacks, k, n)];
        const rack = racks.get(broker)!;
        k += 1;
        if ((!racksWithReplicas.has(rack) || racksWithReplicas.size === numRacks) && (!brokersWithReplicas.has(broker) || brokersWithReplicas.size === n)) {
          replicas.push(broker);
          racksWithReplicas.add(rack);
          brokersWithReplicas.add(broker);
          break;
        }
      }
    }
    out.push(replicas);
    currentPartitionId += 1;
  }
  return out;
}

/** AdminUtils.getRackAlternatedBrokerList: racks in name order, each rack's brokers ascending, taken in turn. */
export function rackAlternatedBrokerList(racks: ReadonlyMap<number, string>): number[] {
  const byRack = new Map<string, number[]>();
  for (const [id, rack] of racks) {
    let list = byRack.get(rack);
    if (!list) byRack.set(rack, (list = []));
    list.push(id);
  }
  const names = [...byRack.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const list of byRack.values()) list.sort((a, b) => a - b);
  const next = new Map(names.map((r) => [r, 0]));
  const out: number[] = [];
  let r = 0;
  while (out.length < racks.size) {
    const name = names[r];
    const list = byRack.get(name)!;
    const i = next.get(name)!;
    if (i < list.length) {
      out.push(list[i]);
      next.set(name, i + 1);
    }
    r = (r + 1) % names.length;
  }
  return out;
}
