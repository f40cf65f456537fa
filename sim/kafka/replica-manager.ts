// A broker's replication state and the one owner of it (core/…/server/ReplicaManager.scala): the
// partitions this process holds, its follower fetchers, and the produce and fetch purgatories. Every
// request that reads or changes replicas comes in here: Produce, Fetch (from followers and
// consumers), ListOffsets, OffsetsForLeaderEpoch, fetch responses, AlterPartition answers, and the
// metadata changes that make this broker a partition's leader or follower (applyDelta).
//
// The rules live below, each in its own file: the high watermark (high-watermark.ts), the ISR and
// "caught up" (isr.ts), AlterPartition (alter-partition.ts), the append (produce.ts), the read
// (fetch-serve.ts), the purgatories (delayed-produce.ts, delayed-fetch.ts), the follower side
// (fetcher.ts), truncation (truncation.ts). None of them calls back up: what an append or an HW
// move makes completable is queued here (ActionQueue) and run when the handler's step is done.

import { ActionQueue } from './action-queue.ts';
import { applyAlterPartitionAnswer, dropPendingAfterError, submitAlterPartition } from './alter-partition.ts';
import type { BrokerServices } from './broker-services.ts';
import { FetchPurgatory, type FetchWakeReason, type ParkedFetch } from './delayed-fetch.ts';
import { ProducePurgatory, replyToProduce, type DelayedPart } from './delayed-produce.ts';
import { msToUs } from './effective-config.ts';
import { handleListOffsets, handleOffsetsForLeaderEpoch, hasMinBytesToReturn, hasSomethingToReturn, readPartition, type FollowerRead } from './fetch-serve.ts';
import { ReplicaFetcherManager } from './fetcher.ts';
import { maybeIncrementLeaderHW } from './high-watermark.ts';
import { maybeExpandIsr, maybeShrinkIsr, newFollowerState, resetFollowerState, updateFollowerFetchState } from './isr.ts';
import { ReplicaLog } from './log.ts';
import type { PartitionRegistration } from './metadata-image.ts';
import type { Envelope } from './network.ts';
import { Partition, type FollowerState } from './partition.ts';
import { appendToLeader } from './produce.ts';
import {
  NO_LEADER,
  type AlterPartitionResponse,
  type FetchPartition,
  type FetchPartitionResponse,
  type FetchRequest,
  type FetchResponse,
  type ListOffsetsRequest,
  type OffsetsForLeaderEpochRequest,
  type ProducePartitionResponse,
  type ProduceRequest,
} from './protocol.ts';
import { truncateLog } from './truncation.ts';

export class ReplicaManager {
  /** The partitions this process holds, by partition index; their logs are on `disk`. */
  readonly partitions = new Map<number, Partition>();
  private readonly fetchers: ReplicaFetcherManager;
  private readonly producePurgatory: ProducePurgatory;
  private readonly fetchPurgatory: FetchPurgatory;
  private readonly actions = new ActionQueue();
  /** What each partition read left for readStep (reused: read, then used at once). */
  private readonly followerRead: FollowerRead = { partition: undefined, follower: undefined };

  constructor(
    private readonly b: BrokerServices,
    /** The broker's replica logs by partition index: the disk, which outlives this process. */
    private readonly disk: Map<number, ReplicaLog>,
  ) {
    this.fetchers = new ReplicaFetcherManager(b, this.partitions, (idx) => {
      this.wakeFetches(idx, 'hw');
      this.actions.tryCompleteActions();
    });
    this.producePurgatory = new ProducePurgatory(b, this.partitions);
    this.fetchPurgatory = new FetchPurgatory(b.ctx);
  }

  /** ReplicaFetcherManager's MaxLag gauge: the largest lag among the partitions this broker fetches. */
  fetcherMaxLag(): number {
    return this.fetchers.maxLag();
  }

  // -- requests -----------------------------------------------------------------------------------

