// The classic group coordinator (core/…/coordinator/group/GroupCoordinator.scala, GroupMetadata.scala,
// DelayedJoin, InitialDelayedJoin, DelayedHeartbeat), living on whichever broker leads the group's
// __consumer_offsets partition (offsets-topic.ts). It serves FindCoordinator on every broker and the
// group requests on the coordinator; any other broker answers NOT_COORDINATOR.
//
// Group states: Empty → PreparingRebalance → CompletingRebalance → Stable (and back to Preparing on
// any membership change). Rules kept:
// - a new member first gets MEMBER_ID_REQUIRED with its id, then joins with it (KIP-394);
// - the first rebalance of an empty group waits group.initial.rebalance.delay.ms, extended while new
//   members keep arriving, up to the rebalance timeout (InitialDelayedJoin);
// - a rebalance completes when every member has rejoined, or after the rebalance timeout
//   (max.poll.interval.ms) without the stragglers (DelayedJoin);
// - a member silent for session.timeout.ms is removed and the group rebalances (DelayedHeartbeat);
//   heartbeats during a rebalance answer REBALANCE_IN_PROGRESS, from an old generation
//   ILLEGAL_GENERATION, from an unknown member UNKNOWN_MEMBER_ID;
// - offset commits are accepted from the current generation while Stable or PreparingRebalance (so the
//   commit before rejoining succeeds), and from no generation while the group is Empty (the admin
//   tools, a standalone consumer).
// The coordinator's state is in the broker's memory: a crash loses it, and the next leader of the
// offsets partition loads the group's last record and committed offsets (onGroupLoaded), giving every
// member a fresh session timeout.

import type { EventId, Rng } from '../../engine/index.ts';
import type { Broker } from '../broker.ts';
import { msToUs } from '../effective-config.ts';
import type { Envelope, NodeContext } from '../network.ts';
import type { TopicPartitionRef } from '../protocol.ts';
import type {
  CommittedOffset, FindCoordinatorRequest, HeartbeatRequest, JoinGroupRequest, LeaveGroupRequest, OffsetCommitRequest,
  OffsetFetchRequest, Subscription, SyncGroupRequest,
} from './group-protocol.ts';
import { GROUP_REQUEST_KINDS, NO_GENERATION, UNKNOWN_MEMBER_ID } from './group-protocol.ts';
import type { OffsetsTopic, StoredGroup, StoredMember } from './offsets-topic.ts';

export type GroupStateName = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

/** A member as the coordinator holds it: what GroupMetadata stores, plus its live session. */
export interface MemberState extends StoredMember {
  lastHeartbeatUs: number;
  sessionTimer: EventId;
  awaitingJoin: Envelope<JoinGroupRequest> | undefined;
  awaitingSync: Envelope<SyncGroupRequest> | undefined;
}

export interface GroupState {
  groupId: string;
  state: GroupStateName;
  generation: number;
  protocol: string | null;
  leader: string | null;
  /** In join order (the leader is the first to join). */
  members: Map<string, MemberState>;
  /** Ids handed out with MEMBER_ID_REQUIRED, not yet joined. */
  pendingMembers: Set<string>;
  newMemberAdded: boolean;
  /** The first rebalance of an empty group is waiting out group.initial.rebalance.delay.ms. */
  initialDelay: boolean;
  joinTimer: EventId;
  syncTimer: EventId;
}

/** Serves the group requests on every broker; one per simulation. */
export class GroupCoordinator {
  readonly kinds: readonly string[] = GROUP_REQUEST_KINDS;
  /** broker id → the groups it coordinates now (in memory). */
  private readonly loaded = new Map<number, Map<string, GroupState>>();
  private readonly brokers = new Map<number, Broker>();

  constructor(
    private readonly topic: OffsetsTopic,
    private readonly memberIdRng: (groupId: string) => Rng,
  ) {
    topic.onLeaderChange((p, oldLeader, newLeader) => this.moveGroups(p, oldLeader, newLeader));
  }

