// __consumer_offsets as the group coordinators need it: which broker coordinates a group, and what
// the topic holds (each group's last GroupMetadata record and its committed offsets).
//
// Placement, as Kafka does it: a group lives in partition Utils.abs(groupId.hashCode()) %
// offsets.topic.num.partitions (GroupMetadataManager.partitionFor), and its coordinator is that
// partition's leader. The partitions are placed like any topic (rack-unaware, RF =
// offsets.topic.replication.factor, 3, or fewer brokers if the cluster is smaller), and their
// leaders follow the controller's decisions about brokers: a broker that is fenced or shut down
// loses its leaderships to the next replica in assignment order that is alive; a leaderless
// partition takes the first replica to come back; the periodic preferred-leader rebalance
// (auto.leader.rebalance.enable) moves leadership back to the first replica. So the coordinator
// moves when its broker dies, after the same session timeout as any other partition's leader.
//
// Simplification, stated plainly: the topic's data is not replicated record by record. An offset
// commit or a group record the coordinator accepted is durable at once and visible to whichever
// broker leads the partition next, as if every write reached all in-sync replicas before the
// coordinator answered (Kafka writes them with acks=all, offsets.commit.required.acks = −1), and
// the offsets partitions never lose data to an unclean election. The followers of __consumer_offsets
// do not fetch, so they cost nothing and never leave the ISR.

import type { Rng } from '../../engine/index.ts';
import { assignReplicasRackUnaware } from '../placement.ts';
import type { TopicPartitionRef } from '../protocol.ts';
import type { CommittedOffset, Subscription } from './group-protocol.ts';
import { tpKey } from './group-protocol.ts';

/** offsets.topic.replication.factor (GroupCoordinatorConfig default 3); not a scenario setting. */
const OFFSETS_TOPIC_REPLICATION_FACTOR = 3;

/** Java's String.hashCode over UTF-16 code units, in 32-bit signed arithmetic. */
export function javaHashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/** GroupMetadataManager.partitionFor: Utils.abs (MIN_VALUE → 0) of the hash, modulo the partitions. */
export function partitionFor(groupId: string, numPartitions: number): number {
  const h = javaHashCode(groupId);
  const abs = h === -2147483648 ? 0 : Math.abs(h);
  return abs % numPartitions;
}

export interface StoredMember {
  memberId: string;
  clientId: string;
  host: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocols: { name: string; metadata: Subscription }[];
  assignment: TopicPartitionRef[];
}

/** The GroupMetadata record (GroupMetadataManager.storeGroup) as last written. */
export interface StoredGroup {
  groupId: string;
  generation: number;
  protocol: string | null;
  leader: string | null;
  members: StoredMember[];
}

export interface StoredOffset extends CommittedOffset {
  commitUs: number;
}

/** Leadership of one __consumer_offsets partition moved (the coordinators load and unload groups). */
export type LeaderChangeListener = (partition: number, oldLeader: number, newLeader: number) => void;

export class OffsetsTopic {
  readonly assignment: number[][];
  readonly leaders: number[];
  /** The last GroupMetadata record of each group. */
  readonly groups = new Map<string, StoredGroup>();
  /** Committed offsets per group, keyed by "topic-partition". */
  readonly offsets = new Map<string, Map<string, StoredOffset>>();
  private readonly alive: Set<number>;
  private readonly listeners: LeaderChangeListener[] = [];

  constructor(
    brokers: readonly number[],
    readonly numPartitions: number,
    rng: Rng,
  ) {
    const rf = Math.min(OFFSETS_TOPIC_REPLICATION_FACTOR, brokers.length);
    this.assignment = assignReplicasRackUnaware(brokers, numPartitions, rf, rng);
    this.leaders = this.assignment.map((r) => r[0]);
    this.alive = new Set(brokers);
  }

  onLeaderChange(l: LeaderChangeListener): void {
    this.listeners.push(l);
  }

  partitionOf(groupId: string): number {
    return partitionFor(groupId, this.numPartitions);
  }

  /** The broker coordinating a group, or −1 when its partition has no leader. */
  coordinatorFor(groupId: string): number {
    return this.leaders[this.partitionOf(groupId)];
  }

  /** The controller fenced the broker or put it in controlled shutdown: move its leaderships. */
  brokerLost(broker: number): void {
    this.alive.delete(broker);
    for (let p = 0; p < this.numPartitions; p++) {
      if (this.leaders[p] !== broker) continue;
      const next = this.assignment[p].find((b) => this.alive.has(b)) ?? -1;
      this.setLeader(p, next);
    }
  }

  /** The controller unfenced the broker: leaderless partitions it replicates elect it. */
  brokerBack(broker: number): void {
    this.alive.add(broker);
    for (let p = 0; p < this.numPartitions; p++) {
      if (this.leaders[p] === -1 && this.assignment[p].includes(broker)) this.setLeader(p, broker);
    }
  }

  /** The preferred-leader rebalance: each partition back to its first replica, if it is alive. */
  preferredLeaderRebalance(): void {
    for (let p = 0; p < this.numPartitions; p++) {
      const preferred = this.assignment[p][0];
      if (this.leaders[p] !== preferred && this.alive.has(preferred)) this.setLeader(p, preferred);
    }
  }

  private setLeader(p: number, leader: number): void {
    const old = this.leaders[p];
    if (old === leader) return;
    this.leaders[p] = leader;
    for (const l of this.listeners) l(p, old, leader);
  }

  /** GroupMetadataManager.storeGroup. */
  storeGroup(g: StoredGroup): void {
    this.groups.set(g.groupId, g);
  }

  /** GroupMetadataManager.storeOffsets: durable once accepted (see the header). */
  storeOffsets(groupId: string, offsets: readonly CommittedOffset[], nowUs: number): void {
    let m = this.offsets.get(groupId);
    if (m === undefined) {
      m = new Map();
      this.offsets.set(groupId, m);
    }
    for (const o of offsets) m.set(tpKey(o.topic, o.partition), { ...o, commitUs: nowUs });
  }

  committed(groupId: string, topic: string, partition: number): StoredOffset | undefined {
    return this.offsets.get(groupId)?.get(tpKey(topic, partition));
  }

  /** Group ids stored in one offsets partition, sorted. */
  groupsIn(partition: number): string[] {
    const ids = new Set<string>();
    for (const g of this.groups.keys()) if (this.partitionOf(g) === partition) ids.add(g);
    for (const g of this.offsets.keys()) if (this.partitionOf(g) === partition) ids.add(g);
    return [...ids].sort();
  }
}
