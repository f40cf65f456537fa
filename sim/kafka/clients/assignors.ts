// The consumer-side partition assignors the group leader runs (clients/…/consumer/*Assignor.java):
// - range (RangeAssignor, the default first choice): per topic, members sorted by id take contiguous
//   ranges, the first `partitions % members` one partition more;
// - round-robin (RoundRobinAssignor): all partitions in topic-partition order dealt to the sorted
//   members in turn, skipping members not subscribed to the topic;
// - sticky (StickyAssignor, eager) and cooperative-sticky (CooperativeStickyAssignor): balanced
//   (each member gets ⌊P/C⌋ or ⌈P/C⌉), keeping as many owned partitions as the quotas allow
//   (AbstractStickyAssignor.constrainedAssign, for members with equal subscriptions; the general case
//   for differing ones, each member getting only its topics: generalAssign below); the cooperative
//   one then withholds every partition that changes owner, so its old owner revokes it first and a
//   second rebalance hands it over (CooperativeStickyAssignor.adjustAssignment, KIP-429).
// Members are iterated in member-id order where Kafka iterates a HashMap, so the result is defined.

import type { TopicPartitionRef } from '../protocol.ts';
import { compareTopicPartitions, tpKey, type Subscription } from './group-protocol.ts';

export type RebalanceProtocol = 'EAGER' | 'COOPERATIVE';

export interface AssignorMember {
  memberId: string;
  subscription: Subscription;
}

export type Assignment = Map<string, TopicPartitionRef[]>;

export interface Assignor {
  name: string;
  /** ConsumerPartitionAssignor.supportedProtocols. */
  protocols: readonly RebalanceProtocol[];
  assign(partitionsPerTopic: ReadonlyMap<string, number>, members: readonly AssignorMember[]): Assignment;
}

function sortedMembers(members: readonly AssignorMember[]): AssignorMember[] {
  return [...members].sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
}

function emptyAssignment(members: readonly AssignorMember[]): Assignment {
  const out: Assignment = new Map();
  for (const m of sortedMembers(members)) out.set(m.memberId, []);
  return out;
}

function sortedTopics(partitionsPerTopic: ReadonlyMap<string, number>): string[] {
  return [...partitionsPerTopic.keys()].sort();
}

/** RangeAssignor.assign. */
export const rangeAssignor: Assignor = {
  name: 'range',
  protocols: ['EAGER'],
  assign(partitionsPerTopic, members) {
    const out = emptyAssignment(members);
    for (const topic of sortedTopics(partitionsPerTopic)) {
      const consumers = sortedMembers(members).filter((m) => m.subscription.topics.includes(topic));
      const n = partitionsPerTopic.get(topic) ?? 0;
      if (consumers.length === 0 || n === 0) continue;
      const perConsumer = Math.floor(n / consumers.length);
      const extra = n % consumers.length;
      consumers.forEach((c, i) => {
        const start = perConsumer * i + Math.min(i, extra);
        const length = perConsumer + (i + 1 > extra ? 0 : 1);
        const list = out.get(c.memberId) as TopicPartitionRef[];
        for (let p = start; p < start + length; p++) list.push({ topic, partition: p });
      });
    }
    return out;
  },
};

/** RoundRobinAssignor.assign. */
export const roundRobinAssignor: Assignor = {
  name: 'round-robin',
  protocols: ['EAGER'],
  assign(partitionsPerTopic, members) {
    const out = emptyAssignment(members);
    const ms = sortedMembers(members);
    let cursor = 0;
    for (const topic of sortedTopics(partitionsPerTopic)) {
      const n = partitionsPerTopic.get(topic) ?? 0;
      for (let p = 0; p < n; p++) {
        if (!ms.some((m) => m.subscription.topics.includes(topic))) break;
        while (!ms[cursor % ms.length].subscription.topics.includes(topic)) cursor++;
        (out.get(ms[cursor % ms.length].memberId) as TopicPartitionRef[]).push({ topic, partition: p });
        cursor++;
      }
    }
    return out;
  },
};

interface StickyResult {
  assignment: Assignment;
  /** Partition key → its new owner, for partitions taken from another live member. */
  transferring: Map<string, string>;
}