  // -- BrokerExtension ---------------------------------------------------------------------------

  started(broker: Broker): void {
    this.brokers.set(broker.id, broker);
    this.loaded.set(broker.id, new Map());
    for (let p = 0; p < this.topic.numPartitions; p++) if (this.topic.leaders[p] === broker.id) this.loadPartition(broker, p);
  }

  stopped(broker: Broker): void {
    this.loaded.delete(broker.id);
  }

  handle(broker: Broker, msg: Envelope, ctx: NodeContext): void {
    this.brokers.set(broker.id, broker);
    if (!this.loaded.has(broker.id)) this.started(broker);
    const body = msg.body;
    if (body.kind === 'find-coordinator') return this.findCoordinator(msg as Envelope<FindCoordinatorRequest>, ctx);
    const groupId = (body as { groupId?: string }).groupId ?? '';
    const groups = this.loaded.get(broker.id) as Map<string, GroupState>;
    if (this.topic.coordinatorFor(groupId) !== broker.id) return this.replyError(msg, ctx, 'NOT_COORDINATOR');
    switch (body.kind) {
      case 'join-group':
        return this.joinGroup(broker, groups, msg as Envelope<JoinGroupRequest>, ctx);
      case 'sync-group':
        return this.syncGroup(broker, groups, msg as Envelope<SyncGroupRequest>, ctx);
      case 'heartbeat':
        return this.heartbeat(broker, groups, msg as Envelope<HeartbeatRequest>, ctx);
      case 'leave-group':
        return this.leaveGroup(broker, groups, msg as Envelope<LeaveGroupRequest>, ctx);
      case 'offset-commit':
        return this.offsetCommit(broker, groups, msg as Envelope<OffsetCommitRequest>, ctx);
      case 'offset-fetch':
        return this.offsetFetch(msg as Envelope<OffsetFetchRequest>, ctx);
    }
  }

  /** The group as its coordinator holds it now, for describe; undefined if not loaded anywhere. */
  liveGroup(groupId: string): GroupState | undefined {
    const c = this.topic.coordinatorFor(groupId);
    return this.loaded.get(c)?.get(groupId);
  }

  // -- FindCoordinator ---------------------------------------------------------------------------

  private findCoordinator(msg: Envelope<FindCoordinatorRequest>, ctx: NodeContext): void {
    const node = this.topic.coordinatorFor(msg.body.key);
    const error = node < 0 ? 'COORDINATOR_NOT_AVAILABLE' : 'NONE';
    ctx.reply(msg, { kind: 'find-coordinator-response', correlationId: msg.body.correlationId, error, nodeId: node });
  }

  // -- JoinGroup -----------------------------------------------------------------------------------

  private joinGroup(broker: Broker, groups: Map<string, GroupState>, msg: Envelope<JoinGroupRequest>, ctx: NodeContext): void {
    const req = msg.body;
    const min = broker.num('group.min.session.timeout.ms');
    const max = broker.num('group.max.session.timeout.ms');
    if (req.sessionTimeoutMs < min || req.sessionTimeoutMs > max) return this.joinError(msg, ctx, 'INVALID_SESSION_TIMEOUT', req.memberId);
    let group = groups.get(req.groupId);
    if (group === undefined) {
      if (req.memberId !== UNKNOWN_MEMBER_ID) return this.joinError(msg, ctx, 'UNKNOWN_MEMBER_ID', req.memberId);
      group = newGroup(req.groupId);
      groups.set(req.groupId, group);
    }
    // GroupMetadata.supportsProtocols: a member must share a protocol with everyone already in the group
    if (!supportsProtocols(group, req.protocols.map((p) => p.name), req.memberId)) return this.joinError(msg, ctx, 'INCONSISTENT_GROUP_PROTOCOL', req.memberId);
    if (req.memberId === UNKNOWN_MEMBER_ID) return this.newMemberJoin(broker, group, msg, ctx);
    if (group.pendingMembers.has(req.memberId)) {
      group.pendingMembers.delete(req.memberId);
      return this.addMemberAndRebalance(broker, group, msg);
    }
    const member = group.members.get(req.memberId);
    if (member === undefined || group.state === 'Empty' || group.state === 'Dead') return this.joinError(msg, ctx, 'UNKNOWN_MEMBER_ID', req.memberId);
    this.currentMemberJoin(broker, group, member, msg, ctx);
  }

