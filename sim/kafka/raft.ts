// One voter of the KRaft controller quorum (`controllers: N` > 1): the Raft of
// raft/…/KafkaRaftClient.java and its states (QuorumState.java: Unattached, Voted, Candidate,
// Leader, Follower, Resigned), replicating the __cluster_metadata log among controller-1 …
// controller-N.
//
// - A follower fetches the log from the leader; when no fetch has succeeded for
//   controller.quorum.fetch.timeout.ms it becomes a candidate: epoch + 1, a vote for itself, Vote
//   requests to the other voters. It wins with a majority; an election that times out
//   (controller.quorum.election.timeout.ms plus a random part of it, QuorumState.randomElectionTimeoutMs)
//   or is rejected by a majority backs off 100 ms × a random factor that doubles per retry, at most
//   controller.quorum.election.backoff.max.ms (binaryExponentialElectionBackoffMs), then stands again.
//   Every draw comes from the node's own seeded stream.
// - A voter grants one vote per epoch, to a candidate whose log is at least as up to date as its own.
// - The leader appends a LeaderChange record in its epoch; the high watermark is the largest offset a
//   majority has, once it lies in the leader's epoch. When the LeaderChange is committed the leader
//   tells its listener (maybeFireLeaderChange): the QuorumController on the node becomes active.
// - A leader that has not heard a fetch from a majority for 1.5 × fetch timeout resigns (check quorum,
//   LeaderState.timeUntilCheckQuorumExpires); a resigned node stands again after an election timeout.
// - Brokers are observers: their metadata fetches go to the leader, and a voter that does not lead
//   answers NOT_LEADER_OR_FOLLOWER with the leader it knows (or none), as KafkaRaftClient does.
// Not modelled: pre-vote (KIP-996, 4.0), EndQuorumEpoch on resignation, snapshots, reconfiguration.

import type { EventId } from '../engine/index.ts';
import type { Rng } from '../engine/index.ts';
import type { Cluster } from './cluster.ts';
import { configNumber } from './config.ts';
import type { MetadataLogPort } from './controller.ts';
import { msToUs } from './effective-config.ts';
import type { Envelope, NodeContext } from './network.ts';
import type {
  BeginQuorumEpochRequest,
  MetadataFetchRequest,
  MetadataRecord,
  QuorumFetchRequest,
  QuorumFetchResponse,
  VoteRequest,
  VoteResponse,
} from './protocol.ts';

export type QuorumRole = 'unattached' | 'voted' | 'candidate' | 'leader' | 'follower' | 'resigned';

/** KafkaRaftClient.RETRY_BACKOFF_BASE_MS: the unit of the election backoff. */
const RETRY_BACKOFF_BASE_US = 100_000;
/** KafkaRaftClient's MAX_FETCH_WAIT_MS: how long the leader holds a fetch with nothing new. */
const MAX_FETCH_WAIT_MS = 500;
/** LeaderState.CHECK_QUORUM_TIMEOUT_FACTOR. */
const CHECK_QUORUM_FACTOR = 1.5;

export function controllerName(id: number): string {
  return `controller-${id}`;
}

/** What the node tells the quorum around it (controller-quorum.ts): the QuorumController's side. */
export interface RaftListener {
  /** This node leads and its epoch's first record is committed: its controller may become active. */
  leaderReady(node: RaftNode): void;
  /** This node stopped leading (resigned, or learnt of a newer epoch). */
  leadershipLost(node: RaftNode, reason: string): void;
  /** The high watermark moved on the leader. */
  committedTo(node: RaftNode): void;
}

interface Parked {
  msg: Envelope<QuorumFetchRequest> | Envelope<MetadataFetchRequest>;
  timer: EventId;
}

