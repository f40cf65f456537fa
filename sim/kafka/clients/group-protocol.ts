// The group and offset RPCs of the classic consumer group protocol, trimmed to the fields the model
// uses (FindCoordinatorRequest.json, JoinGroupRequest.json, SyncGroupRequest.json,
// HeartbeatRequest.json, LeaveGroupRequest.json, OffsetCommitRequest.json, OffsetFetchRequest.json).
// A member's subscription and assignment travel as plain data rather than the serialized
// ConsumerProtocol bytes.

import type { TopicPartitionRef } from '../protocol.ts';

/** JoinGroupRequest.memberId before the coordinator assigned one (KIP-394). */
export const UNKNOWN_MEMBER_ID = '';
/** A generation of no group (Generation.NO_GENERATION). */
export const NO_GENERATION = -1;

/** ConsumerProtocolSubscription. */
export interface Subscription {
  topics: string[];
  /** Partitions the member owns now (cooperative) or owned last generation (sticky). */
  ownedPartitions: TopicPartitionRef[];
  /** The generation those partitions were owned in (KIP-341 userData / v2 subscription). */
  generation: number;
}

export interface FindCoordinatorRequest {
  kind: 'find-coordinator';
  correlationId: number;
  key: string;
}

export interface FindCoordinatorResponse {
  kind: 'find-coordinator-response';
  correlationId: number;
  error: string;
  nodeId: number;
}

export interface JoinGroupRequest {
  kind: 'join-group';
  correlationId: number;
  groupId: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  memberId: string;
  clientId: string;
  /** Assignor names in preference order, each with the member's subscription. */
  protocols: { name: string; metadata: Subscription }[];
}

export interface JoinGroupResponse {
  kind: 'join-group-response';
  correlationId: number;
  error: string;
  generationId: number;
  protocolName: string;
  leader: string;
  memberId: string;
  /** Only for the leader: every member with its subscription for the chosen protocol. */
  members: { memberId: string; metadata: Subscription }[];
}

export interface SyncGroupRequest {
  kind: 'sync-group';
  correlationId: number;
  groupId: string;
  generationId: number;
  memberId: string;
  /** Only from the leader. */
  assignments: { memberId: string; assignment: TopicPartitionRef[] }[];
}

export interface SyncGroupResponse {
  kind: 'sync-group-response';
  correlationId: number;
  error: string;
  assignment: TopicPartitionRef[];
}

export interface HeartbeatRequest {
  kind: 'heartbeat';
  correlationId: number;
  groupId: string;
  generationId: number;
  memberId: string;
}

export interface HeartbeatResponse {
  kind: 'heartbeat-response';
  correlationId: number;
  error: string;
}

export interface LeaveGroupRequest {
  kind: 'leave-group';
  correlationId: number;
  groupId: string;
  memberId: string;
  /** MemberIdentity.reason (KIP-800), sent when the member leaves because its poll timer expired. */
  reason?: string;
}

export interface LeaveGroupResponse {
  kind: 'leave-group-response';
  correlationId: number;
  error: string;
}

export interface CommittedOffset extends TopicPartitionRef {
  offset: number;
  leaderEpoch: number;
}

export interface OffsetCommitRequest {
  kind: 'offset-commit';
  correlationId: number;
  groupId: string;
  generationId: number;
  memberId: string;
  offsets: CommittedOffset[];
}

export interface OffsetCommitResponse {
  kind: 'offset-commit-response';
  correlationId: number;
  error: string;
  partitions: (TopicPartitionRef & { error: string })[];
}

export interface OffsetFetchRequest {
  kind: 'offset-fetch';
  correlationId: number;
  groupId: string;
  partitions: TopicPartitionRef[];
}

export interface OffsetFetchResponse {
  kind: 'offset-fetch-response';
  correlationId: number;
  error: string;
  /** offset −1 when the group has no committed offset for the partition. */
  partitions: CommittedOffset[];
}


export const GROUP_REQUEST_KINDS = [
  'find-coordinator', 'join-group', 'sync-group', 'heartbeat', 'leave-group', 'offset-commit', 'offset-fetch',
] as const;

export function tpKey(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

/** Kafka's TopicPartition order: by topic, then partition. */
export function compareTopicPartitions(a: TopicPartitionRef, b: TopicPartitionRef): number {
  return a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition;
}
