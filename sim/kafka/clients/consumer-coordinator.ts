// The member side of the classic group protocol (AbstractCoordinator, ConsumerCoordinator): find
// the coordinator, join and sync, heartbeat, commit offsets. It talks to the coordinator over its own
// connection (Kafka keeps the coordinator connection apart from the fetch connections).
//
// Rules kept:
// - the coordinator is looked up with FindCoordinator on any broker; NOT_COORDINATOR,
//   COORDINATOR_NOT_AVAILABLE, a timeout or a silent session (no heartbeat answer within
//   session.timeout.ms) mark it unknown and it is looked up again (markCoordinatorUnknown);
// - before (re)joining, auto-commit commits every consumed position and waits for the answer
//   (onJoinPrepare, the "commit on revoke"); the eager protocol then revokes everything, the
//   cooperative one keeps its partitions and consuming them through the rebalance;
// - MEMBER_ID_REQUIRED gives the member its id, and it joins again at once (KIP-394);
// - the leader runs the group's assignor over its metadata and sends everyone's assignment in SyncGroup;
// - heartbeats every heartbeat.interval.ms once joined; REBALANCE_IN_PROGRESS makes the member
//   rejoin keeping its generation; ILLEGAL_GENERATION or UNKNOWN_MEMBER_ID reset it, and its
//   partitions are lost without a commit (onPartitionsLost);
// - cooperative: partitions the new assignment no longer holds are revoked, and the member rejoins
//   at once so they can move (KIP-429);
// - auto-commit every auto.commit.interval.ms while the group is stable.

import type { Envelope, NodeContext } from '../network.ts';
import type { TopicPartitionRef } from '../protocol.ts';
import type { EventOf, KafkaTraceEvent } from '../trace-events.ts';

/** The events a consumer's coordinator writes, each with its client and group. */
type CoordinatorEventType = 'rejoin-requested' | 'coordinator-found' | 'coordinator-lost' | 'join-group' | 'join-failed' | 'assignment' | 'generation-reset' | 'commit-failed' | 'poll-timeout';
import { ASSIGNORS, rebalanceProtocolOf, type RebalanceProtocol } from './assignors.ts';
import type { ConsumerSettings } from './consumer-config.ts';
import { JOIN_GROUP_TIMEOUT_LAPSE_MS } from './consumer-config.ts';
import type {
  CommittedOffset, FindCoordinatorResponse, HeartbeatResponse, JoinGroupResponse, OffsetCommitResponse,
  OffsetFetchResponse, SyncGroupResponse,
} from './group-protocol.ts';
import { NO_GENERATION, UNKNOWN_MEMBER_ID, compareTopicPartitions, tpKey } from './group-protocol.ts';
import type { MetadataCache } from './metadata-cache.ts';
import { NetworkClient } from './network-client.ts';
import type { SubscriptionState } from './subscription-state.ts';

export type MemberState = 'UNJOINED' | 'PREPARING_REBALANCE' | 'COMPLETING_REBALANCE' | 'STABLE';

/** What the coordinator needs from its consumer. */
export interface CoordinatorHost {
  readonly ctx: NodeContext;
  readonly clientId: string;
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly settings: ConsumerSettings;
  readonly subscriptions: SubscriptionState;
  readonly metadata: MetadataCache;
  /** A broker for FindCoordinator (leastLoadedNode over the fetch connections), or −1. */
  pickNode(): number;
  /** The assignment changed: partitions added and removed (revoked or lost). */
  assignmentChanged(added: TopicPartitionRef[], removed: TopicPartitionRef[], how: 'assigned' | 'revoked' | 'lost'): void;
  /** Something happened that may let the consumer make progress: run its poll loop. */
  wake(atUs: number): void;
  /** poll() threw an exception the application does not survive. */
  fatal(error: string): void;
  /** The application thread is outside poll() (processing its records, or in commitSync). */
  applicationBusy(): boolean;
  /** An OffsetCommit of these offsets succeeded (for the ledger). */
  offsetsCommitted(offsets: readonly { topic: string; partition: number; offset: number }[], why: string): void;
}

const NEVER = Number.MAX_SAFE_INTEGER;

