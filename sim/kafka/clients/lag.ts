// `kafka-consumer-groups --describe` as a pure query (tools/…/consumer/group/ConsumerGroupCommand.java):
// one row per partition the group is assigned or has an offset for, with CURRENT-OFFSET the
// committed offset, LOG-END-OFFSET the partition's high watermark (Admin.listOffsets(latest) with
// READ_UNCOMMITTED returns the HW, not the leader's log end), and LAG their difference, `-` (undefined)
// when either is missing (ConsumerGroupCommand.getLag). Members with partitions come first, most
// partitions first, then partitions with an offset and no member (consumer id `-`).

import type { GroupOffsetRow } from '../group-queries.ts';
import type { TopicPartitionRef } from '../protocol.ts';
import { partitionName } from '../spec.ts';
import { compareTopicPartitions, tpKey } from './group-protocol.ts';

export interface GroupDescribeRow {
  group: string;
  topic: string;
  partition: number;
  currentOffset: number | undefined;
  logEndOffset: number | undefined;
  lag: number | undefined;
  consumerId: string | undefined;
  host: string | undefined;
  clientId: string | undefined;
}

export interface GroupSnapshot {
  group: string;
  state: string;
  members: { memberId: string; clientId: string; host: string; assignment: TopicPartitionRef[] }[];
  committed: (partition: TopicPartitionRef) => number | undefined;
  committedPartitions: TopicPartitionRef[];
  /** The HW of a partition as ListOffsets(latest) returns it; undefined without a leader. */
  highWatermark: (partition: TopicPartitionRef) => number | undefined;
}

/** ConsumerGroupCommand.getLag. */
export function lagOf(currentOffset: number | undefined, logEndOffset: number | undefined): number | undefined {
  return currentOffset === undefined || logEndOffset === undefined ? undefined : logEndOffset - currentOffset;
}

/** Which rows of a group's describe a `lag` expectation reads: a topic, or a partition ("orders-0"). */
export interface GroupRowFilter {
  topic?: string;
  partition?: string;
}

/**
 * The group's LAG over the matching rows (GroupQueries.groupOffsets), as the `lag` expectation reads
 * it: each row's LAG summed; undefined when no row matches or one prints `-` (no committed offset, or
 * a partition without a leader).
 */
export function groupLag(rows: readonly GroupOffsetRow[], filter: GroupRowFilter = {}): number | undefined {
  const matching = rows.filter((r) =>
    (filter.topic === undefined || r.topic === filter.topic) && (filter.partition === undefined || partitionName(r.topic, r.partition) === filter.partition));
  let sum = 0;
  for (const r of matching) {
    const lag = lagOf(r.committed, r.logEndOffset);
    if (lag === undefined) return undefined;
    sum += lag;
  }
  return matching.length === 0 ? undefined : sum;
}

/** The group's CURRENT-OFFSET for one partition ("orders-0"); undefined if it committed none. */
export function committedOffset(rows: readonly GroupOffsetRow[], partition: string): number | undefined {
  return rows.find((r) => partitionName(r.topic, r.partition) === partition)?.committed;
}

export function describeGroup(g: GroupSnapshot): GroupDescribeRow[] {
  const row = (tp: TopicPartitionRef, member?: GroupSnapshot['members'][number]): GroupDescribeRow => {
    const currentOffset = g.committed(tp);
    const logEndOffset = g.highWatermark(tp);
    return {
      group: g.group, topic: tp.topic, partition: tp.partition, currentOffset, logEndOffset, lag: lagOf(currentOffset, logEndOffset),
      consumerId: member?.memberId, host: member?.host, clientId: member?.clientId,
    };
  };
  const rows: GroupDescribeRow[] = [];
  const assigned = new Set<string>();
  const members = g.members.filter((m) => m.assignment.length > 0)
    .sort((a, b) => b.assignment.length - a.assignment.length || (a.memberId < b.memberId ? -1 : 1));
  for (const m of members) {
    for (const tp of [...m.assignment].sort(compareTopicPartitions)) {
      assigned.add(tpKey(tp.topic, tp.partition));
      rows.push(row(tp, m));
    }
  }
  for (const tp of [...g.committedPartitions].sort(compareTopicPartitions)) {
    if (!assigned.has(tpKey(tp.topic, tp.partition))) rows.push(row(tp));
  }
  return rows;
}
