// The KRaft controller quorum (`cluster: { controllers: N }`, N > 1): the nodes controller-1 …
// controller-N, each a Raft voter (raft.ts), and on the one that leads, once its epoch is committed,
// the active QuorumController (controller.ts). This is QuorumController's side of the Raft listener
// (handleLeaderChange: claim on becoming leader, renounce on losing it) and the routing of the
// brokers' requests: a controller that is not active answers them NOT_CONTROLLER, and brokers find
// the active one through the quorum (NodeToControllerChannelManager's RaftControllerNodeProvider).
//
// While no controller is active nothing in the metadata changes: no fencing, no election, no ISR
// change. The trace marks the gap: `controller-inactive` when the active controller crashed,
// resigned or was deposed, `controller-activated` with the time since then (`gapUs`).

import type { Cluster } from './cluster.ts';
import { Controller } from './controller.ts';
import { MetadataImage } from './metadata-image.ts';
import type { Envelope } from './network.ts';
import type {
  AlterPartitionRequest,
  BrokerHeartbeatRequest,
  BrokerRegistrationRequest,
} from './protocol.ts';
import { controllerName, RaftNode, type RaftListener } from './raft.ts';

const RAFT_KINDS: ReadonlySet<string> = new Set(['vote', 'vote-response', 'begin-quorum-epoch', 'quorum-fetch', 'quorum-fetch-response', 'metadata-fetch']);

/** `controller-N` → N, else −1. */
export function quorumVoterId(name: unknown): number {
  const m = /^controller-(\d+)$/.exec(String(name));
  return m ? Number(m[1]) : -1;
}

export class ControllerQuorum implements RaftListener {
  readonly nodes: RaftNode[];
  /** The controllers active now, by voter id (more than one only while a deposed leader does not know yet). */
  private readonly active = new Map<number, Controller>();
  /** The controller whose image the queries read: the active one, else the last that was. */
  private current: Controller;
  /** When the quorum lost its active controller (−1: it has one). */
  private lostAtUs = -1;
  /** The metadata a majority holds: records up to the quorum's high watermark, applied as it moves. */
  readonly committed: MetadataImage;

  constructor(private readonly cluster: Cluster, count: number) {
    const voters = Array.from({ length: count }, (_, i) => i + 1);
    this.nodes = voters.map((id) => new RaftNode(cluster, id, voters, this, (node, msg) => this.handle(node, msg)));
    // controller-1's controller, which bootstrap() activates at t=0 (queries may read it before)
    this.current = new Controller(cluster, { ctx: this.nodes[0].ctx, log: this.nodes[0] });
    this.committed = new MetadataImage(cluster.names);
  }

  /** t=0: controller-1 leads epoch 1 and has written the initial metadata; every voter has it. */
  bootstrap(): Controller {
    const leader = this.nodes[0];
    const controller = this.current;
    leader.bootstrapAsLeader(() => controller.bootstrap());
    for (const n of this.nodes.slice(1)) n.bootstrapAsFollower(leader);
    this.committedTo(leader);
    this.active.set(leader.id, controller);
    this.cluster.emit({ t: this.cluster.now, type: 'controller-activated', node: leader.name, epoch: leader.epoch });
    return controller;
  }

  /** Since when the quorum has had no active controller (undefined while it has one). */
  get noActiveControllerSinceUs(): number | undefined {
    return this.lostAtUs >= 0 && this.activeNode() === undefined ? this.lostAtUs : undefined;
  }

  get controller(): Controller {
    return this.current;
  }

  /** The node of the active controller (the newest epoch's if a deposed one does not know yet), or undefined. */
  activeNode(): RaftNode | undefined {
    let best: RaftNode | undefined;
    for (const id of this.active.keys()) {
      const n = this.nodes[id - 1];
      if (!best || n.epoch > best.epoch) best = n;
    }
    return best;
  }

  node(name: string): RaftNode | undefined {
    const id = quorumVoterId(name);
    return id >= 1 && id <= this.nodes.length ? this.nodes[id - 1] : undefined;
  }