/** KafkaConsumer.DEFAULT_CLOSE_TIMEOUT_MS: how long close() tries to commit. */
const CLOSE_TIMEOUT_US = 30_000_000;

/** How an OffsetCommit ended: committed, failed with a RetriableException, or failed for good. */
export type CommitOutcome = 'ok' | 'retriable' | 'failed';

/** OffsetCommitResponseHandler: the errors that fail a commit with a RetriableException. */
const RETRIABLE_COMMIT_ERRORS: ReadonlySet<string> = new Set(['COORDINATOR_LOAD_IN_PROGRESS', 'UNKNOWN_TOPIC_OR_PARTITION', 'COORDINATOR_NOT_AVAILABLE', 'NOT_COORDINATOR', 'REQUEST_TIMED_OUT']);

export class ConsumerCoordinator {
  coordinator = -1;
  state: MemberState = 'UNJOINED';
  generation = NO_GENERATION;
  memberId = UNKNOWN_MEMBER_ID;
  protocol: string | null = null;
  private rejoinNeeded = true;
  readonly rebalanceProtocol: RebalanceProtocol;
  private readonly client: NetworkClient;
  private lookupInFlight = false;
  private lookupNotBeforeUs = 0;
  private joinPrepareInFlight = false;
  /** While the commit before a rebalance is being retried: until when (the rebalance timeout), else −1. */
  private joinPrepareDeadlineUs = -1;
  /** The next attempt of that commit. */
  private joinPrepareRetryUs = 0;
  private heartbeatTimer = 0;
  private heartbeatInFlight = false;
  private lastHeartbeatSendUs = 0;
  private lastHeartbeatReceiveUs = 0;
  private nextAutoCommitUs: number;
  private commitInFlight = 0;
  private committedFetchInFlight = false;

  constructor(private readonly host: CoordinatorHost) {
    this.rebalanceProtocol = rebalanceProtocolOf(host.settings.assignors);
    this.client = new NetworkClient(host.ctx, host.settings.connection, host.ctx.rng(`consumer:${host.clientId}:coordinator-connections`), {
      // only the coordinator's connection matters (AbstractCoordinator.checkAndGetCoordinator); a
      // disconnect from the broker asked FindCoordinator fails just the requests to it
      onDisconnect: (node) => {
        if (node === this.coordinator) this.markCoordinatorUnknown('disconnected');
      },
      onReady: () => host.wake(host.ctx.now),
    }, 1, 2);
    this.nextAutoCommitUs = host.ctx.now + host.settings.autoCommitIntervalUs;
  }

  handleResponse(msg: Envelope): boolean {
    return this.client.handleResponse(msg);
  }

  /** A broker's OS reset or refused the coordinator connection (a disconnect: markCoordinatorUnknown). */
  handleNotice(msg: Envelope): boolean {
    return this.client.handleNotice(msg);
  }

  get joined(): boolean {
    return this.generation !== NO_GENERATION && this.memberId !== UNKNOWN_MEMBER_ID;
  }

  /** A completed join's assignment, waiting for the application's next poll() (it was processing). */
  private pendingAssignment: TopicPartitionRef[] | undefined;

  /** ConsumerCoordinator.poll: coordinator, group membership and auto-commit; returns when to look again. */
  poll(now: number): number {
    if (this.pendingAssignment !== undefined) {
      const assignment = this.pendingAssignment;
      this.pendingAssignment = undefined;
      if (this.state === 'STABLE') this.onJoinComplete(assignment);
    }
    if (this.coordinator < 0) return this.lookupCoordinator(now);
    if (this.joinPrepareDeadlineUs >= 0 && now < this.joinPrepareRetryUs) return this.joinPrepareRetryUs;
    if (this.rejoinNeeded && this.state !== 'PREPARING_REBALANCE' && this.state !== 'COMPLETING_REBALANCE' && !this.joinPrepareInFlight) {
      this.onJoinPrepare();
      return NEVER;
    }
    if (this.state === 'STABLE' && this.host.settings.enableAutoCommit) {
      if (now >= this.nextAutoCommitUs) {
        this.nextAutoCommitUs = now + this.host.settings.autoCommitIntervalUs;
        this.commit(this.host.subscriptions.allConsumed(), 'auto');
      }
      return this.nextAutoCommitUs;
    }
    return NEVER;
  }

