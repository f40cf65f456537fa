// What a broker answers from its own replicas: the read of one partition for a Fetch
// (Partition.fetchRecords: followers read to the log end, FetchIsolation.LOG_END, consumers to the
// HW), ListOffsets and OffsetsForLeaderEpoch, and Metadata from its metadata cache. The response
// carries the HW read *before* the follower's fetch offset is applied, so followers learn the HW a
// round trip late. Parking a fetch with nothing to return (delayed-fetch.ts) and applying a
// follower's fetch offset are the replica manager's.

import type { BrokerServices } from './broker-services.ts';
import { findPreferredReadReplica } from './replica-selector.ts';
import type { Envelope } from './network.ts';
import { leaderEpochError, type FollowerState, type Partition } from './partition.ts';
import { isThrottled } from './replication-quota.ts';
import {
  EARLIEST_TIMESTAMP,
  NO_LEADER,
  type ErrorCode,
  type FetchPartition,
  type FetchPartitionResponse,
  type FetchRequest,
  type ListOffsetsRequest,
  type MetadataRequest,
  type MetadataTopic,
  type OffsetsForLeaderEpochRequest,
  type RecordBatch,
} from './protocol.ts';

/**
 * What a follower's read that went through leaves for the caller: the partition and the leader's
 * view of the follower, to which its fetch offset is to be applied; both undefined otherwise. One
 * per replica manager, filled by each readPartition (a read runs once per partition of every fetch,
 * so it makes no object of its own beyond the response).
 */
export interface FollowerRead {
  partition: Partition | undefined;
  follower: FollowerState | undefined;
}

/**
 * A consumer's read at a follower (Partition.fetchRecords with fetchOnlyFromLeader = false): its
 * leader epoch must be the follower's, and it reads up to the follower's HW, which trails the leader's.
 */
function readFromFollower(out: FetchPartitionResponse, p: Partition, fp: FetchPartition): FetchPartitionResponse {
  const fenced = leaderEpochError(p, fp.currentLeaderEpoch);
  if (fenced !== undefined) return failed(out, fenced);
  const log = p.log;
  out.highWatermark = log.highWatermark;
  out.logStartOffset = log.logStartOffset;
  if (fp.fetchOffset > log.logEndOffset || fp.fetchOffset < log.logStartOffset) return failed(out, 'OFFSET_OUT_OF_RANGE');
  if (fp.fetchOffset < log.highWatermark) out.records = log.read(fp.fetchOffset, log.highWatermark, fp.partitionMaxBytes);
  return out;
}

/** The records of a read that returns none: one shared empty list (nobody appends to a response's records). */
const NO_RECORDS: RecordBatch[] = [];

