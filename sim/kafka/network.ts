// The simulated network: every interaction between nodes (brokers, the controller, clients) is a
// message sent here and delivered later by the scheduler. Each directed link behaves like a TCP
// connection: a per-message latency (fixed, or uniform from the link's own random stream, so a new
// client never shifts the draws of the brokers' links), FIFO delivery (a message never overtakes an
// earlier one on the same link), and cuts that lose the packets crossing them: TCP retransmits a
// request or response a cut swallowed (tcp-retransmission.ts), so it arrives at the first
// retransmission after the cut heals, with what was sent behind it on that link, unless TCP gives up
// first (`msg-held`, then `msg` or `msg-dropped`). Connection notices (a reset, a refusal, a
// handshake) are not retransmitted: a cut loses them. A paused node (a GC pause, SIGSTOP) queues its
// messages and timers and runs them when it resumes.
//
// What a peer learns when a node dies depends on how it died, as with real sockets:
// - the process dies or stops (crash, shutdown) but its machine runs on: the OS closes its sockets,
//   so every node with an open connection to it gets a `disconnect` notice one link latency later,
//   and a message sent to it afterwards is answered with `connection-refused` one round trip later;
// - the machine is gone (power-loss), or the node is paused or cut off: silence; senders learn only
//   by their own timeouts, or, once a machine that lost power is back, by the reset its new kernel
//   answers to TCP's next retransmission of what they had sent (a `disconnect`).
// A connection between two nodes exists once one of them sent the other a message that was not cut
// and neither has died since. The notices are the network's (the host OS's), never the dead process's,
// and travel like any message: latency, FIFO behind what the node sent before it died, and cuts (a
// cut link carries no RST either). A `connect` (a client's TCP handshake) is answered by the network
// too: `connected` from a live or paused process (its kernel accepts), `connection-refused` from a
// machine whose process is down, nothing from one without power.

import type { EventId, Rng, RandomStreams, Scheduler, TraceEvent, TraceRecorder } from '../engine/index.ts';
import type { AnyMessage, MessageBody } from './protocol.ts';
import { CONNECTION_NOTICES } from './protocol.ts';
import type { NodeName, NetworkSpec } from './spec.ts';
import type { KafkaTraceEvent } from './trace-events.ts';
import { giveUpUs, nextRetransmissionUs } from './tcp-retransmission.ts';

export interface Envelope<B extends MessageBody = MessageBody> {
  from: NodeName;
  to: NodeName;
  body: B;
  sentAt: number;
  deliverAt: number;
  /** Incarnations of sender and receiver the connection belongs to: a restart resets it. */
  fromInc: number;
  toInc: number;
  /** Not traced when sent: the receiver of the reply traces the whole round trip (fetches). */
  quiet: boolean;
  /** On a reply: when its request was sent and delivered, for round-trip traces. */
  requestSentAt?: number;
  requestDeliverAt?: number;
  /**
   * Sent again by TCP to a machine that had lost power: if a new process now runs there, its kernel
   * knows nothing of the connection and answers with a reset (`disconnect` to the sender).
   */
  resetIfStale?: boolean;
}

export type MessageHandler = (msg: Envelope, ctx: NodeContext) => void;

export type NodeStatus = 'up' | 'down' | 'paused';

/** How a node went down: its process died (`crash`, the OS resets its connections) or its machine did. */
export type DownKind = 'crash' | 'power-loss';

interface NodeEntry {
  name: NodeName;
  idx: number;
  handler: MessageHandler | undefined;
  ctx: NodeContext;
  status: NodeStatus;
  incarnation: number;
  /** The machine runs (its OS answers for a dead process); false after a power loss until restarted. */
  powered: boolean;
  /**
   * Its listener accepts connections: false while a restarted broker starts (its SocketServer
   * opens its ports only once it is unfenced), when connections to it are refused.
   */
  listening: boolean;
  /** Nodes this one has an open connection with (by index). */
  peers: Set<number>;
  /** Deliveries and timers that came due while paused, in order. */
  backlog: (() => void)[];
}

export interface SendOptions {
  /** Do not trace the send (the round trip is traced by whoever receives the reply). */
  quiet?: boolean;
}