  /** KIP-394: hand out a member id and ask the member to join again with it. */
  private newMemberJoin(broker: Broker, group: GroupState, msg: Envelope<JoinGroupRequest>, ctx: NodeContext): void {
    const memberId = `${msg.body.clientId}-${uuid(this.memberIdRng(group.groupId))}`;
    group.pendingMembers.add(memberId);
    // a pending member that never comes back is forgotten after its session timeout
    broker.ctx.after(msToUs(msg.body.sessionTimeoutMs), () => group.pendingMembers.delete(memberId));
    this.joinError(msg, ctx, 'MEMBER_ID_REQUIRED', memberId);
  }

  private addMemberAndRebalance(broker: Broker, group: GroupState, msg: Envelope<JoinGroupRequest>): void {
    const req = msg.body;
    const member: MemberState = {
      memberId: req.memberId, clientId: req.clientId, host: `/${req.clientId}`, sessionTimeoutMs: req.sessionTimeoutMs,
      rebalanceTimeoutMs: req.rebalanceTimeoutMs, protocols: req.protocols, assignment: [], lastHeartbeatUs: broker.now,
      sessionTimer: 0, awaitingJoin: msg, awaitingSync: undefined,
    };
    group.members.set(member.memberId, member);
    if (group.leader === null) group.leader = member.memberId;
    group.newMemberAdded = true;
    this.scheduleSessionExpiry(broker, group, member);
    if (group.state === 'PreparingRebalance') this.maybeCompleteJoin(broker, group);
    else this.prepareRebalance(broker, group, `member ${member.memberId} joined`);
  }

  private currentMemberJoin(broker: Broker, group: GroupState, member: MemberState, msg: Envelope<JoinGroupRequest>, ctx: NodeContext): void {
    const req = msg.body;
    const sameProtocols = JSON.stringify(member.protocols) === JSON.stringify(req.protocols);
    member.protocols = req.protocols;
    member.awaitingJoin = msg;
    this.touch(broker, group, member);
    switch (group.state) {
      case 'PreparingRebalance':
        return this.maybeCompleteJoin(broker, group);
      case 'CompletingRebalance':
        // the member lost its JoinGroup response: send it again, unless its subscription changed
        if (sameProtocols) {
          member.awaitingJoin = undefined;
          return this.sendJoinResponse(group, member, msg, ctx);
        }
        return this.prepareRebalance(broker, group, `member ${member.memberId} changed its subscription`);
      case 'Stable':
        if (member.memberId === group.leader || !sameProtocols) return this.prepareRebalance(broker, group, `member ${member.memberId} rejoined`);
        member.awaitingJoin = undefined;
        return this.sendJoinResponse(group, member, msg, ctx);
    }
  }

  /** GroupCoordinator.prepareRebalance. */
  private prepareRebalance(broker: Broker, group: GroupState, reason: string): void {
    if (group.state === 'CompletingRebalance') this.failPendingSyncs(broker, group, 'REBALANCE_IN_PROGRESS');
    broker.ctx.cancel(group.syncTimer);
    const wasEmpty = group.state === 'Empty';
    group.state = 'PreparingRebalance';
    broker.ctx.cancel(group.joinTimer);
    broker.cluster.emit({ t: broker.now, type: 'rebalance', group: group.groupId, phase: 'prepare', generation: group.generation, coordinator: broker.id, reason });
    const rebalanceTimeoutUs = msToUs(maxRebalanceTimeoutMs(group));
    if (wasEmpty) {
      // InitialDelayedJoin: wait for more members before the first generation
      const delayUs = msToUs(broker.num('group.initial.rebalance.delay.ms'));
      group.newMemberAdded = false;
      group.initialDelay = true;
      this.initialDelayedJoin(broker, group, delayUs, Math.max(rebalanceTimeoutUs - delayUs, 0));
      return;
    }
    group.joinTimer = broker.ctx.after(rebalanceTimeoutUs, () => this.completeJoin(broker, group));
    this.maybeCompleteJoin(broker, group);
  }