export class RaftNode implements MetadataLogPort {
  readonly records: MetadataRecord[] = [];
  /** The quorum epoch of each record. */
  readonly epochs: number[] = [];
  role: QuorumRole = 'unattached';
  epoch = 0;
  votedFor = -1;
  leaderId = -1;
  /** Records committed (the high watermark, an offset). */
  highWatermark = 0;
  readonly name: string;
  readonly ctx: NodeContext;
  private readonly rng: Rng;
  private stateTimer: EventId = 0;
  // leader
  private readonly endOffsets = new Map<number, number>();
  private readonly fetchedSinceCheck = new Set<number>();
  private epochStartOffset = -1;
  private fired = false;
  private checkTimer: EventId = 0;
  private parked: Parked[] = [];
  private wakeScheduled = false;
  private waiters: { offset: number; fn: () => void }[] = [];
  // candidate
  private granted = new Set<number>();
  private rejected = new Set<number>();
  private retries = 0;
  private backingOff = false;
  // follower
  private fetchInFlight = 0;
  private fetchTimer: EventId = 0;
  private nextCorrelation = 1;

  constructor(
    private readonly cluster: Cluster,
    readonly id: number,
    readonly voters: readonly number[],
    private readonly listener: RaftListener,
    handler: (node: RaftNode, msg: Envelope) => void,
  ) {
    this.name = controllerName(id);
    this.ctx = cluster.network.attach(this.name, (msg) => handler(this, msg));
    this.rng = this.ctx.rng(`quorum:${this.name}`);
  }

  private num(name: string): number {
    return configNumber('broker', name, this.cluster.spec.brokerConfig);
  }

  private get majority(): number {
    return Math.floor(this.voters.length / 2) + 1;
  }

  private get fetchTimeoutUs(): number {
    return msToUs(this.num('controller.quorum.fetch.timeout.ms'));
  }

  /** QuorumState.randomElectionTimeoutMs: the timeout plus a random part of it. */
  private randomElectionTimeoutUs(): number {
    const t = this.num('controller.quorum.election.timeout.ms');
    return msToUs(t === 0 ? 0 : t + this.rng.int(t));
  }

  private lastEpoch(): number {
    return this.epochs.length === 0 ? 0 : this.epochs[this.epochs.length - 1];
  }

  // -- bootstrap and process lifecycle -----------------------------------------------------------

  /** While the cluster is set up at t=0, what the leader appends counts as committed at once. */
  private bootstrapping = false;

  /** The quorum as it stands at t=0: this node was elected in epoch 1; `setUp` writes the initial metadata. */
  bootstrapAsLeader(setUp: () => void): void {
    this.epoch = 1;
    this.votedFor = this.id;
    this.becomeLeaderState();
    this.bootstrapping = true;
    setUp();
    this.bootstrapping = false;
    this.highWatermark = this.records.length;
    this.fired = true;
  }

  /**
   * A follower at t=0, with the leader's log (all committed). The voters started at different
   * moments before t=0, so each one's fetch cycle has its own phase within the leader's wait.
   */
  bootstrapAsFollower(leader: RaftNode): void {
    this.records.push(...leader.records);
    this.epochs.push(...leader.epochs);
    this.highWatermark = this.records.length;
    this.votedFor = leader.id;
    this.phaseUs = 1 + this.rng.int(msToUs(MAX_FETCH_WAIT_MS));
    this.becomeFollower(1, leader.id);
    this.phaseUs = 0;
  }

  /** At bootstrap: how long after t=0 the follower's fetch cycle starts. */
  private phaseUs = 0;

  /** The process died: memory state is gone (epoch, vote and log are on disk: quorum-state, the log). */
  crashed(): void {
    this.parked = [];
    this.waiters = [];
    this.wakeScheduled = false;
    this.fetchInFlight = 0;
    this.stateTimer = 0;
    this.checkTimer = 0;
    this.fetchTimer = 0;
    const wasLeader = this.role === 'leader';
    this.role = 'unattached';
    if (wasLeader) this.listener.leadershipLost(this, 'crashed');
  }

