// `kafka-consumer-groups --describe` as a pure query (tools/…/consumer/group/ConsumerGroupCommand.java):
// one row per partition the group is assigned or has an offset for, with CURRENT-OFFSET the
// committed offset, LOG-END-OFFSET the partition's high watermark (Admin.listOffsets(latest) with
// READ_UNCOMMITTED returns the HW, not the leader's log end), and LAG their difference, `-` (undefined)
// when either is missing (ConsumerGroupCommand.getLag). Members with partitions come first, most
// partitions first, then partitions with an offset and no member (consumer id `-`).

import type { TopicPartitionRef } from '../protocol.ts';
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