  /**
   * poll() is in onJoinPrepare's commit: an eager member's partitions are pending revocation, so the
   * application gets no records of them until the join is done (ConsumerCoordinator.onJoinPrepare
   * runs inside poll's updateAssignmentMetadataIfNeeded); a cooperative member keeps getting them.
   */
  get joinPreparing(): boolean {
    // maybeMarkPartitionsPendingRevocation: only the eager protocol stops returning records meanwhile
    return this.rebalanceProtocol === 'EAGER' && (this.joinPrepareInFlight || this.joinPrepareDeadlineUs >= 0);
  }

  requestRejoin(reason: string): void {
    if (!this.rejoinNeeded) this.trace('rejoin-requested', { reason });
    this.rejoinNeeded = true;
    this.host.wake(this.host.ctx.now);
  }

  // -- FindCoordinator -----------------------------------------------------------------------------

  private lookupCoordinator(now: number): number {
    if (this.lookupInFlight) return NEVER;
    if (now < this.lookupNotBeforeUs) return this.lookupNotBeforeUs;
    const node = this.host.pickNode();
    if (node < 0) return now + this.host.settings.retryBackoffUs;
    this.lookupInFlight = true;
    this.client.send({
      node, body: { kind: 'find-coordinator', key: this.host.groupId }, timeoutUs: this.host.settings.requestTimeoutUs,
      onResponse: (r: FindCoordinatorResponse) => {
        this.lookupInFlight = false;
        if (r.error !== 'NONE') return this.lookupFailed();
        this.coordinator = r.nodeId;
        this.lastHeartbeatReceiveUs = this.host.ctx.now;
        this.trace('coordinator-found', { coordinator: r.nodeId });
        this.host.wake(this.host.ctx.now);
      },
      onFailure: () => {
        this.lookupInFlight = false;
        this.lookupFailed();
      },
    });
    return NEVER;
  }

  private lookupFailed(): void {
    this.lookupNotBeforeUs = this.host.ctx.now + this.host.settings.retryBackoffUs;
    this.host.wake(this.lookupNotBeforeUs);
  }

  /** AbstractCoordinator.markCoordinatorUnknown. */
  markCoordinatorUnknown(reason: string): void {
    if (this.coordinator < 0) return;
    const old = this.coordinator;
    this.coordinator = -1;
    this.trace('coordinator-lost', { coordinator: old, reason });
    this.client.disconnect(old, 'disconnect');
    // a join in progress is abandoned; the member joins again through the next coordinator
    if (this.state === 'PREPARING_REBALANCE' || this.state === 'COMPLETING_REBALANCE') {
      this.state = 'UNJOINED';
      this.rejoinNeeded = true;
    }
    this.host.wake(this.host.ctx.now);
  }

  // -- JoinGroup and SyncGroup ---------------------------------------------------------------------

  /** ConsumerCoordinator.onJoinPrepare: commit what was consumed, then revoke (eager) and join. */
  private onJoinPrepare(): void {
    // the end of onJoinPrepare: no longer the leader, the metadata back to its own subscription
    this.isLeader = false;
    this.pendingLeaderJoin = undefined;
    this.host.metadata.setTopics(this.host.topics);
    const offsets = this.host.subscriptions.allConsumed();
    if (this.host.settings.enableAutoCommit && this.joined && offsets.length > 0) {
      if (this.joinPrepareDeadlineUs < 0) this.joinPrepareDeadlineUs = this.host.ctx.now + this.host.settings.rebalanceTimeoutMs * 1000;
      this.joinPrepareInFlight = true;
      this.commit(offsets, 'before-rebalance', (outcome) => {
        this.joinPrepareInFlight = false;
        const now = this.host.ctx.now;
        // a retriable failure (the coordinator died or moved) is retried after retry.backoff.ms until
        // the rebalance timeout, before anything is revoked (onJoinPrepare: onJoinPrepareAsyncCommitCompleted)
        if (outcome === 'retriable' && now < this.joinPrepareDeadlineUs && this.joined) {
          this.joinPrepareRetryUs = now + this.host.settings.retryBackoffUs;
          this.host.wake(this.joinPrepareRetryUs);
          return;
        }
        this.joinPrepareDeadlineUs = -1;
        this.revokeForJoin();
        this.sendJoinGroup();
      });
      return;
    }
    this.joinPrepareDeadlineUs = -1;
    this.revokeForJoin();
    this.sendJoinGroup();
  }