  /**
   * A new process (QuorumState.initialize): the stored election says who led the stored epoch; a
   * node that led it comes back resigned, one that followed goes back to following, else unattached.
   * The high watermark is learnt again from the leader.
   */
  restarted(): void {
    this.highWatermark = 0;
    if (this.leaderId === this.id) {
      this.role = 'resigned';
      this.setStateTimer(this.randomElectionTimeoutUs(), () => this.becomeCandidate());
    } else if (this.leaderId > 0) this.becomeFollower(this.epoch, this.leaderId);
    else this.becomeUnattached(this.epoch);
  }

  // -- state transitions ---------------------------------------------------------------------------

  private setStateTimer(delayUs: number, fn: () => void): void {
    this.ctx.cancel(this.stateTimer);
    this.stateTimer = this.ctx.after(delayUs, () => {
      this.stateTimer = 0;
      fn();
    });
  }

  private leaveRole(): void {
    const wasLeader = this.role === 'leader';
    this.ctx.cancel(this.checkTimer);
    this.checkTimer = 0;
    this.ctx.cancel(this.fetchTimer);
    this.fetchTimer = 0;
    this.fetchInFlight = 0;
    this.backingOff = false;
    if (wasLeader) {
      // parked observer fetches are answered (NOT_LEADER) so brokers look for the new leader
      const parked = this.parked;
      this.parked = [];
      for (const p of parked) {
        this.ctx.cancel(p.timer);
        this.answer(p.msg);
      }
      this.waiters = [];
      this.fired = false;
    }
  }

  /** A newer epoch without a known leader (a Vote from a candidate, a response). */
  private becomeUnattached(epoch: number): void {
    const wasLeader = this.role === 'leader';
    this.leaveRole();
    this.role = 'unattached';
    this.epoch = epoch;
    this.votedFor = -1;
    this.leaderId = -1;
    if (wasLeader) this.listener.leadershipLost(this, 'newer-epoch');
    this.setStateTimer(this.randomElectionTimeoutUs(), () => this.becomeCandidate());
  }

  private becomeFollower(epoch: number, leaderId: number): void {
    const wasLeader = this.role === 'leader';
    this.leaveRole();
    this.role = 'follower';
    if (epoch > this.epoch) this.votedFor = -1;
    this.epoch = epoch;
    this.leaderId = leaderId;
    this.retries = 0;
    if (wasLeader) this.listener.leadershipLost(this, 'newer-epoch');
    this.cluster.emit({ t: this.ctx.now, type: 'quorum-follower', node: this.name, epoch, leader: controllerName(leaderId) });
    if (this.phaseUs > 0) {
      this.setStateTimer(this.phaseUs + this.fetchTimeoutUs, () => {
        if (this.role === 'follower') this.becomeCandidate();
      });
      this.ctx.after(this.phaseUs, () => this.sendFetch());
      return;
    }
    this.resetFetchTimeout();
    this.sendFetch();
  }

  private resetFetchTimeout(): void {
    this.setStateTimer(this.fetchTimeoutUs, () => {
      if (this.role === 'follower') this.becomeCandidate();
    });
  }

  /** transitionToCandidate: a new epoch, a vote for itself, Vote requests to every other voter. */
  private becomeCandidate(): void {
    const retries = this.role === 'candidate' ? this.retries + 1 : 1;
    this.leaveRole();
    this.role = 'candidate';
    this.retries = retries;
    this.epoch++;
    this.votedFor = this.id;
    this.leaderId = -1;
    this.granted = new Set([this.id]);
    this.rejected = new Set();
    const timeoutUs = this.randomElectionTimeoutUs();
    this.cluster.emit({ t: this.ctx.now, type: 'quorum-election', node: this.name, epoch: this.epoch, retries, timeoutUs });
    if (this.maybeBecomeLeader()) return;
    this.setStateTimer(timeoutUs, () => this.startBackoff());
    for (const v of this.voters) {
      if (v === this.id) continue;
      this.ctx.send(controllerName(v), {
        kind: 'vote', correlationId: this.nextCorrelation++, candidateId: this.id, candidateEpoch: this.epoch,
        lastOffsetEpoch: this.lastEpoch(), lastOffset: this.records.length,
      });
    }
  }

