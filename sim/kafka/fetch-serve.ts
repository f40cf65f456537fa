// The leader's side of Fetch (ReplicaManager.fetchMessages, Partition.fetchRecords, DelayedFetch),
// plus the two other read requests a broker answers from its own state: ListOffsets and Metadata.
// Followers read to the log end (FetchIsolation.LOG_END), consumers to the HW. The response carries
// the HW read *before* the follower's fetch offset is applied, so followers learn the HW a round trip
// late. A fetch with nothing to return waits in the fetch purgatory up to maxWaitMs, until new data
// (followers) or a higher HW (consumers) or a leadership change completes it.

import type { EventId } from '../engine/index.ts';
import type { Broker } from './broker.ts';
import type { Envelope } from './network.ts';
import { updateFollowerFetchState } from './partition.ts';
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
} from './protocol.ts';
import { msToUs } from './effective-config.ts';
import { maybeExpandIsr, maybeIncrementLeaderHW } from './leader.ts';

export interface ParkedFetch {
  msg: Envelope<FetchRequest>;
  follower: boolean;
  /** The partition indexes the request reads (a few per request: an array beats a Set here). */
  idxs: number[];
  timer: EventId;
}

export function handleFetch(b: Broker, msg: Envelope<FetchRequest>): void {
  const req = msg.body;
  const follower = req.replicaId >= 0;
  if (!follower && !b.caughtUp) return;
  const read = readAll(b, req, follower);
  if (read.respondNow || req.maxWaitMs <= 0) return respond(b, msg, read.partitions);
  const idxs: number[] = [];
  for (const fp of req.partitions) {
    const idx = b.cluster.names.find(fp.topic, fp.partition);
    if (idx >= 0) idxs.push(idx);
  }
  const parked: ParkedFetch = { msg, follower, idxs, timer: 0 };
  parked.timer = b.ctx.after(msToUs(req.maxWaitMs), () => complete(b, parked));
  b.parkedFetches.push(parked);
}

/**
 * DelayedFetch.tryComplete: wake the parked fetches reading `idx` when it got new data (followers),
 * a higher HW (consumers), or a leadership change (both).
 */
export function wakeParkedFetches(b: Broker, idx: number, why: 'data' | 'hw' | 'leader'): void {
  if (b.parkedFetches.length === 0) return;
  // the due ones first, then each in turn: completing one may complete others (a follower's read
  // moves another partition's HW), so the list changes under the loop; complete() skips those
  const due = b.parkedFetches.filter((pf) => pf.idxs.includes(idx) && (why === 'leader' || pf.follower === (why === 'data')));
  for (const pf of due) complete(b, pf);
}

function complete(b: Broker, pf: ParkedFetch): void {
  const at = b.parkedFetches.indexOf(pf);
  if (at < 0) return;
  b.parkedFetches.splice(at, 1);
  b.ctx.cancel(pf.timer);
  respond(b, pf.msg, readAll(b, pf.msg.body, pf.follower).partitions);
}

function respond(b: Broker, msg: Envelope<FetchRequest>, partitions: FetchPartitionResponse[]): void {
  b.ctx.reply(msg, { kind: 'fetch-response', correlationId: msg.body.correlationId, error: 'NONE', partitions });
}

function readAll(b: Broker, req: FetchRequest, follower: boolean): { partitions: FetchPartitionResponse[]; respondNow: boolean } {
  const partitions: FetchPartitionResponse[] = [];
  let respondNow = false;
  for (const fp of req.partitions) {
    const r = readPartition(b, req, fp, follower);
    if (r.error !== 'NONE' || r.divergingEpoch !== undefined || r.records.length > 0) respondNow = true;
    partitions.push(r);
  }
  return { partitions, respondNow };
}