/** Why a message was dropped, as traced. */
export type DropReason = 'cut' | 'node-down' | 'connection-reset' | 'not-listening';

const LINK_SPACE = 1_000_000;

/** The messages a cut swallowed on one directed link, waiting for TCP's next retransmission. */
interface HeldLink {
  key: number;
  msgs: Envelope[];
  /** When the oldest of them was first sent: the retransmission backoff counts from there. */
  firstSentUs: number;
  /** The connection they were written on: the incarnations of its ends (a restart opens a new one). */
  fromInc: number;
  toInc: number;
}

/** A timer of one incarnation of a node: a crash silences it, a pause defers it. */
interface NodeTimer {
  e: NodeEntry;
  inc: number;
  fn: (arg: any) => void;
  arg: unknown;
}

function runNodeTimer(t: NodeTimer): void {
  const e = t.e;
  if (e.incarnation !== t.inc || e.status === 'down') return;
  if (e.status === 'paused') {
    e.backlog.push(() => {
      if (e.incarnation === t.inc) t.fn(t.arg);
    });
    return;
  }
  const fn = t.fn;
  const arg = t.arg;
  releaseTimer(t);
  fn(arg);
}

// A timer's record is used again once its timer ran (a cancelled one is left to the collector, as is
// one held for a paused node): a run sets about one timer per record produced.
const freeTimers: NodeTimer[] = [];
const FREE_TIMERS_MAX = 1024;

function releaseTimer(t: NodeTimer): void {
  if (freeTimers.length >= FREE_TIMERS_MAX) return;
  t.fn = noop;
  t.arg = undefined;
  freeTimers.push(t);
}

function noop(): void {}

function newTimer<A>(e: NodeEntry, fn: (arg: A) => void, arg: A): NodeTimer {
  const t = freeTimers.pop();
  if (t === undefined) return { e, inc: e.incarnation, fn: fn as (arg: unknown) => void, arg };
  t.e = e;
  t.inc = e.incarnation;
  t.fn = fn as (arg: unknown) => void;
  t.arg = arg;
  return t;
}

/**
 * What a node gets from the network: the only way it sends, schedules, draws randomness and traces.
 * Timers belong to the node's current incarnation: a crash silences them, a pause defers them.
 */
export class NodeContext {
  constructor(
    private readonly net: Network,
    private readonly entry: NodeEntry,
  ) {}

  get name(): NodeName {
    return this.entry.name;
  }

  get now(): number {
    return this.net.scheduler.now;
  }

  get incarnation(): number {
    return this.entry.incarnation;
  }

  send(to: NodeName, body: AnyMessage, opts?: SendOptions): void {
    this.net.send(this.entry, to, body, this.net.incarnationOf(to), opts?.quiet === true, undefined);
  }

  /** Answers `request`: to the sender's incarnation that made it, so a restarted sender never gets it. */
  reply(request: Envelope, body: AnyMessage): void {
    this.net.send(this.entry, request.from, body, request.fromInc, request.quiet, request);
  }

  /** Closes this node's connection to `to` (a request on it timed out); see Network.closeConnection. */
  closeConnection(to: NodeName): void {
    this.net.closeConnection(this.entry, to);
  }

  after(delayUs: number, fn: () => void): EventId {
    return this.net.timer(this.entry, this.net.scheduler.now + delayUs, fn, undefined);
  }

  at(timeUs: number, fn: () => void): EventId {
    return this.net.timer(this.entry, timeUs, fn, undefined);
  }

  /** after(), calling fn(arg): a caller on a hot path passes one function made once, not a closure per timer. */
  afterWith<A>(delayUs: number, fn: (arg: A) => void, arg: A): EventId {
    return this.net.timer(this.entry, this.net.scheduler.now + delayUs, fn, arg);
  }

  /**
   * afterWith(), for a timeout this node expects to cancel before it fires (a request's deadline, a
   * parked request's max wait), which the scheduler keeps out of its heap until near, as Kafka keeps
   * such timeouts in a timing wheel (SystemTimer). It fires exactly when afterWith()'s would.
   */
  timeoutAfter<A>(delayUs: number, fn: (arg: A) => void, arg: A): EventId {
    return this.net.timer(this.entry, this.net.scheduler.now + delayUs, fn, arg, true);
  }

