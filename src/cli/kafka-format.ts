// Text the way Kafka's own tools print it, so what a user reads here matches a real cluster:
// `kafka-topics.sh --describe` (tools/…/TopicCommand.java) and `kafka-consumer-groups.sh --describe`
// (tools/…/consumer/group/ConsumerGroupCommand.java), and `kafka-metadata-quorum.sh describe --status`
// (tools/…/MetadataQuorumCommand.java).

import type { QuorumView } from '../../sim/kafka/simulation.ts';
import { formatTime } from '../../sim/engine/index.ts';

export interface DescribedPartition {
  partition: number;
  leader: number | null;
  replicas: readonly number[];
  isr: readonly number[];
  /** A reassignment in progress (KIP-455): the replicas it adds and removes. */
  adding?: readonly number[];
  removing?: readonly number[];
}

/**
 * What the tool prints of a partition's eligible leader replicas (KIP-966): nothing before 3.8; from
 * 3.8 (KAFKA-15585) `Elr: …\tLastKnownElr: …`, empty lists from a KRaft cluster (ELR off) and `N/A`
 * where the brokers have no DescribeTopicPartitions API and the tool falls back to Metadata (ZooKeeper).
 */
export type ElrFields = 'none' | 'empty' | 'n/a';

export interface DescribedTopic {
  name: string;
  topicId: string;
  replicationFactor: number;
  /** Non-default configs only, as Kafka lists them. */
  configs: Readonly<Record<string, unknown>>;
  partitions: readonly DescribedPartition[];
}

/** What the cluster's version of kafka-topics prints (TopicCommand at each release tag). */
export interface TopicDescribeStyle {
  /** `Topic: orders\tPartitionCount: 1`, a space after each colon of the topic line (2.4+, the AdminClient TopicCommand); before, `Topic:orders\tPartitionCount:1`. */
  spaced: boolean;
  /** `TopicId: …` after the name (2.8+, KIP-516). */
  topicId: boolean;
  /** `Adding Replicas`/`Removing Replicas` while a reassignment is in progress (2.6+). */
  reassignment: boolean;
  /** ReplicationFactor leaves out partition 0's replicas being added (2.5+, getReplicationFactor); before, all its replicas. */
  rfWithoutAdding: boolean;
  elr: ElrFields;
}

/** The current version's kafka-topics. */
export const CURRENT_TOPIC_STYLE: TopicDescribeStyle = { spaced: true, topicId: true, reassignment: true, rfWithoutAdding: true, elr: 'empty' };

/** One topic line, then one tab-indented line per partition (TopicCommand.PartitionDescription.printDescription). */
export function formatTopicDescribe(t: DescribedTopic, style: TopicDescribeStyle = CURRENT_TOPIC_STYLE): string[] {
  const elr = style.elr;
  const elrText = elr === 'none' ? '' : elr === 'n/a' ? '\tElr: N/A\tLastKnownElr: N/A' : '\tElr: \tLastKnownElr: ';
  const configs = Object.keys(t.configs)
    .sort()
    .map((k) => `${k}=${formatConfigValue(t.configs[k])}`)
    .join(',');
  const sp = style.spaced ? ' ' : '';
  const rf = style.rfWithoutAdding || t.partitions.length === 0 ? t.replicationFactor : t.partitions[0].replicas.length;
  const lines = [
    `Topic:${sp}${t.name}${style.topicId ? `\tTopicId: ${t.topicId}` : ''}\tPartitionCount:${sp}${t.partitions.length}\tReplicationFactor:${sp}${rf}\tConfigs:${sp}${configs}`,
  ];
  for (const p of t.partitions) {
    const leader = p.leader === null ? 'none' : String(p.leader);
    // TopicCommand.PartitionDescription: Adding/Removing Replicas only while a reassignment is in progress
    const moving = style.reassignment && (p.adding !== undefined || p.removing !== undefined)
      ? `\tAdding Replicas: ${(p.adding ?? []).join(',')}\tRemoving Replicas: ${(p.removing ?? []).join(',')}` : '';
    lines.push(`\tTopic: ${t.name}\tPartition: ${p.partition}\tLeader: ${leader}\tReplicas: ${p.replicas.join(',')}\tIsr: ${p.isr.join(',')}${moving}${elrText}`);
  }
  return lines;
}

function formatConfigValue(v: unknown): string {
  return Array.isArray(v) ? v.join(',') : String(v);
}