  /**
   * ReplicaManager.appendRecords: each partition's append, and what it completes (parked follower
   * fetches, then what an HW move completes) before the next; then the answer, or the produce
   * purgatory for acks=all records the HW has not passed yet.
   */
  handleProduce(msg: Envelope<ProduceRequest>): void {
    const req = msg.body;
    const results: ProducePartitionResponse[] = [];
    const waits = new Map<number, DelayedPart>();
    req.partitions.forEach((item, i) => {
      const r = appendToLeader(this.b, this.partitions, item.topic, item.partition, item.records, req.acks);
      results.push(r.response);
      // ReplicaManager.appendToLocalLog's BrokerTopicStats (processFailedRecord skips the known exceptions)
      const counts = this.b.topicCounts;
      const error = r.response.error;
      if (error === 'NONE') {
        counts.messagesIn += item.records.count;
        counts.bytesIn += item.records.sizeBytes;
      } else if (error !== 'NOT_LEADER_OR_FOLLOWER' && error !== 'UNKNOWN_TOPIC_OR_PARTITION') counts.failedProduceRequests++;
      const p = r.partition;
      if (p !== undefined && r.appended) {
        this.wakeFetches(p.idx, 'data');
        this.actions.tryCompleteActions();
        this.maybeIncrementLeaderHW(p);
        this.actions.tryCompleteActions();
      }
      if (req.acks === -1 && r.response.error === 'NONE' && p !== undefined && p.log.highWatermark < r.requiredOffset) {
        waits.set(i, { idx: p.idx, requiredOffset: r.requiredOffset, done: false });
      }
    });
    this.answerProduce(msg, results, waits);
  }

  private answerProduce(msg: Envelope<ProduceRequest>, results: ProducePartitionResponse[], waits: Map<number, DelayedPart>): void {
    if (msg.body.acks === 0) {
      // KafkaApis: no response to acks=0; a failed one closes the connection, so the client refreshes metadata
      if (results.some((r) => r.error !== 'NONE')) this.b.ctx.reply(msg, { kind: 'disconnect', correlationId: msg.body.correlationId });
      return;
    }
    if (waits.size === 0) return replyToProduce(this.b, msg, results);
    this.producePurgatory.watch(msg, results, waits);
  }

  /**
   * ReplicaManager.fetchMessages: each partition's read (a follower's also applies its fetch offset),
   * then the answer, or the fetch purgatory while there is nothing to return.
   */
  handleFetch(msg: Envelope<FetchRequest>): void {
    const follower = msg.body.replicaId >= 0;
    this.readAndAnswer(msg, follower, true);
    this.actions.tryCompleteActions();
  }

  /** Reads each partition of the fetch, its follow-ups before the next read, then answers or parks it. */
  private readAndAnswer(msg: Envelope<FetchRequest>, follower: boolean, mayPark: boolean): void {
    const n = msg.body.partitions.length;
    const read: FetchPartitionResponse[] = [];
    // runSteps' order, without making its closure while no step has queued follow-ups (the usual case)
    for (let i = 0; i <= n; i++) {
      if (this.actions.hasQueued()) {
        this.actions.runSteps(n + 1, (j) => this.fetchStep(msg, follower, mayPark, read, j), i);
        return;
      }
      this.fetchStep(msg, follower, mayPark, read, i);
    }
  }

  /** Step i of answering a fetch: read partition i, or, after the last, answer or park. */
  private fetchStep(msg: Envelope<FetchRequest>, follower: boolean, mayPark: boolean, read: FetchPartitionResponse[], i: number): void {
    const req = msg.body;
    if (i < req.partitions.length) this.readStep(req, req.partitions[i], follower, read);
    else if (!mayPark || req.maxWaitMs <= 0 || (follower ? hasSomethingToReturn(read) : hasMinBytesToReturn(read, req.minBytes))) this.respondToFetch(msg, read);
    else this.park(msg, follower);
  }

  private readStep(req: FetchRequest, fp: FetchPartition, follower: boolean, read: FetchPartitionResponse[]): void {
    const into = this.followerRead;
    read.push(readPartition(this.b, this.partitions, req, fp, follower, into));
    if (into.partition !== undefined && into.follower !== undefined) this.updateFollowerFetchState(into.partition, into.follower, fp.fetchOffset, req.replicaEpoch);
  }

  private park(msg: Envelope<FetchRequest>, follower: boolean): void {
    const idxs: number[] = [];
    for (const fp of msg.body.partitions) {
      const idx = this.b.cluster.names.find(fp.topic, fp.partition);
      if (idx >= 0) idxs.push(idx);
    }
    this.fetchPurgatory.park(msg, follower, idxs, msToUs(msg.body.maxWaitMs), this.expireFetch);
  }