  cancel(id: EventId): void {
    if (id !== 0) this.net.scheduler.cancel(id);
  }

  rng(stream: string): Rng {
    return this.net.streams.stream(stream);
  }

  trace(event: KafkaTraceEvent): void {
    this.net.trace.record(event);
  }

  /** Whether anyone reads an event of this type; if not, tell skipped() instead of building it (busy events). */
  wants(type: KafkaTraceEvent['type']): boolean {
    return this.net.trace.wants(type);
  }

  skipped(type: KafkaTraceEvent['type']): void {
    this.net.trace.skipped(type);
  }
}

export class Network {
  private readonly nodes: NodeEntry[] = [];
  private readonly byName = new Map<NodeName, NodeEntry>();
  /** Directed link → time the last message on it is delivered (FIFO). */
  private readonly lastDelivery = new Map<number, number>();
  private readonly linkRng = new Map<number, Rng>();
  private readonly cuts = new Set<number>();
  private readonly isolated = new Set<number>();
  private readonly nodeExtraUs = new Map<number, number>();
  private readonly linkExtraUs = new Map<number, number>();
  private readonly deliverFn = (m: Envelope): void => this.deliver(m);
  /** Directed link → what a cut swallowed on it, retransmitted in order once the link carries again. */
  private readonly held = new Map<number, HeldLink>();
  private readonly retransmitFn = (h: HeldLink): void => this.retransmit(h);
  /** Messages sent and dropped so far, for queries. */
  sent = 0;
  dropped = 0;

  constructor(
    readonly scheduler: Scheduler,
    readonly streams: RandomStreams,
    readonly trace: TraceRecorder,
    private readonly spec: NetworkSpec,
  ) {}

  /**
   * Registers `handler` for messages addressed to `name` and returns the node's context. A node can
   * be attached once; attach() before the first message to it, or it is dropped as node-down.
   */
  attach(name: NodeName, handler: MessageHandler): NodeContext {
    const entry = this.entry(name);
    if (entry.handler !== undefined) throw new Error(`network node ${String(name)} is already attached`);
    entry.handler = handler;
    entry.status = 'up';
    return entry.ctx;
  }

  /** The context of an attached node. */
  context(name: NodeName): NodeContext {
    const e = this.byName.get(name);
    if (!e || e.handler === undefined) throw new Error(`network node ${String(name)} is not attached`);
    return e.ctx;
  }

  has(name: NodeName): boolean {
    return this.byName.get(name)?.handler !== undefined;
  }

  status(name: NodeName): NodeStatus {
    return this.byName.get(name)?.status ?? 'down';
  }

  incarnationOf(name: NodeName): number {
    return this.byName.get(name)?.incarnation ?? 0;
  }

  // -- node lifecycle ---------------------------------------------------------------------------

  /**
   * The process dies: its timers and queued work vanish. After a `crash` (or a stop) the machine's OS
   * resets its connections: each peer gets a `disconnect` notice, in peer order. After a power loss
   * nobody is told.
   */
  down(name: NodeName, kind: DownKind = 'crash'): void {
    const e = this.entry(name);
    e.status = 'down';
    e.incarnation++;
    e.backlog.length = 0;
    e.powered = kind === 'crash';
    this.closeConnections(e, kind === 'crash');
  }

  /** The machine of a node already down loses power: it stops refusing connections. */
  powerOff(name: NodeName): void {
    const e = this.entry(name);
    if (e.status === 'down') e.powered = false;
  }

  /** A new process starts (after down()). */
  up(name: NodeName): void {
    const e = this.entry(name);
    if (e.status === 'paused') throw new Error(`node ${String(name)} is paused, not down`);
    if (e.status === 'up') return;
    e.status = 'up';
    e.powered = true;
    e.incarnation++;
  }

  /**
   * Opens or closes the node's listener. While closed, its kernel refuses connections: a `connect`, or a
   * request from another node, is answered `connection-refused`; the answers to its own requests (on
   * connections it opened) still arrive.
   */
  setListening(name: NodeName, listening: boolean): void {
    this.entry(name).listening = listening;
  }