  // -- the Raft listener -----------------------------------------------------------------------------

  leaderReady(node: RaftNode): void {
    const c = new Controller(this.cluster, { ctx: node.ctx, log: node });
    c.activate();
    this.active.set(node.id, c);
    this.current = c;
    const gapUs = this.lostAtUs >= 0 ? this.cluster.now - this.lostAtUs : undefined;
    this.lostAtUs = -1;
    this.cluster.emit({ t: this.cluster.now, type: 'controller-activated', node: node.name, epoch: node.epoch, ...(gapUs !== undefined ? { gapUs } : {}) });
  }

  leadershipLost(node: RaftNode, reason: string): void {
    const c = this.active.get(node.id);
    if (!c) return;
    c.stop();
    this.active.delete(node.id);
    if (this.active.size === 0 && this.lostAtUs < 0) this.lostAtUs = this.cluster.now;
    this.cluster.emit({ t: this.cluster.now, type: 'controller-inactive', node: node.name, epoch: node.epoch, reason });
  }

  /** The leader's high watermark moved: the committed image takes the records it now covers. */
  committedTo(node: RaftNode): void {
    const from = this.committed.offset + 1;
    if (node.highWatermark > from) this.committed.apply(node.records.slice(from, node.highWatermark), from);
  }

  // -- faults ----------------------------------------------------------------------------------------

  /**
   * A fault that cuts off or freezes the active controller (isolate, pause, a network partition):
   * the gap without an active controller starts now, though the node does not know it yet.
   */
  noteFault(name: string): void {
    const n = this.node(name);
    if (n && this.active.has(n.id) && this.active.size === 1 && this.lostAtUs < 0) this.lostAtUs = this.cluster.now;
  }

  crash(name: string): void {
    const n = this.node(name)!;
    if (this.cluster.network.status(n.name) === 'down') return;
    this.cluster.network.down(n.name, 'crash');
    this.cluster.emit({ t: this.cluster.now, type: 'controller-crashed', node: n.name });
    n.crashed();
    // a majority of the voters is down: the active controller can commit nothing from now on
    const up = this.nodes.filter((v) => !this.isDown(v.name)).length;
    if (up * 2 <= this.nodes.length && this.active.size > 0 && this.lostAtUs < 0) this.lostAtUs = this.cluster.now;
  }

  restart(name: string): void {
    const n = this.node(name)!;
    if (this.cluster.network.status(n.name) !== 'down') return;
    this.cluster.network.up(n.name);
    this.cluster.emit({ t: this.cluster.now, type: 'controller-restarted', node: n.name });
    n.restarted();
  }

  isDown(name: string): boolean {
    return this.cluster.network.status(name) === 'down';
  }

  // -- routing -----------------------------------------------------------------------------------------

  private handle(node: RaftNode, msg: Envelope): void {
    const kind = msg.body.kind;
    if (RAFT_KINDS.has(kind)) return node.handleRaft(msg);
    const c = this.active.get(node.id);
    if (c) return c.handleRequest(msg);
    // ControllerApis on a controller that is not active: NOT_CONTROLLER, and the broker looks again
    switch (kind) {
      case 'broker-heartbeat':
        return node.ctx.reply(msg, {
          kind: 'broker-heartbeat-response', correlationId: (msg.body as BrokerHeartbeatRequest).correlationId, error: 'NOT_CONTROLLER',
          isCaughtUp: false, isFenced: true, shouldShutDown: false,
        });
      case 'broker-registration':
        return node.ctx.reply(msg, { kind: 'broker-registration-response', correlationId: (msg.body as BrokerRegistrationRequest).correlationId, error: 'NOT_CONTROLLER', brokerEpoch: -1 });
      case 'alter-partition':
        return node.ctx.reply(msg, { kind: 'alter-partition-response', correlationId: (msg.body as AlterPartitionRequest).correlationId, error: 'NOT_CONTROLLER', partitions: [] });
      default:
        return;
    }
  }
}

export { controllerName };