  private initialDelayedJoin(broker: Broker, group: GroupState, delayUs: number, remainingUs: number): void {
    const initialDelayUs = msToUs(broker.num('group.initial.rebalance.delay.ms'));
    group.joinTimer = broker.ctx.after(delayUs, () => {
      if (group.newMemberAdded && remainingUs > 0) {
        group.newMemberAdded = false;
        const next = Math.min(initialDelayUs, remainingUs);
        this.initialDelayedJoin(broker, group, next, Math.max(remainingUs - initialDelayUs, 0));
        return;
      }
      this.completeJoin(broker, group);
    });
  }

  /** DelayedJoin.tryComplete: every member has rejoined and no new member is pending. */
  private maybeCompleteJoin(broker: Broker, group: GroupState): void {
    // InitialDelayedJoin never completes early: it is there to wait for more members
    if (group.state !== 'PreparingRebalance' || group.initialDelay) return;
    if (group.pendingMembers.size > 0) return;
    for (const m of group.members.values()) if (m.awaitingJoin === undefined) return;
    this.completeJoin(broker, group);
  }

  /** DelayedJoin.onComplete: drop members that did not rejoin, then the next generation. */
  private completeJoin(broker: Broker, group: GroupState): void {
    if (group.state !== 'PreparingRebalance') return;
    broker.ctx.cancel(group.joinTimer);
    group.joinTimer = 0;
    group.initialDelay = false;
    for (const m of [...group.members.values()]) if (m.awaitingJoin === undefined) this.removeMember(broker, group, m);
    group.generation++;
    if (group.members.size === 0) {
      group.state = 'Empty';
      group.protocol = null;
      group.leader = null;
      this.store(group);
      broker.cluster.emit({ t: broker.now, type: 'rebalance', group: group.groupId, phase: 'empty', generation: group.generation, coordinator: broker.id });
      return;
    }
    group.protocol = selectProtocol(group);
    if (group.leader === null || !group.members.has(group.leader)) group.leader = group.members.keys().next().value as string;
    group.state = 'CompletingRebalance';
    broker.cluster.emit({
      t: broker.now, type: 'rebalance', group: group.groupId, phase: 'join', generation: group.generation, coordinator: broker.id,
      protocol: group.protocol, leader: group.leader, members: [...group.members.keys()],
    });
    for (const m of group.members.values()) {
      const msg = m.awaitingJoin as Envelope<JoinGroupRequest>;
      m.awaitingJoin = undefined;
      this.touch(broker, group, m);
      this.sendJoinResponse(group, m, msg, broker.ctx);
    }
    // DelayedSync: members that do not sync within the rebalance timeout are removed
    group.syncTimer = broker.ctx.after(msToUs(maxRebalanceTimeoutMs(group)), () => this.expireSync(broker, group));
  }

  private sendJoinResponse(group: GroupState, m: MemberState, msg: Envelope<JoinGroupRequest>, ctx: NodeContext): void {
    const isLeader = m.memberId === group.leader;
    const protocol = group.protocol as string;
    const members = isLeader
      ? [...group.members.values()].map((x) => ({ memberId: x.memberId, metadata: (x.protocols.find((p) => p.name === protocol) as { metadata: Subscription }).metadata }))
      : [];
    ctx.reply(msg, {
      kind: 'join-group-response', correlationId: msg.body.correlationId, error: 'NONE', generationId: group.generation,
      protocolName: protocol, leader: group.leader, memberId: m.memberId, members,
    });
  }