  pause(name: NodeName): void {
    const e = this.entry(name);
    if (e.status === 'up') e.status = 'paused';
  }

  /** The process runs again and works through what queued up, in arrival order. */
  resume(name: NodeName): void {
    const e = this.entry(name);
    if (e.status !== 'paused') return;
    e.status = 'up';
    const backlog = e.backlog.splice(0);
    for (const work of backlog) {
      if (e.status !== 'up') break;
      work();
    }
  }

  // -- faults -----------------------------------------------------------------------------------

  /** Cuts the link from → to (one direction): its packets are lost (TCP retransmits requests and responses). */
  cut(from: NodeName, to: NodeName): void {
    this.cuts.add(this.link(this.entry(from).idx, this.entry(to).idx));
  }

  /** Cuts every link to and from the node, including links to nodes that appear later. */
  isolate(name: NodeName): void {
    this.isolated.add(this.entry(name).idx);
  }

  /** Cuts every link between nodes of different groups; nodes in no group keep their links. */
  partition(groups: NodeName[][]): void {
    for (let i = 0; i < groups.length; i++) {
      for (let j = 0; j < groups.length; j++) {
        if (i === j) continue;
        for (const a of groups[i]) for (const b of groups[j]) this.cut(a, b);
      }
    }
  }

  /** Adds latency to every link of a node (replacing an earlier slow of the same node). */
  slowNode(name: NodeName, extraUs: number): void {
    this.nodeExtraUs.set(this.entry(name).idx, extraUs);
  }

  /** Adds latency to one link, both directions. */
  slowLink(a: NodeName, b: NodeName, extraUs: number): void {
    const ia = this.entry(a).idx;
    const ib = this.entry(b).idx;
    this.linkExtraUs.set(this.link(ia, ib), extraUs);
    this.linkExtraUs.set(this.link(ib, ia), extraUs);
  }

  /** Removes every network fault, or those touching one node. */
  heal(name: NodeName | 'all'): void {
    if (name === 'all') {
      this.cuts.clear();
      this.isolated.clear();
      this.nodeExtraUs.clear();
      this.linkExtraUs.clear();
      return;
    }
    const idx = this.entry(name).idx;
    this.isolated.delete(idx);
    this.nodeExtraUs.delete(idx);
    const touches = (k: number): boolean => Math.floor(k / LINK_SPACE) === idx || k % LINK_SPACE === idx;
    for (const k of [...this.cuts]) if (touches(k)) this.cuts.delete(k);
    for (const k of [...this.linkExtraUs.keys()]) if (touches(k)) this.linkExtraUs.delete(k);
  }

  /** True if a message from → to would be dropped by a cut right now. */
  isCut(from: NodeName, to: NodeName): boolean {
    const a = this.entry(from).idx;
    const b = this.entry(to).idx;
    return this.cutBetween(a, b);
  }

  /** The faults in force, for queries and the front end. */
  faults(): { cuts: [NodeName, NodeName][]; isolated: NodeName[]; slowNodes: [NodeName, number][]; slowLinks: [NodeName, NodeName, number][] } {
    const name = (i: number): NodeName => this.nodes[i].name;
    const pair = (k: number): [NodeName, NodeName] => [name(Math.floor(k / LINK_SPACE)), name(k % LINK_SPACE)];
    return {
      cuts: [...this.cuts].sort((x, y) => x - y).map(pair),
      isolated: [...this.isolated].sort((x, y) => x - y).map(name),
      slowNodes: [...this.nodeExtraUs].sort((x, y) => x[0] - y[0]).map(([i, us]) => [name(i), us]),
      slowLinks: [...this.linkExtraUs].sort((x, y) => x[0] - y[0]).map(([k, us]) => [...pair(k), us]),
    };
  }

  // -- internals --------------------------------------------------------------------------------