/** AbstractStickyAssignor.constrainedAssign (members with the same subscription). */
function constrainedAssign(partitionsPerTopic: ReadonlyMap<string, number>, members: readonly AssignorMember[]): StickyResult {
  const ms = sortedMembers(members);
  const assignment = emptyAssignment(members);
  const all: TopicPartitionRef[] = [];
  for (const topic of sortedTopics(partitionsPerTopic)) {
    if (!ms.some((m) => m.subscription.topics.includes(topic))) continue;
    for (let p = 0; p < (partitionsPerTopic.get(topic) ?? 0); p++) all.push({ topic, partition: p });
  }
  const exists = new Set(all.map((tp) => tpKey(tp.topic, tp.partition)));
  const owned = validOwnedPartitions(ms, exists);
  const numMembers = ms.length;
  const minQuota = numMembers === 0 ? 0 : Math.floor(all.length / numMembers);
  const maxQuota = numMembers === 0 ? 0 : Math.ceil(all.length / numMembers);
  const expectedOverMin = numMembers === 0 ? 0 : all.length % numMembers;
  let overMin = 0;
  const unassigned = new Set(exists);
  const revoked = new Set<string>();
  const underMin: string[] = [];
  const exactlyMin: string[] = [];
  for (const m of ms) {
    const mine = owned.get(m.memberId) ?? [];
    const list = assignment.get(m.memberId) as TopicPartitionRef[];
    let keep: number;
    if (mine.length < minQuota) {
      keep = mine.length;
      underMin.push(m.memberId);
    } else if (mine.length >= maxQuota && overMin < expectedOverMin) {
      keep = maxQuota;
      overMin++;
    } else {
      keep = minQuota;
      if (overMin < expectedOverMin) exactlyMin.push(m.memberId);
    }
    mine.forEach((tp, i) => {
      const key = tpKey(tp.topic, tp.partition);
      if (i < keep) {
        list.push(tp);
        unassigned.delete(key);
      } else revoked.add(key);
    });
  }
  const transferring = new Map<string, string>();
  const toAssign = all.filter((tp) => unassigned.has(tpKey(tp.topic, tp.partition)));
  // round-robin over the members under minQuota, then one more each to members at minQuota until
  // exactly `partitions % members` of them hold maxQuota
  let cursor = 0;
  for (const tp of toAssign) {
    let member: string;
    const fromUnder = underMin.length > 0;
    if (fromUnder) {
      if (cursor >= underMin.length) cursor = 0;
      member = underMin[cursor];
    } else if (exactlyMin.length > 0 && overMin < expectedOverMin) {
      member = exactlyMin.shift() as string;
    } else break;
    const list = assignment.get(member) as TopicPartitionRef[];
    list.push(tp);
    const key = tpKey(tp.topic, tp.partition);
    if (revoked.has(key)) transferring.set(key, member);
    if (fromUnder && list.length === minQuota) {
      underMin.splice(cursor, 1);
      if (minQuota < maxQuota) exactlyMin.push(member);
    } else if (fromUnder) {
      cursor++;
    }
    if (list.length === maxQuota && minQuota < maxQuota) overMin++;
  }
  for (const list of assignment.values()) list.sort(compareTopicPartitions);
  return { assignment, transferring };
}

/**
 * Owned partitions that still exist, claimed only at the highest generation; a partition two
 * members claim in the same generation is owned by neither (AbstractStickyAssignor.allSubscriptionsEqual).
 */
function validOwnedPartitions(ms: AssignorMember[], exists: Set<string>): Map<string, TopicPartitionRef[]> {
  let maxGeneration = -1;
  for (const m of ms) if (m.subscription.ownedPartitions.length > 0) maxGeneration = Math.max(maxGeneration, m.subscription.generation);
  const claims = new Map<string, number>();
  for (const m of ms) {
    if (m.subscription.generation !== maxGeneration) continue;
    for (const tp of m.subscription.ownedPartitions) {
      const key = tpKey(tp.topic, tp.partition);
      claims.set(key, (claims.get(key) ?? 0) + 1);
    }
  }
  const out = new Map<string, TopicPartitionRef[]>();
  for (const m of ms) {
    const valid = m.subscription.generation !== maxGeneration ? [] : m.subscription.ownedPartitions.filter((tp) => {
      const key = tpKey(tp.topic, tp.partition);
      return exists.has(key) && claims.get(key) === 1;
    });
    out.set(m.memberId, [...valid].sort(compareTopicPartitions));
  }
  return out;
}

/**
 * AbstractStickyAssignor's general case (GeneralAssignmentBuilder), for members whose subscriptions
 * differ: a member gets only partitions of topics it subscribes to; it keeps what it validly owned;
 * the rest go, the partitions with the fewest possible owners first, each to the subscribed member
 * holding the fewest (ties: member id); then partitions move from a member to a subscribed one holding
 * at least two fewer until none can (balance). Kafka's balance() explores reassignments more widely;
 * this keeps its invariants (subscriptions, stickiness, no movable imbalance) and its javadoc examples.
 */