  private joinError(msg: Envelope<JoinGroupRequest>, ctx: NodeContext, error: string, memberId: string): void {
    ctx.reply(msg, { kind: 'join-group-response', correlationId: msg.body.correlationId, error, generationId: -1, protocolName: '', leader: '', memberId, members: [] });
  }

  // -- SyncGroup -----------------------------------------------------------------------------------

  private syncGroup(broker: Broker, groups: Map<string, GroupState>, msg: Envelope<SyncGroupRequest>, ctx: NodeContext): void {
    const req = msg.body;
    const group = groups.get(req.groupId);
    const member = group?.members.get(req.memberId);
    if (group === undefined || member === undefined) return this.syncReply(msg, ctx, 'UNKNOWN_MEMBER_ID', []);
    if (req.generationId !== group.generation) return this.syncReply(msg, ctx, 'ILLEGAL_GENERATION', []);
    this.touch(broker, group, member);
    switch (group.state) {
      case 'PreparingRebalance':
        return this.syncReply(msg, ctx, 'REBALANCE_IN_PROGRESS', []);
      case 'Stable':
        return this.syncReply(msg, ctx, 'NONE', member.assignment);
      case 'CompletingRebalance':
        member.awaitingSync = msg;
        if (req.memberId === group.leader) this.completeSync(broker, group, req.assignments);
        return;
      default:
        return this.syncReply(msg, ctx, 'UNKNOWN_MEMBER_ID', []);
    }
  }

  /** The leader's assignment arrived: store the group, answer every waiting member, Stable. */
  private completeSync(broker: Broker, group: GroupState, assignments: SyncGroupRequest['assignments']): void {
    for (const m of group.members.values()) m.assignment = assignments.find((a) => a.memberId === m.memberId)?.assignment ?? [];
    this.store(group);
    broker.ctx.cancel(group.syncTimer);
    group.syncTimer = 0;
    group.state = 'Stable';
    broker.cluster.emit({
      t: broker.now, type: 'rebalance', group: group.groupId, phase: 'stable', generation: group.generation, coordinator: broker.id,
      assignment: Object.fromEntries([...group.members.values()].map((m) => [m.memberId, m.assignment.map((tp) => `${tp.topic}-${tp.partition}`)])),
    });
    for (const m of group.members.values()) {
      if (m.awaitingSync === undefined) continue;
      const msg = m.awaitingSync;
      m.awaitingSync = undefined;
      this.syncReply(msg, broker.ctx, 'NONE', m.assignment);
    }
  }

  private expireSync(broker: Broker, group: GroupState): void {
    group.syncTimer = 0;
    if (group.state !== 'CompletingRebalance') return;
    for (const m of [...group.members.values()]) if (m.awaitingSync === undefined) this.removeMember(broker, group, m);
    this.failPendingSyncs(broker, group, 'REBALANCE_IN_PROGRESS');
    this.prepareRebalance(broker, group, 'members did not sync in time');
  }

  private failPendingSyncs(broker: Broker, group: GroupState, error: string): void {
    for (const m of group.members.values()) {
      if (m.awaitingSync === undefined) continue;
      this.syncReply(m.awaitingSync, broker.ctx, error, []);
      m.awaitingSync = undefined;
      m.assignment = [];
    }
  }

  private syncReply(msg: Envelope<SyncGroupRequest>, ctx: NodeContext, error: string, assignment: TopicPartitionRef[]): void {
    ctx.reply(msg, { kind: 'sync-group-response', correlationId: msg.body.correlationId, error, assignment });
  }

  // -- Heartbeat, LeaveGroup, session expiry ---------------------------------------------------------

  private heartbeat(broker: Broker, groups: Map<string, GroupState>, msg: Envelope<HeartbeatRequest>, ctx: NodeContext): void {
    const req = msg.body;
    const group = groups.get(req.groupId);
    const member = group?.members.get(req.memberId);
    let error = 'NONE';
    if (group === undefined || member === undefined || group.state === 'Empty' || group.state === 'Dead') error = 'UNKNOWN_MEMBER_ID';
    else if (req.generationId !== group.generation) error = 'ILLEGAL_GENERATION';
    else {
      this.touch(broker, group, member);
      if (group.state === 'PreparingRebalance') error = 'REBALANCE_IN_PROGRESS';
    }
    ctx.reply(msg, { kind: 'heartbeat-response', correlationId: req.correlationId, error });
  }