  private revokeForJoin(): void {
    const owned = this.host.subscriptions.partitions();
    if (owned.length === 0) return;
    if (!this.joined) {
      this.host.assignmentChanged([], owned, 'lost');
      return;
    }
    if (this.rebalanceProtocol === 'EAGER') this.host.assignmentChanged([], owned, 'revoked');
  }

  private sendJoinGroup(): void {
    if (this.coordinator < 0) return;
    const s = this.host.settings;
    this.state = 'PREPARING_REBALANCE';
    this.stopHeartbeats();
    const owned = this.host.subscriptions.partitions();
    const protocols = s.assignors.map((name) => ({
      name,
      metadata: { topics: [...this.host.topics], ownedPartitions: owned, generation: this.generation },
    }));
    this.trace('join-group', { memberId: this.memberId, generation: this.generation });
    this.client.send({
      node: this.coordinator,
      body: {
        kind: 'join-group', groupId: this.host.groupId, sessionTimeoutMs: s.sessionTimeoutMs, rebalanceTimeoutMs: s.rebalanceTimeoutMs,
        memberId: this.memberId, clientId: this.host.clientId, protocols,
      },
      timeoutUs: (s.rebalanceTimeoutMs + JOIN_GROUP_TIMEOUT_LAPSE_MS) * 1000,
      onResponse: (r: JoinGroupResponse) => this.handleJoinResponse(r),
      onFailure: () => this.markCoordinatorUnknown('JoinGroup failed'),
    });
  }

  private handleJoinResponse(r: JoinGroupResponse): void {
    if (this.state !== 'PREPARING_REBALANCE') return;
    switch (r.error) {
      case 'NONE':
        this.generation = r.generationId;
        this.memberId = r.memberId;
        this.protocol = r.protocolName;
        this.state = 'COMPLETING_REBALANCE';
        this.lastHeartbeatReceiveUs = this.host.ctx.now;
        this.startHeartbeats();
        return r.leader === r.memberId ? this.onLeaderElected(r) : this.sendSyncGroup([]);
      case 'MEMBER_ID_REQUIRED':
        this.memberId = r.memberId;
        this.state = 'UNJOINED';
        return this.sendJoinGroup();
      case 'UNKNOWN_MEMBER_ID':
      case 'ILLEGAL_GENERATION':
        this.resetGeneration(r.error);
        this.state = 'UNJOINED';
        return this.host.wake(this.host.ctx.now);
      case 'NOT_COORDINATOR':
      case 'COORDINATOR_NOT_AVAILABLE':
        return this.markCoordinatorUnknown(r.error);
      case 'INCONSISTENT_GROUP_PROTOCOL':
      case 'INVALID_SESSION_TIMEOUT':
        // fatal for the application: KafkaConsumer.poll throws (InconsistentGroupProtocolException, …)
        this.state = 'UNJOINED';
        this.host.fatal(r.error);
        return;
      default:
        this.state = 'UNJOINED';
        this.trace('join-failed', { error: r.error });
        return this.host.wake(this.host.ctx.now + this.host.settings.retryBackoffUs);
    }
  }

  /** This member leads the group's current generation (ConsumerCoordinator.isLeader). */
  private isLeader = false;

  /** A leader's JoinGroup answer waiting for metadata about its members' topics. */
  private pendingLeaderJoin: JoinGroupResponse | undefined;