  /** The election timed out or a majority rejected it: back off, then stand again. */
  private startBackoff(): void {
    if (this.role !== 'candidate' || this.backingOff) return;
    this.backingOff = true;
    const max = msToUs(this.num('controller.quorum.election.backoff.max.ms'));
    const factor = this.rng.int(2 << Math.min(20, this.retries - 1));
    const backoffUs = Math.min(RETRY_BACKOFF_BASE_US * factor, max);
    this.setStateTimer(backoffUs, () => {
      if (this.role === 'candidate') this.becomeCandidate();
    });
  }

  private maybeBecomeLeader(): boolean {
    if (this.role !== 'candidate' || this.granted.size < this.majority) return false;
    this.leaveRole();
    this.becomeLeaderState();
    return true;
  }

  /** transitionToLeader: the LeaderChange record opens the epoch; BeginQuorumEpoch to every voter. */
  private becomeLeaderState(): void {
    this.role = 'leader';
    this.leaderId = this.id;
    this.retries = 0;
    this.ctx.cancel(this.stateTimer);
    this.stateTimer = 0;
    this.endOffsets.clear();
    this.fetchedSinceCheck.clear();
    this.fired = false;
    this.epochStartOffset = this.records.length;
    this.records.push({ type: 'leader-change', leaderId: this.id, epoch: this.epoch });
    this.epochs.push(this.epoch);
    this.cluster.emit({ t: this.ctx.now, type: 'quorum-leader', node: this.name, epoch: this.epoch });
    this.resetCheckQuorum();
    this.sendBeginQuorumEpoch();
    this.maybeAdvanceHighWatermark();
  }

  private sendBeginQuorumEpoch(): void {
    for (const v of this.voters) {
      if (v === this.id || this.endOffsets.has(v)) continue;
      this.ctx.send(controllerName(v), { kind: 'begin-quorum-epoch', correlationId: this.nextCorrelation++, leaderId: this.id, leaderEpoch: this.epoch });
    }
    // LeaderState.beginQuorumEpochTimeoutMs (fetch timeout / 2): again to voters not fetching yet
    const epoch = this.epoch;
    this.ctx.after(this.fetchTimeoutUs / 2, () => {
      if (this.role === 'leader' && this.epoch === epoch) this.sendBeginQuorumEpoch();
    });
  }

  private resetCheckQuorum(): void {
    this.fetchedSinceCheck.clear();
    this.ctx.cancel(this.checkTimer);
    this.checkTimer = this.ctx.after(Math.floor(this.fetchTimeoutUs * CHECK_QUORUM_FACTOR), () => {
      this.checkTimer = 0;
      if (this.role === 'leader') this.resign();
    });
  }

  /** Check quorum failed: no fetch from a majority in 1.5 × fetch timeout (pollLeader → transitionToResigned). */
  private resign(): void {
    this.leaveRole();
    this.role = 'resigned';
    this.cluster.emit({ t: this.ctx.now, type: 'quorum-resigned', node: this.name, epoch: this.epoch, reason: 'check-quorum' });
    this.listener.leadershipLost(this, 'check-quorum');
    this.setStateTimer(this.randomElectionTimeoutUs(), () => this.becomeCandidate());
  }

  /** Any message with a newer epoch moves this node to it (KafkaRaftClient.maybeTransition). */
  private observeEpoch(epoch: number, leaderId: number): boolean {
    if (epoch < this.epoch) return false;
    if (epoch > this.epoch) {
      if (leaderId > 0 && leaderId !== this.id) this.becomeFollower(epoch, leaderId);
      else this.becomeUnattached(epoch);
      return true;
    }
    if (leaderId > 0 && leaderId !== this.id && this.role !== 'follower') {
      this.becomeFollower(epoch, leaderId);
      return true;
    }
    return false;
  }