/** Partition.fetchRecords for one partition of a request; `into` says whether a follower's read went through. */
export function readPartition(
  b: BrokerServices, partitions: ReadonlyMap<number, Partition>, req: FetchRequest, fp: FetchPartition, follower: boolean, into: FollowerRead,
): FetchPartitionResponse {
  into.partition = undefined;
  into.follower = undefined;
  const out: FetchPartitionResponse = {
    topic: fp.topic, partition: fp.partition, error: 'NONE', highWatermark: -1, logStartOffset: -1, records: NO_RECORDS,
  };
  const idx = b.image.topics.get(fp.topic)?.partitions[fp.partition];
  if (idx === undefined) return failed(out, 'UNKNOWN_TOPIC_OR_PARTITION');
  const p = partitions.get(idx);
  // KIP-392: a consumer that sent its rack (ClientMetadata) may read from a follower, up to its HW
  if (p && !p.isLeader && !follower && req.rackId !== undefined) return readFromFollower(out, p, fp);
  if (!p || !p.isLeader) {
    const reg = b.image.partition(idx);
    if (reg && reg.leader !== NO_LEADER) out.currentLeader = { leaderId: reg.leader, leaderEpoch: reg.leaderEpoch };
    return failed(out, 'NOT_LEADER_OR_FOLLOWER');
  }
  // the fetcher's view of the epoch must be this leader's
  const fenced = leaderEpochError(p, fp.currentLeaderEpoch);
  if (fenced !== undefined) return failed(out, fenced);
  const f = follower ? p.follower(req.replicaId) : undefined;
  if (follower && !f) return failed(out, 'NOT_LEADER_OR_FOLLOWER');
  const log = p.log;
  out.highWatermark = log.highWatermark;
  out.logStartOffset = log.logStartOffset;
  if (follower) out.logEndOffset = log.logEndOffset;
  // KIP-392: send the consumer to a replica of its rack, without reading (ReplicaManager.readFromLog)
  if (!follower) {
    const preferred = findPreferredReadReplica(b, p, req.rackId, fp.fetchOffset);
    if (preferred !== undefined) {
      out.preferredReadReplica = preferred;
      return out;
    }
  }
  // Partition.readRecords: a follower whose last epoch or offset is off the leader's history diverges
  // (when it fetches in the leader's latest epoch, that epoch ends at the log end: no lookup needed)
  if (follower && fp.lastFetchedEpoch >= 0 && b.cluster.spec.replicationProtocol === 'leader-epoch'
    && (fp.lastFetchedEpoch !== log.epochCache.latestEpoch() || log.logEndOffset < fp.fetchOffset)) {
    const eo = log.epochCache.endOffsetFor(fp.lastFetchedEpoch, log.logEndOffset);
    if (eo.epoch < fp.lastFetchedEpoch || eo.endOffset < fp.fetchOffset) {
      out.divergingEpoch = eo;
      return out;
    }
  }
  if (fp.fetchOffset > log.logEndOffset || fp.fetchOffset < log.logStartOffset) return failed(out, 'OFFSET_OUT_OF_RANGE');
  const maxOffset = follower ? log.logEndOffset : log.highWatermark;
  if (fp.fetchOffset < maxOffset) out.records = log.read(fp.fetchOffset, maxOffset, fp.partitionMaxBytes);
  if (follower && out.records.length > 0) leaderThrottle(b, p, req.replicaId, out);
  if (f) {
    into.partition = p;
    into.follower = f;
  }
  return out;
}

/**
 * ReplicaManager.shouldLeaderThrottle (KIP-73): a replica listed in leader.replication.throttled.replicas
 * for this leader, not in the ISR, gets no records while the leader's quota is exceeded; what it does
 * get counts against leader.replication.throttled.rate (KafkaApis records the throttled bytes sent).
 */
function leaderThrottle(b: BrokerServices, p: Partition, replicaId: number, out: FetchPartitionResponse): void {
  const set = b.topicSettings(p.topic).leaderThrottled;
  if (set === undefined || !isThrottled(set, p.partition) || p.isr.includes(replicaId)) return;
  const quota = b.leaderQuota();
  if (quota.exceeded(b.now, b.num('leader.replication.throttled.rate'))) {
    out.records = [];
    return;
  }
  let bytes = 0;
  for (const r of out.records) bytes += r.sizeBytes;
  quota.record(bytes, b.now);
}

function failed(out: FetchPartitionResponse, error: ErrorCode): FetchPartitionResponse {
  out.error = error;
  return out;
}

/** ReplicaManager.fetchMessages: a fetch with an error, a diverging epoch or records is answered at once. */
export function hasSomethingToReturn(partitions: readonly FetchPartitionResponse[]): boolean {
  return partitions.some((r) => r.error !== 'NONE' || r.divergingEpoch !== undefined || r.records.length > 0 || r.preferredReadReplica !== undefined);
}

/**
 * A consumer's fetch (fetch.min.bytes > 1): ReplicaManager.fetchMessages answers at once only with an
 * error, a preferred replica or at least minBytes readable (bytesReadable >= params.minBytes), and
 * DelayedFetch.tryComplete completes a parked one once its accumulated bytes reach it.
 */
export function hasMinBytesToReturn(partitions: readonly FetchPartitionResponse[], minBytes: number): boolean {
  // 0 bytes are always readable: the fetch is answered at once, even empty
  if (minBytes <= 0) return true;
  if (minBytes === 1) return hasSomethingToReturn(partitions);
  let bytes = 0;
  for (const r of partitions) {
    if (r.error !== 'NONE' || r.divergingEpoch !== undefined || r.preferredReadReplica !== undefined) return true;
    for (const b of r.records) bytes += b.sizeBytes;
  }
  return bytes >= minBytes;
}

/**
 * ListOffsets (KafkaApis.handleListOffsetRequest): earliest is the log start; latest is the HW for
 * read_uncommitted, and OFFSET_NOT_AVAILABLE while a new leader's HW is below its epoch start
 * (Partition.fetchOffsetForTimestamp).
 */