  /**
   * ConsumerCoordinator.onLeaderElected: the leader subscribes its metadata to every topic of the
   * group (updateGroupSubscription) and, when one is new to it, waits for fresh metadata
   * (ensureFreshMetadata) before it assigns.
   */
  private onLeaderElected(r: JoinGroupResponse): void {
    this.isLeader = true;
    const topics = new Set(this.host.topics);
    for (const m of r.members) for (const t of m.metadata.topics) topics.add(t);
    if (this.host.metadata.setTopics([...topics])) {
      this.pendingLeaderJoin = r;
      this.host.wake(this.host.ctx.now);
      return;
    }
    this.sendSyncGroup(this.performAssignment(r));
  }

  /** The consumer's metadata was refreshed: a waiting leader assigns; a leader watches partition counts. */
  metadataUpdated(): void {
    const r = this.pendingLeaderJoin;
    if (r !== undefined) {
      this.pendingLeaderJoin = undefined;
      if (this.state === 'COMPLETING_REBALANCE' && this.generation === r.generationId && this.memberId === r.memberId) this.sendSyncGroup(this.performAssignment(r));
      return;
    }
    this.maybeRebalanceOnMetadataChange();
  }

  /** The chosen assignor over the leader's metadata (ConsumerCoordinator.onLeaderElected). */
  private performAssignment(r: JoinGroupResponse): { memberId: string; assignment: TopicPartitionRef[] }[] {
    const assignor = ASSIGNORS.get(r.protocolName);
    const topics = new Set<string>();
    for (const m of r.members) for (const t of m.metadata.topics) topics.add(t);
    const partitionsPerTopic = new Map<string, number>();
    for (const t of [...topics].sort()) {
      const n = this.host.metadata.partitionCount(t);
      if (n > 0) partitionsPerTopic.set(t, n);
    }
    const members = r.members.map((m) => ({ memberId: m.memberId, subscription: m.metadata }));
    const result = assignor === undefined ? new Map<string, TopicPartitionRef[]>() : assignor.assign(partitionsPerTopic, members);
    this.assignedSnapshot = [...partitionsPerTopic].map(([t, n]) => `${t}:${n}`).join(',');
    return [...result].map(([memberId, assignment]) => ({ memberId, assignment }));
  }

  /** The partition counts the leader assigned with (ConsumerCoordinator.assignmentSnapshot). */
  private assignedSnapshot = '';

  /** Leader only: metadata changed the partition counts it assigned with, so it rebalances. */
  private maybeRebalanceOnMetadataChange(): void {
    if (this.assignedSnapshot === '' || this.state !== 'STABLE') return;
    const now = [...this.host.metadata.topicNames].sort().filter((t) => this.host.metadata.partitionCount(t) > 0)
      .map((t) => `${t}:${this.host.metadata.partitionCount(t)}`).join(',');
    if (now !== this.assignedSnapshot) this.requestRejoin('metadata changed the partitions of the subscription');
  }

  private sendSyncGroup(assignments: { memberId: string; assignment: TopicPartitionRef[] }[]): void {
    this.client.send({
      node: this.coordinator,
      body: { kind: 'sync-group', groupId: this.host.groupId, generationId: this.generation, memberId: this.memberId, assignments },
      timeoutUs: this.host.settings.requestTimeoutUs,
      onResponse: (r: SyncGroupResponse) => this.handleSyncResponse(r),
      onFailure: () => this.markCoordinatorUnknown('SyncGroup failed'),
    });
  }

  private handleSyncResponse(r: SyncGroupResponse): void {
    if (this.state !== 'COMPLETING_REBALANCE') return;
    switch (r.error) {
      case 'NONE':
        this.state = 'STABLE';
        this.rejoinNeeded = false;
        this.nextAutoCommitUs = this.host.ctx.now + this.host.settings.autoCommitIntervalUs;
        // the response completes the join in the background; the application thread applies the
        // assignment (onJoinComplete, the rebalance listener) in its next poll (joinGroupIfNeeded)
        if (this.host.applicationBusy()) {
          this.pendingAssignment = r.assignment;
          return;
        }
        return this.onJoinComplete(r.assignment);
      case 'UNKNOWN_MEMBER_ID':
      case 'ILLEGAL_GENERATION':
        this.resetGeneration(r.error);
        this.state = 'UNJOINED';
        return this.host.wake(this.host.ctx.now);
      case 'NOT_COORDINATOR':
      case 'COORDINATOR_NOT_AVAILABLE':
        return this.markCoordinatorUnknown(r.error);
      default: // REBALANCE_IN_PROGRESS
        this.state = 'UNJOINED';
        this.rejoinNeeded = true;
        return this.host.wake(this.host.ctx.now);
    }
  }