function generalAssign(partitionsPerTopic: ReadonlyMap<string, number>, members: readonly AssignorMember[]): StickyResult {
  const ms = sortedMembers(members);
  const assignment = emptyAssignment(members);
  const subscribers = new Map<string, string[]>();
  for (const topic of sortedTopics(partitionsPerTopic)) {
    const subs = ms.filter((m) => m.subscription.topics.includes(topic)).map((m) => m.memberId);
    if (subs.length > 0 && (partitionsPerTopic.get(topic) ?? 0) > 0) subscribers.set(topic, subs);
  }
  const all: TopicPartitionRef[] = [];
  for (const [topic] of subscribers) for (let p = 0; p < (partitionsPerTopic.get(topic) ?? 0); p++) all.push({ topic, partition: p });
  const exists = new Set(all.map((tp) => tpKey(tp.topic, tp.partition)));
  const owned = validOwnedPartitions(ms, exists);
  const previousOwner = new Map<string, string>();
  const assigned = new Set<string>();
  for (const m of ms) {
    for (const tp of owned.get(m.memberId) ?? []) {
      const key = tpKey(tp.topic, tp.partition);
      previousOwner.set(key, m.memberId);
      // a member no longer subscribed to the topic gives the partition up (revocationRequired)
      if (!m.subscription.topics.includes(tp.topic)) continue;
      (assignment.get(m.memberId) as TopicPartitionRef[]).push(tp);
      assigned.add(key);
    }
  }
  const count = (m: string): number => (assignment.get(m) as TopicPartitionRef[]).length;
  const leastLoaded = (candidates: readonly string[]): string =>
    candidates.reduce((best, m) => (count(m) < count(best) || (count(m) === count(best) && m < best) ? m : best));
  // sortPartitions: fewest potential consumers first, then topic-partition order
  const unassigned = all.filter((tp) => !assigned.has(tpKey(tp.topic, tp.partition)))
    .sort((a, b) => (subscribers.get(a.topic) as string[]).length - (subscribers.get(b.topic) as string[]).length || compareTopicPartitions(a, b));
  for (const tp of unassigned) (assignment.get(leastLoaded(subscribers.get(tp.topic) as string[])) as TopicPartitionRef[]).push(tp);
  // balance: move one partition at a time from the most loaded member that can give one away
  for (;;) {
    let move: { from: string; to: string; tp: TopicPartitionRef } | undefined;
    const byLoad = [...ms.map((m) => m.memberId)].sort((a, b) => count(b) - count(a) || (a < b ? -1 : 1));
    for (const from of byLoad) {
      const mine = [...(assignment.get(from) as TopicPartitionRef[])].sort(compareTopicPartitions).reverse();
      for (const tp of mine) {
        const to = leastLoaded(subscribers.get(tp.topic) as string[]);
        if (count(to) + 1 < count(from)) {
          move = { from, to, tp };
          break;
        }
      }
      if (move !== undefined) break;
    }
    if (move === undefined) break;
    const list = assignment.get(move.from) as TopicPartitionRef[];
    list.splice(list.indexOf(move.tp), 1);
    (assignment.get(move.to) as TopicPartitionRef[]).push(move.tp);
  }
  const transferring = new Map<string, string>();
  for (const [member, list] of assignment) {
    list.sort(compareTopicPartitions);
    for (const tp of list) {
      const key = tpKey(tp.topic, tp.partition);
      const before = previousOwner.get(key);
      if (before !== undefined && before !== member) transferring.set(key, member);
    }
  }
  return { assignment, transferring };
}

/** AbstractStickyAssignor.assignPartitions: the constrained algorithm when all subscriptions are equal, else the general one. */
function stickyAssign(partitionsPerTopic: ReadonlyMap<string, number>, members: readonly AssignorMember[]): StickyResult {
  const first = members[0]?.subscription.topics ?? [];
  const same = (t: readonly string[]): boolean => t.length === first.length && t.every((x) => first.includes(x));
  return members.every((m) => same(m.subscription.topics)) ? constrainedAssign(partitionsPerTopic, members) : generalAssign(partitionsPerTopic, members);
}

/** StickyAssignor (eager): the sticky, balanced assignment, handed over in one rebalance. */
export const stickyAssignor: Assignor = {
  name: 'sticky',
  protocols: ['EAGER'],
  assign(partitionsPerTopic, members) {
    return stickyAssign(partitionsPerTopic, members).assignment;
  },
};

/** CooperativeStickyAssignor: as sticky, minus partitions still owned by another member. */
export const cooperativeStickyAssignor: Assignor = {
  name: 'cooperative-sticky',
  protocols: ['COOPERATIVE', 'EAGER'],
  assign(partitionsPerTopic, members) {
    const { assignment, transferring } = stickyAssign(partitionsPerTopic, members);
    for (const [key, member] of transferring) {
      const list = assignment.get(member) as TopicPartitionRef[];
      const i = list.findIndex((tp) => tpKey(tp.topic, tp.partition) === key);
      if (i >= 0) list.splice(i, 1);
    }
    return assignment;
  },
};

export const ASSIGNORS: ReadonlyMap<string, Assignor> = new Map(
  [rangeAssignor, roundRobinAssignor, stickyAssignor, cooperativeStickyAssignor].map((a) => [a.name, a]),
);

/**
 * ConsumerCoordinator: the rebalance protocol is the newest one every configured assignor supports
 * (range + cooperative-sticky, the default list, is therefore EAGER).
 */
export function rebalanceProtocolOf(assignorNames: readonly string[]): RebalanceProtocol {
  const all = assignorNames.map((n) => ASSIGNORS.get(n));
  return all.every((a) => a !== undefined && a.protocols.includes('COOPERATIVE')) ? 'COOPERATIVE' : 'EAGER';
}