  // -- messages ------------------------------------------------------------------------------------

  handleRaft(msg: Envelope): void {
    switch (msg.body.kind) {
      case 'vote':
        return this.onVote(msg as Envelope<VoteRequest>);
      case 'vote-response':
        return this.onVoteResponse(msg as Envelope<VoteResponse>);
      case 'begin-quorum-epoch':
        return this.onBeginQuorumEpoch(msg as Envelope<BeginQuorumEpochRequest>);
      case 'quorum-fetch':
        return this.onFetch(msg as Envelope<QuorumFetchRequest>);
      case 'quorum-fetch-response':
        return this.onFetchResponse(msg as Envelope<QuorumFetchResponse>);
      case 'metadata-fetch':
        return this.onObserverFetch(msg as Envelope<MetadataFetchRequest>);
      default:
        return;
    }
  }

  /** handleVoteRequest: one vote per epoch, to a log at least as up to date as this one. */
  private onVote(msg: Envelope<VoteRequest>): void {
    const req = msg.body;
    if (req.candidateEpoch > this.epoch) this.becomeUnattached(req.candidateEpoch);
    let granted = false;
    if (req.candidateEpoch === this.epoch) {
      const upToDate = req.lastOffsetEpoch > this.lastEpoch() || (req.lastOffsetEpoch === this.lastEpoch() && req.lastOffset >= this.records.length);
      const free = this.role === 'unattached' || (this.role === 'voted' && this.votedFor === req.candidateId);
      granted = free && upToDate;
      if (granted && this.role === 'unattached') {
        this.role = 'voted';
        this.votedFor = req.candidateId;
        this.setStateTimer(this.randomElectionTimeoutUs(), () => this.becomeCandidate());
      }
    }
    this.ctx.reply(msg, { kind: 'vote-response', correlationId: req.correlationId, epoch: this.epoch, voteGranted: granted, leaderId: this.leaderId });
  }

  private onVoteResponse(msg: Envelope<VoteResponse>): void {
    const resp = msg.body;
    if (this.observeEpoch(resp.epoch, resp.leaderId)) return;
    if (this.role !== 'candidate' || resp.epoch !== this.epoch) return;
    const voter = voterId(msg.from);
    if (resp.voteGranted) {
      this.granted.add(voter);
      this.maybeBecomeLeader();
      return;
    }
    this.rejected.add(voter);
    // a majority can no longer be reached: back off at once rather than wait out the election
    if (this.voters.length - this.rejected.size < this.majority) this.startBackoff();
  }

  private onBeginQuorumEpoch(msg: Envelope<BeginQuorumEpochRequest>): void {
    const req = msg.body;
    if (req.leaderEpoch < this.epoch || req.leaderId === this.id) return;
    if (req.leaderEpoch > this.epoch || this.role !== 'follower' || this.leaderId !== req.leaderId) this.becomeFollower(req.leaderEpoch, req.leaderId);
    else this.resetFetchTimeout();
  }

  // -- replication: the follower side --------------------------------------------------------------

  private sendFetch(): void {
    if (this.role !== 'follower' || this.fetchInFlight !== 0) return;
    const correlationId = this.nextCorrelation++;
    this.fetchInFlight = correlationId;
    this.ctx.send(controllerName(this.leaderId), {
      kind: 'quorum-fetch', correlationId, replicaId: this.id, epoch: this.epoch, fetchOffset: this.records.length,
      lastFetchedEpoch: this.lastEpoch(), maxWaitMs: MAX_FETCH_WAIT_MS,
    }, { quiet: true });
    // an unanswered fetch is sent again after controller.quorum.request.timeout.ms
    this.ctx.cancel(this.fetchTimer);
    this.fetchTimer = this.ctx.after(msToUs(this.num('controller.quorum.request.timeout.ms')), () => {
      this.fetchTimer = 0;
      if (this.fetchInFlight !== correlationId) return;
      this.fetchInFlight = 0;
      this.sendFetch();
    });
  }