  /** DelayedFetch.onExpiration: its maxWaitMs is up. */
  private readonly expireFetch = (pf: ParkedFetch): void => {
    if (this.fetchPurgatory.take(pf)) this.readAndAnswer(pf.msg, pf.follower, false);
    this.actions.tryCompleteActions();
  };

  /**
   * Partition.updateFollowerFetchState: the follower's fetch offset is its log end; it may join the
   * ISR, and the HW may move. (Kafka skips this for a fetch completed from the purgatory; the model
   * applies it again, with the same offset, as it always has: changing that changes most traces.)
   */
  private updateFollowerFetchState(p: Partition, f: FollowerState, fetchOffset: number, replicaEpoch: number): void {
    updateFollowerFetchState(f, fetchOffset, p.log.logEndOffset, this.b.now, replicaEpoch);
    maybeExpandIsr(this.b, this.partitions, p, f);
    this.maybeIncrementLeaderHW(p);
  }

  private respondToFetch(msg: Envelope<FetchRequest>, partitions: FetchPartitionResponse[]): void {
    this.b.ctx.reply(msg, { kind: 'fetch-response', correlationId: msg.body.correlationId, error: 'NONE', partitions });
  }

  /**
   * DelayedFetch.tryComplete then onComplete: read the partitions again and answer, unless already
   * answered; a consumer's fetch stays parked while fewer than its fetch.min.bytes are readable
   * (a consumer's read has no side effects, so it can be read to be checked).
   */
  private completeFetch(pf: ParkedFetch): void {
    const req = pf.msg.body;
    if (!pf.follower && req.minBytes > 1) {
      const into = this.followerRead;
      const read = req.partitions.map((fp) => readPartition(this.b, this.partitions, req, fp, false, into));
      if (!hasMinBytesToReturn(read, req.minBytes)) return;
    }
    if (this.fetchPurgatory.take(pf)) this.readAndAnswer(pf.msg, pf.follower, false);
  }

  handleListOffsets(msg: Envelope<ListOffsetsRequest>): void {
    handleListOffsets(this.b, this.partitions, msg);
  }

  handleOffsetsForLeaderEpoch(msg: Envelope<OffsetsForLeaderEpochRequest>): void {
    handleOffsetsForLeaderEpoch(this.b, this.partitions, msg);
  }

  // -- what waits for the HW ----------------------------------------------------------------------

  /** The HW rule; when it moved, the purgatories are checked once this step is done. */
  private maybeIncrementLeaderHW(p: Partition): void {
    if (maybeIncrementLeaderHW(this.b, p)) this.actions.add(() => this.tryCompleteDelayedRequests(p));
  }

  /** Partition.tryCompleteDelayedRequests: acks=all requests, then consumer fetches, of `p`. */
  private tryCompleteDelayedRequests(p: Partition): void {
    this.producePurgatory.checkAndComplete(p);
    this.wakeFetches(p.idx, 'hw');
  }

  /** Completes every parked fetch `why` may complete, in the order they were parked, each in turn. */
  private wakeFetches(idx: number, why: FetchWakeReason): void {
    const due = this.fetchPurgatory.due(idx, why);
    if (due.length > 0) this.actions.runSteps(due.length, (i) => this.completeFetch(due[i]));
  }

  // -- the follower side --------------------------------------------------------------------------

  onFetchResponse(msg: Envelope<FetchResponse>): void {
    this.fetchers.onFetchResponse(msg);
  }

  /** The leader's process died (a `disconnect`), or refused one fetch (`connection-refused`). */
  onConnectionLost(leaderId: number, refusedCorrelationId?: number): void {
    this.fetchers.onConnectionLost(leaderId, refusedCorrelationId);
  }

  // -- the ISR ------------------------------------------------------------------------------------

  /** The isr-expiration task. */
  maybeShrinkIsr(): void {
    maybeShrinkIsr(this.b, this.partitions);
  }

  /** Partition.handleAlterPartitionUpdate for each partition of the answer; a committed ISR may move the HW. */
  onAlterPartitionResponse(msg: Envelope<AlterPartitionResponse>): void {
    const resp = msg.body;
    if (resp.error === 'NOT_CONTROLLER') {
      // NodeToControllerChannelManager requeues it until the active controller answers: the change
      // stays pending and is sent again once the broker has heard from the quorum's leader
      this.awaitingController.add(resp.correlationId);
      return;
    }
    for (const item of resp.partitions) {
      const p = this.partitions.get(this.b.cluster.names.find(item.topic, item.partition));
      if (p === undefined || !applyAlterPartitionAnswer(p, resp, item)) continue;
      this.maybeIncrementLeaderHW(p);
      this.actions.tryCompleteActions();
      this.producePurgatory.checkAndComplete(p);
    }
    dropPendingAfterError(this.partitions, msg);
  }