/** The controller quorum as `kafka-metadata-quorum describe --status` prints it (MetadataQuorumCommand), then each voter. */
export function formatQuorumStatus(q: QuorumView): string[] {
  const leader = q.voters.find((v) => v.active);
  // MetadataQuorumCommand: the leader's LEO less the lowest voter's, a voter that is down included (the
  // leader keeps the offset of its last fetch, which is where its log stopped)
  const lag = leader ? Math.max(0, ...q.voters.map((v) => leader.logEndOffset - v.logEndOffset)) : -1;
  const pad = (k: string) => `${k}:`.padEnd(24);
  return [
    `${pad('LeaderId')}${q.leaderId === null ? `none (no active controller${q.noActiveSinceUs !== undefined ? ` since ${formatTime(q.noActiveSinceUs)}` : ''}: the metadata cannot change)` : q.leaderId}`,
    `${pad('LeaderEpoch')}${q.leaderEpoch}`,
    `${pad('HighWatermark')}${q.highWatermark}`,
    `${pad('MaxFollowerLag')}${lag}`,
    `${pad('CurrentVoters')}[${q.voters.map((v) => v.id).join(',')}]`,
    ...q.voters.map((v) => `\t${v.node}\t${v.active ? 'active controller' : v.state}\tEpoch: ${v.epoch}\tLogEndOffset: ${v.logEndOffset}\tHighWatermark: ${v.highWatermark}`),
  ];
}

export interface GroupRow {
  group: string;
  topic: string;
  partition: number;
  currentOffset: number | undefined;
  /** The HW, as ListOffsets(latest) with READ_UNCOMMITTED returns it. */
  logEndOffset: number | undefined;
  consumerId: string | undefined;
  host: string | undefined;
  clientId: string | undefined;
}

const dash = (v: number | string | undefined): string => (v === undefined ? '-' : String(v));

/** ConsumerGroupCommand.getLag: LOG-END-OFFSET − CURRENT-OFFSET, `-` when either is missing. */
export function groupLag(r: Pick<GroupRow, 'currentOffset' | 'logEndOffset'>): number | undefined {
  return r.currentOffset === undefined || r.logEndOffset === undefined ? undefined : r.logEndOffset - r.currentOffset;
}

/**
 * ConsumerGroupCommand.shouldPrintMemberState: what the tool prints (to stderr) before a group's table,
 * after an empty line: that an Empty group has no active members, that a group is rebalancing.
 */
export function groupStateNote(group: string, state: string | undefined): string[] {
  if (state === 'Empty') return ['', `Consumer group '${group}' has no active members.`];
  if (state === 'PreparingRebalance' || state === 'CompletingRebalance') return ['', `Warning: Consumer group '${group}' is rebalancing.`];
  return [];
}

/**
 * The `%-Gs %-Ts %-10s %-15s %-15s %-15s %-Cs %-Hs %s` table, G/T/C/H being the longest group, topic,
 * consumer id and host, at least 15 each. Kafka prints each row after a newline, so the output
 * starts with an empty line.
 */
export function formatGroupDescribe(rows: readonly GroupRow[]): string[] {
  const width = (f: (r: GroupRow) => string | undefined, title: string) =>
    Math.max(15, title.length, ...rows.map((r) => dash(f(r)).length));
  const G = width((r) => r.group, 'GROUP');
  const T = width((r) => r.topic, 'TOPIC');
  const C = width((r) => r.consumerId, 'CONSUMER-ID');
  const H = width((r) => r.host, 'HOST');
  const line = (cells: string[]) =>
    [cells[0].padEnd(G), cells[1].padEnd(T), cells[2].padEnd(10), cells[3].padEnd(15), cells[4].padEnd(15), cells[5].padEnd(15), cells[6].padEnd(C), cells[7].padEnd(H), cells[8]].join(' ');
  const out = ['', line(['GROUP', 'TOPIC', 'PARTITION', 'CURRENT-OFFSET', 'LOG-END-OFFSET', 'LAG', 'CONSUMER-ID', 'HOST', 'CLIENT-ID'])];
  for (const r of rows) {
    out.push(line([r.group, r.topic, String(r.partition), dash(r.currentOffset), dash(r.logEndOffset), dash(groupLag(r)), dash(r.consumerId), dash(r.host), dash(r.clientId)]));
  }
  return out;
}