  private onFetchResponse(msg: Envelope<QuorumFetchResponse>): void {
    const resp = msg.body;
    if (resp.correlationId !== this.fetchInFlight) return;
    this.fetchInFlight = 0;
    this.ctx.cancel(this.fetchTimer);
    this.fetchTimer = 0;
    this.cluster.record({ t: this.ctx.now, type: 'rt', k: 'quorum-fetch', f: this.name, to: msg.from, s: msg.requestSentAt, a: msg.requestDeliverAt, r: msg.sentAt });
    if (this.observeEpoch(resp.epoch, resp.leaderId)) return;
    if (this.role !== 'follower') return;
    if (resp.error !== 'NONE') {
      this.ctx.after(msToUs(this.num('controller.quorum.retry.backoff.ms')), () => this.sendFetch());
      return;
    }
    this.resetFetchTimeout();
    if (resp.divergingEndOffset !== undefined) {
      // the leader's log diverges from ours past this offset: truncate, fetch again
      this.records.length = Math.min(this.records.length, resp.divergingEndOffset);
      this.epochs.length = this.records.length;
    } else {
      for (let i = 0; i < resp.records.length; i++) {
        const offset = resp.baseOffset + i;
        if (offset < this.records.length) continue;
        this.records.push(resp.records[i]);
        this.epochs.push(resp.epochs[i]);
      }
    }
    this.highWatermark = Math.max(this.highWatermark, Math.min(resp.highWatermark, this.records.length));
    this.sendFetch();
  }

  // -- replication: the leader side ----------------------------------------------------------------

  /** The offset where `epoch` ends in this log: the start of the first later epoch, or the log end. */
  private endOffsetFor(epoch: number): { epoch: number; endOffset: number } {
    let largest = -1;
    for (let i = 0; i < this.epochs.length; i++) {
      if (this.epochs[i] > epoch) return { epoch: largest, endOffset: i };
      largest = this.epochs[i];
    }
    return { epoch: largest, endOffset: this.epochs.length };
  }

  private onFetch(msg: Envelope<QuorumFetchRequest>): void {
    const req = msg.body;
    if (req.epoch > this.epoch) this.observeEpoch(req.epoch, -1);
    if (this.role !== 'leader' || req.epoch < this.epoch) return this.answer(msg);
    this.fetchedSinceCheck.add(req.replicaId);
    if (this.fetchedSinceCheck.size + 1 >= this.majority) this.resetCheckQuorum();
    const diverging = req.fetchOffset > 0 ? this.endOffsetFor(req.lastFetchedEpoch) : undefined;
    if (diverging && (diverging.endOffset < req.fetchOffset || diverging.epoch !== req.lastFetchedEpoch)) {
      return this.answer(msg, Math.min(diverging.endOffset, req.fetchOffset));
    }
    this.endOffsets.set(req.replicaId, req.fetchOffset);
    this.maybeAdvanceHighWatermark();
    if (req.fetchOffset < this.records.length) return this.answer(msg);
    this.park(msg, req.maxWaitMs);
  }

  /** Observers (brokers) read the committed log from the leader; other voters say who leads. */
  private onObserverFetch(msg: Envelope<MetadataFetchRequest>): void {
    if (this.role !== 'leader' || msg.body.fetchOffset < this.highWatermark) return this.answer(msg);
    this.park(msg, msg.body.maxWaitMs);
  }

  private park(msg: Parked['msg'], maxWaitMs: number): void {
    const parked: Parked = { msg, timer: 0 };
    parked.timer = this.ctx.after(msToUs(maxWaitMs), () => {
      this.parked = this.parked.filter((p) => p !== parked);
      this.answer(msg);
    });
    this.parked.push(parked);
  }