  /** AlterPartitions a quorum voter answered NOT_CONTROLLER, by correlation id. */
  private readonly awaitingController = new Set<number>();

  /** The broker heard from the quorum's leader: what waited for the controller is sent to it now. */
  controllerFound(): void {
    if (this.awaitingController.size === 0) return;
    const ids = [...this.awaitingController].sort((a, b) => a - b);
    this.awaitingController.clear();
    for (const id of ids) {
      const items = [...this.partitions.values()].filter((p) => p.isLeader && p.pendingIsr?.correlationId === id);
      if (items.length === 0) continue;
      submitAlterPartition(this.b, this.partitions, items.map((p) => ({ p, isr: p.pendingIsr!.isr, expand: p.pendingIsr!.expand, recovery: p.pendingIsr!.leaderRecoveryState })), id);
    }
  }

  // -- becoming leader or follower (ReplicaManager.applyDelta) -------------------------------------

  /** Acts on the changed partitions of a metadata delta, one after the other (ascending indexes). */
  applyDelta(changed: readonly number[], bootstrap: boolean): void {
    const sorted = changed.length > 1 ? [...new Set(changed)].sort((x, y) => x - y) : changed;
    for (const idx of sorted) {
      this.applyPartition(idx, bootstrap);
      this.actions.tryCompleteActions();
    }
  }

  private applyPartition(idx: number, bootstrap: boolean): void {
    const b = this.b;
    const reg = b.image.partition(idx);
    if (!reg) return;
    let p = this.partitions.get(idx);
    if (!reg.replicas.includes(b.id)) {
      if (p) this.stopReplica(p);
      return;
    }
    if (!p) {
      let log = this.disk.get(idx);
      if (!log) {
        log = new ReplicaLog();
        this.disk.set(idx, log);
      }
      const names = b.cluster.names;
      p = new Partition(idx, names.topics[idx], names.partitions[idx], names.names[idx], log);
      this.partitions.set(idx, p);
    }
    if (reg.leader === b.id) {
      if (!p.isLeader || reg.leaderEpoch > p.leaderEpoch) this.makeLeader(p, reg);
      else if (reg.partitionEpoch > p.partitionEpoch) this.updateCommittedState(p, reg);
    } else if (p.isLeader || reg.leaderEpoch > p.leaderEpoch || p.leader !== reg.leader) {
      this.makeFollower(p, reg, bootstrap);
    } else if (reg.partitionEpoch > p.partitionEpoch) {
      this.updateCommittedState(p, reg);
    }
  }

  /** A newer partition epoch with the same leader and epoch: an ISR change this broker now learns. */
  private updateCommittedState(p: Partition, reg: PartitionRegistration): void {
    p.isr = [...reg.isr];
    const replicasChanged = !sameList(p.replicas, reg.replicas);
    p.replicas = [...reg.replicas];
    // a reassignment added replicas (KIP-455): the leader tracks them as followers from now on
    // (Partition.makeLeader → updateAssignmentAndIsr, with the leader epoch unchanged)
    if (p.isLeader && replicasChanged) {
      p.followers = p.replicas.filter((id) => id !== this.b.id).map((id) => p.follower(id) ?? newFollowerState(id));
    }
    p.partitionEpoch = reg.partitionEpoch;
    // a leader is RECOVERED locally whatever the registration says (Partition.makeLeader)
    p.leaderRecoveryState = p.isLeader ? 'RECOVERED' : reg.leaderRecoveryState;
    p.pendingIsr = null;
    if (!p.isLeader) return;
    this.maybeIncrementLeaderHW(p);
    this.actions.add(() => this.producePurgatory.checkAndComplete(p));
  }