  /** @internal used by NodeContext */
  send(src: NodeEntry, to: NodeName, body: AnyMessage, toInc: number, quiet: boolean, request: Envelope | undefined): void {
    const dst = this.entry(to);
    const now = this.scheduler.now;
    const key = this.link(src.idx, dst.idx);
    this.sent++;
    const msg: Envelope = {
      from: src.name, to, body, sentAt: now, deliverAt: now, fromInc: src.incarnation, toInc, quiet,
      requestSentAt: request?.sentAt, requestDeliverAt: request?.deliverAt,
    };
    if (CONNECTION_NOTICES.has(body.kind)) {
      if (this.cutBetween(src.idx, dst.idx)) this.drop(msg, 'cut');
      else this.transmit(src, dst, msg, key, now);
      return;
    }
    // a cut swallows it, or it queues on the connection behind what TCP is retransmitting
    if (this.queuedBehind(key, msg) || this.cutBetween(src.idx, dst.idx)) return this.hold(msg, key, now);
    this.transmit(src, dst, msg, key, now);
  }

  /** Puts `msg` on the wire now: delivered after the link's latency, never before an earlier message of the link. */
  private transmit(src: NodeEntry, dst: NodeEntry, msg: Envelope, key: number, now: number): void {
    const body = msg.body;
    // a message to a live (or paused) process opens a connection: both sides hear if the other dies
    if (dst.status !== 'down' && msg.toInc === dst.incarnation && !CONNECTION_NOTICES.has(body.kind)) {
      src.peers.add(dst.idx);
      dst.peers.add(src.idx);
    }
    let deliverAt = now + this.latency(key, src.idx, dst.idx);
    const last = this.lastDelivery.get(key);
    if (last !== undefined && last > deliverAt) deliverAt = last;
    this.lastDelivery.set(key, deliverAt);
    msg.deliverAt = deliverAt;
    if (!msg.quiet) {
      this.record({ t: now, type: 'msg', k: body.kind, f: src.name, to: msg.to, d: deliverAt });
    }
    this.scheduler.at(deliverAt, this.deliverFn, msg);
  }

  /**
   * A cut swallowed `msg` (sent at `firstSentUs`), or it waits behind what one did: TCP sends it again
   * at its next retransmission (tcp-retransmission.ts). Traced as `msg-held`.
   */
  private hold(msg: Envelope, key: number, firstSentUs: number): void {
    let h = this.held.get(key);
    if (h === undefined) {
      h = { key, msgs: [], firstSentUs, fromInc: msg.fromInc, toInc: msg.toInc };
      this.held.set(key, h);
      this.scheduleRetransmission(key, h);
    }
    h.msgs.push(msg);
    this.record({ t: this.scheduler.now, type: 'msg-held', k: msg.body.kind, f: msg.from, to: msg.to, s: msg.sentAt });
  }

  /**
   * Whether `msg` must wait behind what TCP holds on its link: only on the same connection. A request
   * goes on the connection its sender (the same process) already has to that node, unaware of a
   * restart at the other end; a reply goes back on the connection its request came in on, so the
   * answer to a restarted process's new connection does not wait behind the old one.
   */
  private queuedBehind(key: number, msg: Envelope): boolean {
    // nothing held anywhere (no fault now, or ever): every message takes this path
    if (this.held.size === 0) return false;
    const h = this.held.get(key);
    if (h === undefined || h.fromInc !== msg.fromInc) return false;
    return msg.requestSentAt === undefined || h.toInc === msg.toInc;
  }

  private scheduleRetransmission(key: number, h: HeldLink): void {
    const now = this.scheduler.now;
    if (now >= giveUpUs(h.firstSentUs)) {
      // tcp_retries2 retransmissions went unanswered: the connection is given up, its data with it
      this.held.delete(key);
      for (const m of h.msgs) this.drop(m, 'cut');
      return;
    }
    this.scheduler.at(Math.max(nextRetransmissionUs(h.firstSentUs, now), now), this.retransmitFn, h);
  }