  /** ConsumerCoordinator.onJoinComplete. */
  private onJoinComplete(assignment: TopicPartitionRef[]): void {
    // only the leader watches the partition counts it assigned with
    if (!this.isLeader) this.assignedSnapshot = '';
    const subs = this.host.subscriptions;
    const fresh = new Set(assignment.map((tp) => tpKey(tp.topic, tp.partition)));
    const revoked = subs.partitions().filter((tp) => !fresh.has(tpKey(tp.topic, tp.partition)));
    if (revoked.length > 0) this.host.assignmentChanged([], revoked, 'revoked');
    const owned = new Set(subs.partitions().map((tp) => tpKey(tp.topic, tp.partition)));
    const added = [...assignment].sort(compareTopicPartitions).filter((tp) => !owned.has(tpKey(tp.topic, tp.partition)));
    this.host.assignmentChanged(added, [], 'assigned');
    this.trace('assignment', { generation: this.generation, protocol: this.protocol, partitions: assignment.map((tp) => `${tp.topic}-${tp.partition}`).sort() });
    // KIP-429: partitions given up must be assigned to their new owner in a follow-up rebalance
    if (this.rebalanceProtocol === 'COOPERATIVE' && revoked.length > 0) this.requestRejoin('partitions were revoked');
    this.host.wake(this.host.ctx.now);
  }

  private resetGeneration(why: string): void {
    const owned = this.host.subscriptions.partitions();
    this.trace('generation-reset', { error: why, generation: this.generation });
    this.generation = NO_GENERATION;
    this.memberId = UNKNOWN_MEMBER_ID;
    this.protocol = null;
    this.rejoinNeeded = true;
    this.stopHeartbeats();
    // the heartbeat thread resets the generation under an application busy with its records; the
    // partitions are lost in its next poll (onJoinPrepare: onPartitionsLost), its commit fails till then
    if (owned.length > 0 && !this.host.applicationBusy()) this.host.assignmentChanged([], owned, 'lost');
  }

  // -- heartbeats ----------------------------------------------------------------------------------

  private startHeartbeats(): void {
    this.stopHeartbeats();
    this.lastHeartbeatSendUs = this.host.ctx.now;
    this.heartbeatTimer = this.host.ctx.after(this.host.settings.heartbeatIntervalUs, () => this.heartbeatTick());
  }

  private stopHeartbeats(): void {
    this.host.ctx.cancel(this.heartbeatTimer);
    this.heartbeatTimer = 0;
  }

  /** AbstractCoordinator.HeartbeatThread, one round. */
  private heartbeatTick(): void {
    this.heartbeatTimer = 0;
    if (this.state !== 'STABLE' && this.state !== 'COMPLETING_REBALANCE') return;
    const now = this.host.ctx.now;
    const s = this.host.settings;
    if (now - this.lastHeartbeatReceiveUs > s.sessionTimeoutMs * 1000) {
      this.markCoordinatorUnknown('session timed out without receiving a heartbeat response');
    } else if (this.coordinator >= 0 && !this.heartbeatInFlight) {
      this.sendHeartbeat();
    }
    if (this.coordinator < 0) {
      // the heartbeat thread looks the coordinator up itself, every retry.backoff.ms, even while the
      // application is busy outside poll() (HeartbeatThread.run: lookupCoordinator)
      this.lookupCoordinator(now);
      this.heartbeatTimer = this.host.ctx.after(s.retryBackoffUs, () => this.heartbeatTick());
      return;
    }
    this.heartbeatTimer = this.host.ctx.after(s.heartbeatIntervalUs, () => this.heartbeatTick());
  }