  private leaveGroup(broker: Broker, groups: Map<string, GroupState>, msg: Envelope<LeaveGroupRequest>, ctx: NodeContext): void {
    const req = msg.body;
    const group = groups.get(req.groupId);
    const member = group?.members.get(req.memberId);
    if (group === undefined || member === undefined) {
      ctx.reply(msg, { kind: 'leave-group-response', correlationId: req.correlationId, error: 'UNKNOWN_MEMBER_ID' });
      return;
    }
    ctx.reply(msg, { kind: 'leave-group-response', correlationId: req.correlationId, error: 'NONE' });
    this.memberGone(broker, group, member, req.reason === undefined ? 'left the group' : `left the group: ${req.reason}`);
  }

  /** DelayedHeartbeat: a member heard from refreshes its session deadline. */
  private touch(broker: Broker, group: GroupState, m: MemberState): void {
    m.lastHeartbeatUs = broker.now;
    if (m.sessionTimer === 0) this.scheduleSessionExpiry(broker, group, m);
  }

  private scheduleSessionExpiry(broker: Broker, group: GroupState, m: MemberState, dueUs = m.lastHeartbeatUs + msToUs(m.sessionTimeoutMs)): void {
    m.sessionTimer = broker.ctx.at(Math.max(dueUs, broker.now), () => {
      m.sessionTimer = 0;
      if (group.members.get(m.memberId) !== m) return;
      // MemberMetadata.hasSatisfiedHeartbeat: a member waiting in JoinGroup or SyncGroup is not expired
      if (m.awaitingJoin !== undefined || m.awaitingSync !== undefined) {
        return this.scheduleSessionExpiry(broker, group, m, broker.now + msToUs(m.sessionTimeoutMs));
      }
      if (m.lastHeartbeatUs + msToUs(m.sessionTimeoutMs) > broker.now) return this.scheduleSessionExpiry(broker, group, m);
      this.memberGone(broker, group, m, 'session timeout');
    });
  }

  /** GroupCoordinator.onMemberFailure / removeMemberAndUpdateGroup. */
  private memberGone(broker: Broker, group: GroupState, m: MemberState, reason: string): void {
    broker.cluster.emit({ t: broker.now, type: 'member-removed', group: group.groupId, member: m.memberId, client: m.clientId, reason, coordinator: broker.id });
    this.removeMember(broker, group, m);
    switch (group.state) {
      case 'Stable':
      case 'CompletingRebalance':
        return this.prepareRebalance(broker, group, `member ${m.memberId} ${reason}`);
      case 'PreparingRebalance':
        return this.maybeCompleteJoin(broker, group);
    }
  }

  private removeMember(broker: Broker, group: GroupState, m: MemberState): void {
    broker.ctx.cancel(m.sessionTimer);
    m.sessionTimer = 0;
    if (m.awaitingJoin !== undefined) this.joinError(m.awaitingJoin, broker.ctx, 'UNKNOWN_MEMBER_ID', m.memberId);
    group.members.delete(m.memberId);
    if (group.leader === m.memberId) group.leader = group.members.size > 0 ? (group.members.keys().next().value as string) : null;
  }

  // -- offsets -------------------------------------------------------------------------------------