  /**
   * TCP's retransmission timer on link `key`: still cut, it backs off again; otherwise what was held
   * goes out in order (a sender that died since took its connection with it: connection-reset).
   */
  private retransmit(h: HeldLink): void {
    const key = h.key;
    // the connection was closed since (closeConnection): what it held went with it
    if (this.held.get(key) !== h) return;
    const src = this.nodes[Math.floor(key / LINK_SPACE)];
    const dst = this.nodes[key % LINK_SPACE];
    if (this.cutBetween(src.idx, dst.idx) || (dst.status === 'down' && !dst.powered)) return this.scheduleRetransmission(key, h);
    this.held.delete(key);
    const now = this.scheduler.now;
    // the connections reset so far, by the receiver's incarnation they were made with
    const reset = new Set<number>();
    for (const m of h.msgs) {
      // a sender that died since took its connection with it; so did a machine that came back since:
      // the first message to reach its new kernel is answered with a reset, and what was written
      // behind it on that connection goes with it
      // (a request was written on the sender's one connection, whatever it believed of the other end)
      if (m.fromInc !== src.incarnation || reset.has(m.toInc) || (reset.size > 0 && m.requestSentAt === undefined)) {
        this.drop(m, 'connection-reset');
        continue;
      }
      if (m.toInc !== dst.incarnation) {
        m.resetIfStale = true;
        reset.add(m.toInc);
      }
      this.transmit(src, dst, m, key, now);
    }
  }

  /**
   * `src` closes its connection to `to` (a request timed out: NetworkClient.handleTimedOutRequests, a
   * fetcher's or the controller channel's timeout): what TCP still held on it, both ways, is dropped
   * (`connection-reset`), and the next message opens a new connection instead of waiting behind it.
   */
  closeConnection(src: NodeEntry, to: NodeName): void {
    if (this.held.size === 0) return;
    const dst = this.entry(to);
    for (const key of [this.link(src.idx, dst.idx), this.link(dst.idx, src.idx)]) {
      const h = this.held.get(key);
      if (h === undefined) continue;
      this.held.delete(key);
      for (const m of h.msgs) this.drop(m, 'connection-reset');
    }
  }

  /** @internal used by NodeContext */
  timer<A>(e: NodeEntry, time: number, fn: (arg: A) => void, arg: A, timeout = false): EventId {
    // one small record per timer, run by one shared handler: no closure per timer on this hot path
    const t = newTimer(e, fn, arg);
    return timeout ? this.scheduler.timeout(time, runNodeTimer, t) : this.scheduler.at(time, runNodeTimer, t);
  }

  private deliver(msg: Envelope): void {
    const dst = this.entry(msg.to);
    const kind = msg.body.kind;
    // a machine without power answers nothing, not even a reset: TCP retransmits into the void until
    // it is back (its new kernel then resets the connection) or TCP gives up
    if (dst.status === 'down' && dst.handler !== undefined && !dst.powered && !CONNECTION_NOTICES.has(kind)) {
      return this.hold(msg, this.link(this.entry(msg.from).idx, dst.idx), msg.sentAt);
    }
    if (dst.status === 'down' || dst.handler === undefined) {
      this.drop(msg, 'node-down');
      // the machine is up but nothing listens: its OS refuses a connection made since the process
      // died (one made before is reset by down()); notices themselves are never answered
      if (dst.handler !== undefined && dst.powered && (kind === 'connect' || (msg.toInc === dst.incarnation && !CONNECTION_NOTICES.has(kind)))) {
        const src = this.entry(msg.from);
        if (!this.cutBetween(src.idx, dst.idx)) this.notify(dst, src, 'connection-refused', msg.fromInc, msg.body.correlationId);
      } else if (msg.resetIfStale === true && dst.handler !== undefined && dst.powered) {
        const src = this.entry(msg.from);
        if (!this.cutBetween(dst.idx, src.idx)) this.notify(dst, src, 'disconnect', msg.fromInc);
      }
      return;
    }
    if (!dst.listening && (kind === 'connect' || (msg.requestSentAt === undefined && !CONNECTION_NOTICES.has(kind)))) {
      this.drop(msg, 'not-listening');
      const src = this.entry(msg.from);
      if (!this.cutBetween(dst.idx, src.idx)) this.notify(dst, src, 'connection-refused', msg.fromInc, msg.body.correlationId);
      return;
    }
    if (kind === 'connect') return this.accept(msg, dst);
    if (dst.incarnation !== msg.toInc) {
      this.drop(msg, 'connection-reset');
      if (msg.resetIfStale === true) {
        const src = this.entry(msg.from);
        if (!this.cutBetween(dst.idx, src.idx)) this.notify(dst, src, 'disconnect', msg.fromInc);
      }
      return;
    }
    const src = this.entry(msg.from);
    if (CONNECTION_NOTICES.has(kind)) {
      if (this.cutBetween(src.idx, dst.idx)) return this.drop(msg, 'cut');
    } else {
      // lost on the wire when the cut came (TCP sends it again), or behind what was: never out of order
      const key = this.link(src.idx, dst.idx);
      if (this.queuedBehind(key, msg) || this.cutBetween(src.idx, dst.idx)) return this.hold(msg, key, msg.sentAt);
    }
    if (dst.status === 'paused') {
      dst.backlog.push(() => {
        if (dst.incarnation === msg.toInc) (dst.handler as MessageHandler)(msg, dst.ctx);
      });
      return;
    }
    dst.handler(msg, dst.ctx);
  }