  /** Answers a fetch from what this node holds now (a voter's from the log end, an observer's to the HW). */
  private answer(msg: Parked['msg'], divergingEndOffset?: number): void {
    const leads = this.role === 'leader';
    if (msg.body.kind === 'metadata-fetch') {
      const from = Math.max(0, msg.body.fetchOffset);
      this.ctx.reply(msg, {
        kind: 'metadata-fetch-response', correlationId: msg.body.correlationId, error: leads ? 'NONE' : 'NOT_LEADER_OR_FOLLOWER',
        baseOffset: from, records: leads ? this.records.slice(from, this.highWatermark) : [], leaderId: this.leaderId, leaderEpoch: this.epoch,
      });
      return;
    }
    const req = msg.body;
    const ok = leads && req.epoch === this.epoch;
    const from = req.fetchOffset;
    this.ctx.reply(msg, {
      kind: 'quorum-fetch-response', correlationId: req.correlationId, error: ok ? 'NONE' : req.epoch < this.epoch ? 'FENCED_LEADER_EPOCH' : 'NOT_LEADER_OR_FOLLOWER',
      epoch: this.epoch, leaderId: this.leaderId, highWatermark: this.highWatermark, baseOffset: from,
      records: ok && divergingEndOffset === undefined ? this.records.slice(from) : [],
      epochs: ok && divergingEndOffset === undefined ? this.epochs.slice(from) : [],
      ...(ok && divergingEndOffset !== undefined ? { divergingEndOffset } : {}),
    });
  }

  /** New records or a new HW: parked fetches are answered once the current event is over. */
  private wakeParked(): void {
    if (this.parked.length === 0 || this.wakeScheduled) return;
    this.wakeScheduled = true;
    this.ctx.after(0, () => {
      this.wakeScheduled = false;
      const waiting = this.parked;
      this.parked = [];
      for (const p of waiting) {
        // an observer at the HW keeps waiting for the HW, not for the log end
        if (p.msg.body.kind === 'metadata-fetch' && p.msg.body.fetchOffset >= this.highWatermark) {
          this.parked.push(p);
          continue;
        }
        this.ctx.cancel(p.timer);
        this.answer(p.msg);
      }
    });
  }

  /** LeaderState.maybeUpdateHighWatermark: the majority's offset, once it lies in this epoch. */
  private maybeAdvanceHighWatermark(): void {
    if (this.role !== 'leader') return;
    const ends = this.voters.map((v) => (v === this.id ? this.records.length : (this.endOffsets.get(v) ?? 0))).sort((a, b) => b - a);
    const candidate = ends[this.majority - 1];
    if (candidate <= this.highWatermark || candidate <= this.epochStartOffset) return;
    this.highWatermark = candidate;
    this.wakeParked();
    if (!this.fired) {
      this.fired = true;
      this.listener.leaderReady(this);
    }
    const due = this.waiters.filter((w) => w.offset <= this.highWatermark);
    if (due.length > 0) {
      this.waiters = this.waiters.filter((w) => w.offset > this.highWatermark);
      for (const w of due) w.fn();
    }
    this.listener.committedTo(this);
  }

  // -- MetadataLogPort: the active controller's writes ------------------------------------------------

  append(records: MetadataRecord[]): void {
    if (this.role !== 'leader') return;
    for (const r of records) {
      this.records.push(r);
      this.epochs.push(this.epoch);
    }
    if (this.bootstrapping) {
      this.highWatermark = this.records.length;
      return;
    }
    this.wakeParked();
    this.maybeAdvanceHighWatermark();
  }

  whenCommitted(fn: () => void): void {
    if (this.bootstrapping || this.highWatermark >= this.records.length) return fn();
    if (this.role === 'leader') this.waiters.push({ offset: this.records.length, fn });
  }
}

function voterId(name: unknown): number {
  const m = /^controller-(\d+)$/.exec(String(name));
  return m ? Number(m[1]) : -1;
}