  private offsetCommit(broker: Broker, groups: Map<string, GroupState>, msg: Envelope<OffsetCommitRequest>, ctx: NodeContext): void {
    const req = msg.body;
    const group = groups.get(req.groupId);
    let error = 'NONE';
    if (group === undefined || group.state === 'Empty') {
      // no live generation: only a commit that claims none is accepted (admin tools, assign())
      if (req.generationId >= 0) error = group === undefined ? 'ILLEGAL_GENERATION' : 'UNKNOWN_MEMBER_ID';
    } else {
      const member = group.members.get(req.memberId);
      if (member === undefined) error = 'UNKNOWN_MEMBER_ID';
      else if (req.generationId !== group.generation) error = 'ILLEGAL_GENERATION';
      else if (group.state === 'CompletingRebalance') error = 'REBALANCE_IN_PROGRESS';
      else this.touch(broker, group, member);
    }
    if (error === 'NONE') {
      this.topic.storeOffsets(req.groupId, req.offsets, broker.now);
      broker.cluster.emit({
        t: broker.now, type: 'offset-committed', group: req.groupId, member: req.memberId, coordinator: broker.id,
        offsets: req.offsets.map((o) => [`${o.topic}-${o.partition}`, o.offset]),
      });
    }
    ctx.reply(msg, {
      kind: 'offset-commit-response', correlationId: req.correlationId, error,
      partitions: req.offsets.map((o) => ({ topic: o.topic, partition: o.partition, error })),
    });
  }

  private offsetFetch(msg: Envelope<OffsetFetchRequest>, ctx: NodeContext): void {
    const req = msg.body;
    const partitions: CommittedOffset[] = req.partitions.map((tp) => {
      const c = this.topic.committed(req.groupId, tp.topic, tp.partition);
      return { topic: tp.topic, partition: tp.partition, offset: c?.offset ?? -1, leaderEpoch: c?.leaderEpoch ?? -1 };
    });
    ctx.reply(msg, { kind: 'offset-fetch-response', correlationId: req.correlationId, error: 'NONE', partitions });
  }

  /** The admin tools' view of a group for reset-offsets: its state and members. */
  groupState(groupId: string): GroupStateName {
    const live = this.liveGroup(groupId);
    if (live !== undefined) return live.state;
    const stored = this.topic.groups.get(groupId);
    return stored === undefined || stored.members.length === 0 ? 'Empty' : 'Stable';
  }

  // -- loading and unloading (GroupMetadataManager) ------------------------------------------------

  private store(group: GroupState): void {
    this.topic.storeGroup(toStored(group));
  }

  private moveGroups(partition: number, oldLeader: number, newLeader: number): void {
    const old = this.loaded.get(oldLeader);
    if (old !== undefined) {
      for (const id of [...old.keys()]) {
        if (this.topic.partitionOf(id) !== partition) continue;
        const g = old.get(id) as GroupState;
        const b = this.brokers.get(oldLeader);
        if (b !== undefined) this.unload(b, g);
        old.delete(id);
      }
    }
    const broker = this.brokers.get(newLeader);
    if (broker !== undefined && broker.status === 'running' && this.loaded.has(newLeader)) this.loadPartition(broker, partition);
  }

  /**
   * GroupCoordinator.onGroupUnloaded: the group is Dead here; members waiting for a JoinGroup or
   * SyncGroup answer get NOT_COORDINATOR at once (they look the coordinator up again), and no timer
   * of it runs any more (a crashed broker's are silenced anyway).
   */
  private unload(b: Broker, g: GroupState): void {
    b.ctx.cancel(g.joinTimer);
    b.ctx.cancel(g.syncTimer);
    g.joinTimer = 0;
    g.syncTimer = 0;
    g.state = 'Dead';
    for (const m of g.members.values()) {
      b.ctx.cancel(m.sessionTimer);
      m.sessionTimer = 0;
      if (b.status !== 'running') continue;
      if (m.awaitingJoin !== undefined) this.joinError(m.awaitingJoin, b.ctx, 'NOT_COORDINATOR', m.memberId);
      if (m.awaitingSync !== undefined) this.syncReply(m.awaitingSync, b.ctx, 'NOT_COORDINATOR', []);
      m.awaitingJoin = undefined;
      m.awaitingSync = undefined;
    }
  }