export function handleListOffsets(b: BrokerServices, partitions: ReadonlyMap<number, Partition>, msg: Envelope<ListOffsetsRequest>): void {
  const req = msg.body;
  const answers = req.partitions.map((lp) => {
    const base = { topic: lp.topic, partition: lp.partition, offset: -1, leaderEpoch: -1 };
    const found = ledPartition(b, partitions, lp.topic, lp.partition, lp.currentLeaderEpoch);
    if (typeof found === 'string') return { ...base, error: found };
    const p = found;
    if (lp.timestamp === EARLIEST_TIMESTAMP) return { ...base, error: 'NONE' as ErrorCode, offset: p.log.logStartOffset, leaderEpoch: p.leaderEpoch };
    if (p.log.highWatermark < p.leaderEpochStartOffset) return { ...base, error: 'OFFSET_NOT_AVAILABLE' as ErrorCode };
    return { ...base, error: 'NONE' as ErrorCode, offset: p.log.highWatermark, leaderEpoch: p.leaderEpoch };
  });
  b.ctx.reply(msg, { kind: 'list-offsets-response', correlationId: req.correlationId, partitions: answers });
}

/**
 * OffsetsForLeaderEpoch (KIP-320; KafkaApis.handleOffsetForLeaderEpochRequest →
 * Partition.lastOffsetForLeaderEpoch): where `leaderEpoch` ends in the leader's log, from its epoch
 * cache. A consumer asks it after a leader change to find out whether its position was truncated away.
 */
export function handleOffsetsForLeaderEpoch(b: BrokerServices, partitions: ReadonlyMap<number, Partition>, msg: Envelope<OffsetsForLeaderEpochRequest>): void {
  const answers = msg.body.partitions.map((rp) => {
    const base = { topic: rp.topic, partition: rp.partition, leaderEpoch: -1, endOffset: -1 };
    const found = ledPartition(b, partitions, rp.topic, rp.partition, rp.currentLeaderEpoch);
    if (typeof found === 'string') return { ...base, error: found };
    const eo = found.log.epochCache.endOffsetFor(rp.leaderEpoch, found.log.logEndOffset);
    return { ...base, error: 'NONE' as ErrorCode, leaderEpoch: eo.epoch, endOffset: eo.endOffset };
  });
  b.ctx.reply(msg, { kind: 'offsets-for-leader-epoch-response', correlationId: msg.body.correlationId, partitions: answers });
}

/** The partition this broker leads in the request's leader epoch, or why the request cannot have it. */
function ledPartition(b: BrokerServices, partitions: ReadonlyMap<number, Partition>, topic: string, partition: number, currentLeaderEpoch: number): Partition | ErrorCode {
  const idx = b.image.topics.get(topic)?.partitions[partition];
  if (idx === undefined) return 'UNKNOWN_TOPIC_OR_PARTITION';
  const p = partitions.get(idx);
  if (!p || !p.isLeader) return 'NOT_LEADER_OR_FOLLOWER';
  return leaderEpochError(p, currentLeaderEpoch) ?? p;
}

/** Metadata, answered from this broker's metadata cache (which may be stale). */
export function handleMetadataRequest(b: BrokerServices, msg: Envelope<MetadataRequest>): void {
  const req = msg.body;
  const image = b.image;
  const names = req.topics ?? [...image.topics.keys()].sort();
  const topics: MetadataTopic[] = names.map((name) => {
    const t = image.topics.get(name);
    if (!t) return { name, error: 'UNKNOWN_TOPIC_OR_PARTITION', partitions: [] };
    return {
      name, error: 'NONE',
      partitions: t.partitions.map((idx, partition) => {
        const reg = image.partition(idx)!;
        return {
          partition, error: (reg.leader === NO_LEADER ? 'LEADER_NOT_AVAILABLE' : 'NONE') as ErrorCode, leaderId: reg.leader,
          leaderEpoch: reg.leaderEpoch, replicas: [...reg.replicas], isr: [...reg.isr],
          offlineReplicas: reg.replicas.filter((r) => !image.isUnfenced(r)),
        };
      }),
    };
  });
  const brokers = [...image.brokers.values()].filter((r) => !r.fenced).map((r) => r.id).sort((x, y) => x - y);
  b.ctx.reply(msg, { kind: 'metadata-response', correlationId: req.correlationId, brokerId: b.id, brokers, controllerId: 'controller', topics });
}