  private sendHeartbeat(): void {
    this.heartbeatInFlight = true;
    this.lastHeartbeatSendUs = this.host.ctx.now;
    const generation = this.generation;
    this.client.send({
      node: this.coordinator,
      body: { kind: 'heartbeat', groupId: this.host.groupId, generationId: generation, memberId: this.memberId },
      timeoutUs: this.host.settings.requestTimeoutUs,
      quiet: true,
      onResponse: (r: HeartbeatResponse, msg: Envelope) => {
        this.heartbeatInFlight = false;
        this.host.ctx.trace({ t: this.host.ctx.now, type: 'rt', k: 'heartbeat', f: this.host.clientId, to: msg.from, s: msg.requestSentAt, a: msg.requestDeliverAt, r: msg.sentAt, error: r.error === 'NONE' ? undefined : r.error });
        this.handleHeartbeatResponse(r, generation);
      },
      onFailure: () => {
        this.heartbeatInFlight = false;
        this.markCoordinatorUnknown('heartbeat failed');
      },
    });
  }

  private handleHeartbeatResponse(r: HeartbeatResponse, generation: number): void {
    if (generation !== this.generation) return;
    switch (r.error) {
      case 'NONE':
        this.lastHeartbeatReceiveUs = this.host.ctx.now;
        return;
      case 'REBALANCE_IN_PROGRESS':
        this.lastHeartbeatReceiveUs = this.host.ctx.now;
        if (this.state === 'STABLE') this.requestRejoin('the group is rebalancing');
        return;
      case 'ILLEGAL_GENERATION':
      case 'UNKNOWN_MEMBER_ID':
        this.resetGeneration(r.error);
        this.state = 'UNJOINED';
        return this.host.wake(this.host.ctx.now);
      default:
        return this.markCoordinatorUnknown(r.error);
    }
  }

  // -- offsets -------------------------------------------------------------------------------------

  /** OffsetCommit of the given positions; `done` runs on any outcome, and is told which. */
  commit(offsets: CommittedOffset[], why: string, done?: (outcome: CommitOutcome) => void): void {
    if (offsets.length === 0 || this.coordinator < 0) {
      done?.(offsets.length === 0 ? 'ok' : 'retriable');
      return;
    }
    this.commitInFlight++;
    this.client.send({
      node: this.coordinator,
      body: { kind: 'offset-commit', groupId: this.host.groupId, generationId: this.generation, memberId: this.memberId, offsets },
      timeoutUs: this.host.settings.requestTimeoutUs,
      onResponse: (r: OffsetCommitResponse) => {
        this.commitInFlight--;
        this.handleCommitResponse(r, offsets, why);
        done?.(r.error === 'NONE' ? 'ok' : RETRIABLE_COMMIT_ERRORS.has(r.error) ? 'retriable' : 'failed');
      },
      onFailure: () => {
        this.commitInFlight--;
        this.trace('commit-failed', { why, error: 'REQUEST_TIMED_OUT' });
        this.markCoordinatorUnknown('OffsetCommit failed');
        this.retryAutoCommit(why);
        done?.('retriable');
      },
    });
  }

  /**
   * ConsumerCoordinator.autoCommitOffsetsAsync: an auto-commit that failed with a retriable error
   * (RetriableCommitFailedException) is tried again after retry.backoff.ms, not a whole interval later.
   */
  private retryAutoCommit(why: string): void {
    if (why !== 'auto') return;
    this.nextAutoCommitUs = this.host.ctx.now + this.host.settings.retryBackoffUs;
    this.host.wake(this.nextAutoCommitUs);
  }

  private handleCommitResponse(r: OffsetCommitResponse, offsets: CommittedOffset[], why: string): void {
    if (r.error === 'NONE') return this.host.offsetsCommitted(offsets, why);
    this.trace('commit-failed', { why, error: r.error, offsets: offsets.map((o): [string, number] => [`${o.topic}-${o.partition}`, o.offset]) });
    if (RETRIABLE_COMMIT_ERRORS.has(r.error)) this.retryAutoCommit(why);
    switch (r.error) {
      case 'NOT_COORDINATOR':
      case 'COORDINATOR_NOT_AVAILABLE':
        return this.markCoordinatorUnknown(r.error);
      case 'REBALANCE_IN_PROGRESS':
        return this.requestRejoin('commit during a rebalance');
      case 'ILLEGAL_GENERATION':
      case 'UNKNOWN_MEMBER_ID':
        // CommitFailedException: the member is no longer in the group it thinks it is in
        this.resetGeneration(r.error);
        this.state = 'UNJOINED';
        return this.host.wake(this.host.ctx.now);
    }
  }