  /** GroupMetadataManager.loadGroupsAndOffsets + GroupCoordinator.onGroupLoaded. */
  private loadPartition(broker: Broker, partition: number): void {
    const groups = this.loaded.get(broker.id) as Map<string, GroupState>;
    for (const id of this.topic.groupsIn(partition)) {
      const stored = this.topic.groups.get(id);
      const g = newGroup(id);
      if (stored !== undefined) {
        g.generation = stored.generation;
        g.protocol = stored.protocol;
        g.leader = stored.leader;
        g.state = stored.members.length > 0 ? 'Stable' : 'Empty';
        for (const sm of stored.members) {
          const m: MemberState = { ...sm, protocols: sm.protocols, assignment: sm.assignment, lastHeartbeatUs: broker.now, sessionTimer: 0, awaitingJoin: undefined, awaitingSync: undefined };
          g.members.set(m.memberId, m);
          this.scheduleSessionExpiry(broker, g, m);
        }
      }
      groups.set(id, g);
      broker.cluster.emit({ t: broker.now, type: 'group-loaded', group: id, coordinator: broker.id, generation: g.generation, state: g.state });
    }
  }

  private replyError(msg: Envelope, ctx: NodeContext, error: string): void {
    const kind = `${msg.body.kind}-response`;
    ctx.reply(msg, { kind, correlationId: msg.body.correlationId, error, generationId: -1, protocolName: '', leader: '', memberId: '', members: [], assignment: [], partitions: [] } as never);
  }
}

function newGroup(groupId: string): GroupState {
  return {
    groupId, state: 'Empty', generation: 0, protocol: null, leader: null, members: new Map(), pendingMembers: new Set(),
    newMemberAdded: false, initialDelay: false, joinTimer: 0, syncTimer: 0,
  };
}

/** Protocols every member other than `memberId` supports; an empty group accepts any non-empty list. */
function supportsProtocols(group: GroupState, names: readonly string[], memberId: string): boolean {
  if (names.length === 0) return false;
  const others = [...group.members.values()].filter((m) => m.memberId !== memberId);
  if (others.length === 0) return true;
  return names.some((n) => others.every((m) => m.protocols.some((p) => p.name === n)));
}

function maxRebalanceTimeoutMs(group: GroupState): number {
  let max = 0;
  for (const m of group.members.values()) max = Math.max(max, m.rebalanceTimeoutMs);
  return max;
}

/**
 * GroupMetadata.selectProtocol: among the protocols every member supports, each member votes for
 * its most preferred; the most votes win (ties: the leader's preference order).
 */
function selectProtocol(group: GroupState): string {
  const members = [...group.members.values()];
  const candidates = members[0].protocols.map((p) => p.name).filter((name) => members.every((m) => m.protocols.some((p) => p.name === name)));
  const votes = new Map<string, number>();
  for (const m of members) {
    const choice = m.protocols.find((p) => candidates.includes(p.name));
    if (choice) votes.set(choice.name, (votes.get(choice.name) ?? 0) + 1);
  }
  let best = candidates[0];
  for (const c of candidates) if ((votes.get(c) ?? 0) > (votes.get(best) ?? 0)) best = c;
  return best;
}

function toStored(g: GroupState): StoredGroup {
  return {
    groupId: g.groupId, generation: g.generation, protocol: g.protocol, leader: g.leader,
    members: [...g.members.values()].map((m) => ({
      memberId: m.memberId, clientId: m.clientId, host: m.host, sessionTimeoutMs: m.sessionTimeoutMs,
      rebalanceTimeoutMs: m.rebalanceTimeoutMs, protocols: m.protocols, assignment: m.assignment,
    })),
  };
}

/** A UUID-shaped id from the group's own stream (Kafka: clientId + "-" + a random UUID (AbstractCoordinator)). */
function uuid(rng: Rng): string {
  const hex = (n: number): string => {
    let s = '';
    for (let i = 0; i < n; i++) s += '0123456789abcdef'[rng.int(16)];
    return s;
  };
  return `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`;
}