  /**
   * Partition.makeLeader. After an unclean election (KIP-704) the registration says RECOVERING: the
   * leader marks itself RECOVERED locally (updateAssignmentAndIsr) and the controller learns it with
   * the leader's next AlterPartition (an ISR expansion or shrink), not from a request of its own.
   */
  private makeLeader(p: Partition, reg: PartitionRegistration): void {
    const b = this.b;
    const isNewLeader = !p.isLeader;
    const log = p.log;
    p.isLeader = true;
    applyRegistration(p, reg);
    p.leaderRecoveryState = 'RECOVERED';
    // the new epoch starts at the log end: the whole log is kept, even beyond the HW
    p.leaderEpochStartOffset = log.logEndOffset;
    log.epochCache.assign(reg.leaderEpoch, log.logEndOffset);
    const now = b.now;
    const followers: FollowerState[] = [];
    for (const id of p.replicas) {
      if (id === b.id) continue;
      const f = p.follower(id) ?? newFollowerState(id);
      resetFollowerState(f, now, log.logEndOffset, p.isr.includes(id), isNewLeader);
      followers.push(f);
    }
    p.followers = followers;
    this.fetchers.removePartition(p.idx);
    b.cluster.emit({ t: now, type: 'become-leader', broker: b.id, partition: p.name, epoch: p.leaderEpoch, leo: log.logEndOffset, hw: log.highWatermark });
    b.cluster.onLeadership?.(b.id, p.idx, p.leaderEpoch, true, log);
    this.wakeFetches(p.idx, 'leader');
    this.actions.add(() => this.maybeIncrementLeaderHW(p));
  }

  /** Partition.makeFollower, with the pre-0.11 truncation to the follower's own HW. */
  private makeFollower(p: Partition, reg: PartitionRegistration, bootstrap: boolean): void {
    const b = this.b;
    const wasLeader = p.isLeader;
    const leaderChanged = wasLeader || p.leader !== reg.leader || reg.leaderEpoch > p.leaderEpoch;
    p.isLeader = false;
    applyRegistration(p, reg);
    p.followers = [];
    if (wasLeader) {
      b.cluster.onLeadership?.(b.id, p.idx, p.leaderEpoch, false, p.log);
      this.producePurgatory.checkAndComplete(p);
    }
    this.wakeFetches(p.idx, 'leader');
    this.actions.add(() => {
      if (b.cluster.spec.replicationProtocol === 'high-watermark' && leaderChanged && !bootstrap) {
        // ReplicaManager.makeFollowers before 0.11: truncate to the local HW, then fetch from there
        truncateLog(b, p.idx, p.log, p, p.log.highWatermark, 'high-watermark');
      }
      b.cluster.emit({
        t: b.now, type: 'become-follower', broker: b.id, partition: p.name, leader: reg.leader === NO_LEADER ? null : reg.leader, epoch: p.leaderEpoch,
      });
      if (reg.leader === NO_LEADER) this.fetchers.removePartition(p.idx);
      else this.fetchers.addPartition(p, reg.leader);
    });
  }

  /**
   * The broker is no longer a replica of the partition (a reassignment removed it): it stops
   * fetching and deletes its log (ReplicaManager.applyDelta's deleted partitions, stopPartitions with
   * deletion), traced as `replica-deleted`.
   */
  private stopReplica(p: Partition): void {
    if (p.isLeader) {
      p.isLeader = false;
      this.b.cluster.onLeadership?.(this.b.id, p.idx, p.leaderEpoch, false, p.log);
      this.producePurgatory.checkAndComplete(p);
    }
    this.fetchers.removePartition(p.idx);
    this.partitions.delete(p.idx);
    this.disk.delete(p.idx);
    this.b.cluster.emit({ t: this.b.now, type: 'replica-deleted', broker: this.b.id, partition: p.name, leo: p.log.logEndOffset });
  }

  /** The process dies or stops: it leads nothing any more (its state goes with this object). */
  shutdown(): void {
    for (const p of this.partitions.values()) {
      if (p.isLeader) this.b.cluster.onLeadership?.(this.b.id, p.idx, p.leaderEpoch, false, p.log);
    }
  }
}

/** The registration's leader, epochs, ISR and replicas become the broker's view; no AlterPartition is pending. */
function applyRegistration(p: Partition, reg: PartitionRegistration): void {
  p.leader = reg.leader;
  p.leaderEpoch = reg.leaderEpoch;
  p.partitionEpoch = reg.partitionEpoch;
  p.isr = [...reg.isr];
  p.replicas = [...reg.replicas];
  p.leaderRecoveryState = reg.leaderRecoveryState;
  p.pendingIsr = null;
}

function sameList(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