  /** OffsetFetch for partitions without a position; one request at a time. */
  fetchCommitted(partitions: TopicPartitionRef[], done: (offsets: CommittedOffset[] | undefined) => void): void {
    if (this.committedFetchInFlight || this.coordinator < 0 || partitions.length === 0) return;
    this.committedFetchInFlight = true;
    this.client.send({
      node: this.coordinator,
      body: { kind: 'offset-fetch', groupId: this.host.groupId, partitions },
      timeoutUs: this.host.settings.requestTimeoutUs,
      onResponse: (r: OffsetFetchResponse) => {
        this.committedFetchInFlight = false;
        if (r.error !== 'NONE') {
          if (r.error === 'NOT_COORDINATOR' || r.error === 'COORDINATOR_NOT_AVAILABLE') this.markCoordinatorUnknown(r.error);
          return done(undefined);
        }
        done(r.partitions);
      },
      onFailure: () => {
        this.committedFetchInFlight = false;
        this.markCoordinatorUnknown('OffsetFetch failed');
        done(undefined);
      },
    });
  }

  /** KafkaConsumer.close: commit, LeaveGroup (not waiting for its answer), then `done`. */
  close(done: () => void): void {
    const leave = (): void => {
      if (this.coordinator >= 0 && this.memberId !== UNKNOWN_MEMBER_ID) {
        this.client.send({
          node: this.coordinator, body: { kind: 'leave-group', groupId: this.host.groupId, memberId: this.memberId },
          timeoutUs: this.host.settings.requestTimeoutUs, onResponse: () => {}, onFailure: () => {},
        });
      }
      this.stopHeartbeats();
      this.state = 'UNJOINED';
      done();
    };
    // maybeAutoCommitOffsetsSync(closeTimer) → commitOffsetsSync: a retriable failure is retried after
    // retry.backoff.ms, looking the coordinator up again, until the close timeout
    const deadlineUs = this.host.ctx.now + CLOSE_TIMEOUT_US;
    const attempt = (): void => {
      const offsets = this.host.subscriptions.allConsumed();
      if (!this.host.settings.enableAutoCommit || !this.joined || offsets.length === 0) return leave();
      if (this.coordinator < 0) this.lookupCoordinator(this.host.ctx.now);
      this.commit(offsets, 'close', (outcome) => {
        const now = this.host.ctx.now;
        if (outcome !== 'retriable' || !this.joined || now + this.host.settings.retryBackoffUs >= deadlineUs) return leave();
        this.host.ctx.after(this.host.settings.retryBackoffUs, attempt);
      });
    };
    attempt();
  }

  /**
   * The poll timer expired (max.poll.interval.ms without poll, e.g. the process was paused): the
   * heartbeat thread leaves the group (maybeLeaveGroup) and the next poll rejoins.
   */
  leaveOnPollTimeout(): void {
    if (!this.joined) return;
    this.trace('poll-timeout', { generation: this.generation });
    if (this.coordinator >= 0) {
      this.client.send({
        node: this.coordinator, body: { kind: 'leave-group', groupId: this.host.groupId, memberId: this.memberId, reason: 'consumer poll timeout has expired' },
        timeoutUs: this.host.settings.requestTimeoutUs, onResponse: () => {}, onFailure: () => {},
      });
    }
    this.resetGeneration('max.poll.interval.ms');
    this.state = 'UNJOINED';
  }

  private trace<K extends CoordinatorEventType>(type: K, fields: Omit<EventOf<K>, 't' | 'type' | 'client' | 'group'>): void {
    // each call site's fields are checked against its type's; the spread of a generic is not, hence the cast
    this.host.ctx.trace({ t: this.host.ctx.now, type, client: this.host.clientId, group: this.host.groupId, ...fields } as unknown as KafkaTraceEvent);
  }
}