  /** A TCP handshake reached a live or paused process: its kernel accepts the connection. */
  private accept(msg: Envelope, dst: NodeEntry): void {
    const src = this.entry(msg.from);
    if (this.cutBetween(src.idx, dst.idx)) return this.drop(msg, 'cut');
    src.peers.add(dst.idx);
    dst.peers.add(src.idx);
    this.notify(dst, src, 'connected', msg.fromInc, msg.body.correlationId);
  }

  /**
   * A notice from `host`'s OS to `to` (the incarnation `toInc`), sent like a message. An answer to a
   * message carries that message's correlation id, so the sender knows which attempt it concerns.
   */
  private notify(host: NodeEntry, to: NodeEntry, kind: 'disconnect' | 'connection-refused' | 'connected', toInc: number, correlationId?: number): void {
    this.send(host, to.name, correlationId === undefined ? { kind } : { kind, correlationId }, toInc, false, undefined);
  }

  /** `e` died: its connections close, and with `reset` (its machine runs) each peer is told. */
  private closeConnections(e: NodeEntry, reset: boolean): void {
    if (e.peers.size === 0) return;
    const peers = [...e.peers].sort((a, b) => a - b);
    e.peers.clear();
    for (const i of peers) {
      const peer = this.nodes[i];
      peer.peers.delete(e.idx);
      if (reset && peer.status !== 'down') this.notify(e, peer, 'disconnect', peer.incarnation);
    }
  }

  /** The network's own trace events (the catalog's messages). */
  private record(e: KafkaTraceEvent): void {
    this.trace.record(e);
  }

  private drop(msg: Envelope, why: DropReason): void {
    this.dropped++;
    this.record({ t: this.scheduler.now, type: 'msg-dropped', k: msg.body.kind, f: msg.from, to: msg.to, s: msg.sentAt, why });
  }

  private latency(key: number, a: number, b: number): number {
    const { minUs, maxUs } = this.spec.latency;
    let us = minUs;
    if (maxUs > minUs) {
      let rng = this.linkRng.get(key);
      if (rng === undefined) {
        rng = this.streams.stream(`network:${String(this.nodes[a].name)}>${String(this.nodes[b].name)}`);
        this.linkRng.set(key, rng);
      }
      us = rng.between(minUs, maxUs);
    }
    if (this.nodeExtraUs.size > 0) us += (this.nodeExtraUs.get(a) ?? 0) + (this.nodeExtraUs.get(b) ?? 0);
    if (this.linkExtraUs.size > 0) us += this.linkExtraUs.get(key) ?? 0;
    return us;
  }

  private cutBetween(a: number, b: number): boolean {
    if (this.isolated.size > 0 && (this.isolated.has(a) || this.isolated.has(b))) return true;
    return this.cuts.size > 0 && this.cuts.has(this.link(a, b));
  }

  private link(a: number, b: number): number {
    return a * LINK_SPACE + b;
  }

  private entry(name: NodeName): NodeEntry {
    let e = this.byName.get(name);
    if (e === undefined) {
      const partial = {
        name, idx: this.nodes.length, handler: undefined, status: 'down' as NodeStatus, incarnation: 0, powered: true, listening: true, peers: new Set<number>(), backlog: [],
      };
      e = partial as unknown as NodeEntry;
      e.ctx = new NodeContext(this, e);
      this.nodes.push(e);
      this.byName.set(name, e);
    }
    return e;
  }
}