/** Partition.fetchRecords for one partition of a request. */
function readPartition(b: Broker, req: FetchRequest, fp: FetchPartition, follower: boolean): FetchPartitionResponse {
  const out: FetchPartitionResponse = {
    topic: fp.topic, partition: fp.partition, error: 'NONE', highWatermark: -1, logStartOffset: -1, records: [],
  };
  const idx = b.image.topics.get(fp.topic)?.partitions[fp.partition];
  if (idx === undefined) return failed(out, 'UNKNOWN_TOPIC_OR_PARTITION');
  const p = b.partitions.get(idx);
  if (!p || !p.isLeader) {
    const reg = b.image.partition(idx);
    if (reg && reg.leader !== NO_LEADER) out.currentLeader = { leaderId: reg.leader, leaderEpoch: reg.leaderEpoch };
    return failed(out, 'NOT_LEADER_OR_FOLLOWER');
  }
  // Partition.localLogWithEpochOrThrow: the fetcher's view of the epoch must be this leader's
  if (fp.currentLeaderEpoch >= 0 && fp.currentLeaderEpoch < p.leaderEpoch) return failed(out, 'FENCED_LEADER_EPOCH');
  if (fp.currentLeaderEpoch > p.leaderEpoch) return failed(out, 'UNKNOWN_LEADER_EPOCH');
  const f = follower ? p.follower(req.replicaId) : undefined;
  if (follower && !f) return failed(out, 'NOT_LEADER_OR_FOLLOWER');
  const log = p.log;
  out.highWatermark = log.highWatermark;
  out.logStartOffset = log.logStartOffset;
  if (follower) out.logEndOffset = log.logEndOffset;
  // Partition.readRecords: a follower whose last epoch or offset is off the leader's history diverges
  if (follower && fp.lastFetchedEpoch >= 0 && b.cluster.spec.replicationProtocol === 'leader-epoch') {
    const eo = log.epochCache.endOffsetFor(fp.lastFetchedEpoch, log.logEndOffset);
    if (eo.epoch < fp.lastFetchedEpoch || eo.endOffset < fp.fetchOffset) {
      out.divergingEpoch = eo;
      return out;
    }
  }
  if (fp.fetchOffset > log.logEndOffset || fp.fetchOffset < log.logStartOffset) return failed(out, 'OFFSET_OUT_OF_RANGE');
  const maxOffset = follower ? log.logEndOffset : log.highWatermark;
  if (fp.fetchOffset < maxOffset) out.records = log.read(fp.fetchOffset, maxOffset, fp.partitionMaxBytes);
  if (f) {
    updateFollowerFetchState(f, fp.fetchOffset, log.logEndOffset, b.now, req.replicaEpoch);
    maybeExpandIsr(b, p, f);
    maybeIncrementLeaderHW(b, p);
  }
  return out;
}

function failed(out: FetchPartitionResponse, error: ErrorCode): FetchPartitionResponse {
  out.error = error;
  return out;
}

/**
 * ListOffsets (KafkaApis.handleListOffsetRequest): earliest is the log start; latest is the HW for
 * read_uncommitted, and OFFSET_NOT_AVAILABLE while a new leader's HW is below its epoch start
 * (Partition.fetchOffsetForTimestamp).
 */
export function handleListOffsets(b: Broker, msg: Envelope<ListOffsetsRequest>): void {
  const req = msg.body;
  const partitions = req.partitions.map((lp) => {
    const base = { topic: lp.topic, partition: lp.partition, offset: -1, leaderEpoch: -1 };
    const idx = b.image.topics.get(lp.topic)?.partitions[lp.partition];
    if (idx === undefined) return { ...base, error: 'UNKNOWN_TOPIC_OR_PARTITION' as ErrorCode };
    const p = b.partitions.get(idx);
    if (!p || !p.isLeader) return { ...base, error: 'NOT_LEADER_OR_FOLLOWER' as ErrorCode };
    if (lp.currentLeaderEpoch >= 0 && lp.currentLeaderEpoch < p.leaderEpoch) return { ...base, error: 'FENCED_LEADER_EPOCH' as ErrorCode };
    if (lp.currentLeaderEpoch > p.leaderEpoch) return { ...base, error: 'UNKNOWN_LEADER_EPOCH' as ErrorCode };
    if (lp.timestamp === EARLIEST_TIMESTAMP) return { ...base, error: 'NONE' as ErrorCode, offset: p.log.logStartOffset, leaderEpoch: p.leaderEpoch };
    if (p.log.highWatermark < p.leaderEpochStartOffset) return { ...base, error: 'OFFSET_NOT_AVAILABLE' as ErrorCode };
    return { ...base, error: 'NONE' as ErrorCode, offset: p.log.highWatermark, leaderEpoch: p.leaderEpoch };
  });
  b.ctx.reply(msg, { kind: 'list-offsets-response', correlationId: req.correlationId, partitions });
}

/** Metadata, answered from this broker's metadata cache (which may be stale). */
export function handleMetadataRequest(b: Broker, msg: Envelope<MetadataRequest>): void {
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
