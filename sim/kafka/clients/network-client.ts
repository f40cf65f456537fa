// The client side of the connections (clients/…/NetworkClient.java, ClusterConnectionStates.java):
// correlation ids, the requests in flight to each broker, request.timeout.ms, and what a disconnect
// does. A connection closes in one of three ways:
// - the broker's OS resets it (its process died or stopped): a `disconnect` notice, or a
//   `connection-refused` answer to a request made since (NetworkClient.handleDisconnections);
// - the oldest request on it outlives request.timeout.ms: a dead machine, a paused process or a cut
//   link says nothing, so the client closes the connection itself (handleTimedOutRequests);
// - the client closes it (a lost coordinator, AbstractCoordinator.markCoordinatorUnknown).
// Either way every request in flight on it fails at once as "disconnected" (processDisconnection →
// cancelInFlightRequests), the owner hears of it (handleServerDisconnect: metadata.requestUpdate), and
// the node is not tried again for reconnect.backoff.ms, doubling per consecutive failure up to
// reconnect.backoff.max.ms with ±20% jitter (ClusterConnectionStates.updateReconnectBackoff). A
// response that arrives on a closed connection is dropped: its correlation id is no longer in flight.
//
// Connection set-up: a client's first connection to a broker is folded into its first request (no
// handshake is modelled, so a healthy cluster is not slowed by one). A connection that closed must be
// set up again before anything is sent on it: a `connect` handshake, answered by the broker's host
// (`connected`, or `connection-refused` when its process is down) or by nothing (a dead machine, a cut
// link), which fails after socket.connection.setup.timeout.ms (doubling to the .max.ms, KIP-601).
// Requests made meanwhile wait for it (ConsumerNetworkClient's unsent queue); the producer's sender
// asks `ready()` and drains batches only to a connected broker, as Sender.sendProducerData does. An
// acks=0 request has no response to show the connection worked, so it needs a connected socket even
// the first time (it counts as sent once written to one).

import type { EventId, Rng } from '../../engine/index.ts';
import type { Envelope, NodeContext } from '../network.ts';
import type { MessageBody } from '../protocol.ts';
import { ExponentialBackoff } from './backoff.ts';

export type FailureReason = 'timeout' | 'disconnect';

/** reconnect.backoff.ms / .max.ms and socket.connection.setup.timeout.ms / .max.ms, in µs. */
export interface ConnectionSettings {
  reconnectBackoffUs: number;
  reconnectBackoffMaxUs: number;
  connectionSetupTimeoutUs: number;
  connectionSetupTimeoutMaxUs: number;
}

export interface NetworkClientHooks {
  /** A node's connection closed (handleServerDisconnect → metadata.requestUpdate). */
  onDisconnect: (node: number, reason: FailureReason) => void;
  /** A connection set up after a disconnect is ready: whoever waited for it may send now. */
  onReady?: (node: number) => void;
}

const NEVER = Number.MAX_SAFE_INTEGER;

interface InFlightRequest {
  node: number;
  correlationId: number;
  kind: string;
  deadlineUs: number;
  onResponse: (body: any, msg: Envelope) => void;
  onFailure: (reason: FailureReason) => void;
  /** Not sent yet: it waits for the connection to be set up. */
  waiting?: { body: MessageBody; quiet: boolean };
}

export interface SendSpec<B> {
  node: number;
  body: B;
  /** Time allowed for the response, µs. */
  timeoutUs: number;
  onResponse: (body: any, msg: Envelope) => void;
  onFailure: (reason: FailureReason) => void;
  /** Send untraced: the receiver of the reply traces the round trip. */
  quiet?: boolean;
}

/** A connection being set up: the handshake's id and its setup timer. */
interface Connecting {
  correlationId: number;
  timer: EventId;
}

export class NetworkClient {
  private nextCorrelationId: number;
  private readonly inFlight = new Map<number, InFlightRequest>();
  private readonly perNode = new Map<number, InFlightRequest[]>();
  private readonly timers = new Map<number, { id: EventId; at: number }>();
  /** Nodes that answered, or accepted a handshake, since their last disconnect (READY). */
  private readonly connected = new Set<number>();
  /** Nodes with a connection open or opening: sent to since their last disconnect. */
  private readonly open = new Set<number>();
  /** Nodes whose connection closed: the next one needs a handshake (DISCONNECTED). */
  private readonly closed = new Set<number>();
  private readonly connecting = new Map<number, Connecting>();
  /** Node → a timer that starts a handshake when its reconnect backoff ends (requests are waiting). */
  private readonly reconnectTimers = new Map<number, EventId>();
  /** Node → end of its reconnect backoff, and consecutive failed connections. */
  private readonly blackoutUntil = new Map<number, number>();
  private readonly failures = new Map<number, number>();
  /**
   * Consecutive handshakes that failed (ClusterConnectionStates.failedConnectAttempts): only these
   * lengthen the setup timeout; the close of an established connection starts it over.
   */
  private readonly connectFailures = new Map<number, number>();
  private readonly reconnectBackoff: ExponentialBackoff;
  private readonly setupTimeout: ExponentialBackoff;

  constructor(
    private readonly ctx: NodeContext,
    settings: ConnectionSettings,
    /** The client's own stream for the backoff and timeout jitter. */
    rng: Rng,
    private readonly hooks: NetworkClientHooks,
    /**
     * Correlation ids are lane + k·lanes, so two NetworkClients of one process (a consumer's fetch
     * connections and its coordinator connection, which Kafka keeps apart) never share an id.
     */
    private readonly lane = 0,
    private readonly lanes = 1,
  ) {
    this.nextCorrelationId = lanes + lane;
    this.reconnectBackoff = new ExponentialBackoff(settings.reconnectBackoffUs, settings.reconnectBackoffMaxUs, rng);
    this.setupTimeout = new ExponentialBackoff(settings.connectionSetupTimeoutUs, settings.connectionSetupTimeoutMaxUs, rng);
  }

  private takeCorrelationId(): number {
    const id = this.nextCorrelationId;
    this.nextCorrelationId += this.lanes;
    return id;
  }

  /**
   * Sends a request that expects a response; returns its correlation id. To a node whose connection
   * closed, the request waits until a new one is set up (or fails with it).
   */
  send<B extends MessageBody>(spec: SendSpec<B>): number {
    const correlationId = this.takeCorrelationId();
    // the body is the caller's fresh object: stamp it rather than copy it
    const body = spec.body as B & { correlationId: number };
    body.correlationId = correlationId;
    const req: InFlightRequest = {
      node: spec.node, correlationId, kind: body.kind, deadlineUs: this.ctx.now + spec.timeoutUs,
      onResponse: spec.onResponse, onFailure: spec.onFailure,
    };
    this.inFlight.set(correlationId, req);
    let list = this.perNode.get(spec.node);
    if (list === undefined) {
      list = [];
      this.perNode.set(spec.node, list);
    }
    list.push(req);
    this.armTimer(spec.node, req.deadlineUs);
    if (this.closed.has(spec.node) && !this.connected.has(spec.node)) {
      req.waiting = { body, quiet: spec.quiet === true };
      this.connectWhenAllowed(spec.node);
      return correlationId;
    }
    this.open.add(spec.node);
    this.ctx.send(spec.node, body, { quiet: spec.quiet === true });
    return correlationId;
  }

  /** Sends a request that gets no response (acks=0 produce) on a connected socket (see ready()). */
  sendOneWay<B extends MessageBody>(node: number, body: B): void {
    this.open.add(node);
    this.ctx.send(node, { ...body, correlationId: this.takeCorrelationId() });
  }

  /** Routes a response to its request; false if it is not one of ours (or came too late). */
  handleResponse(msg: Envelope): boolean {
    const id = msg.body.correlationId;
    if (id === undefined) return false;
    const req = this.inFlight.get(id);
    if (req === undefined || msg.from !== req.node || req.waiting !== undefined) return false;
    this.inFlight.delete(id);
    const list = this.perNode.get(req.node) as InFlightRequest[];
    const i = list.indexOf(req);
    if (i >= 0) list.splice(i, 1);
    if (!this.connected.has(req.node)) {
      this.connected.add(req.node);
      this.failures.delete(req.node);
    }
    req.onResponse(msg.body, msg);
    return true;
  }

  /**
   * A notice from a broker's host about our connection (protocol.ts ConnectionNotice): a reset or a
   * refusal closes it (NetworkClient.handleDisconnections), an accepted handshake makes it ready.
   * Notices about a connection this client does not have are ignored (false).
   */
  handleNotice(msg: Envelope): boolean {
    const node = msg.from;
    if (typeof node !== 'number') return false;
    const id = msg.body.correlationId;
    switch (msg.body.kind) {
      case 'disconnect':
        if (!this.open.has(node)) return false;
        this.disconnect(node, 'disconnect');
        return true;
      case 'connection-refused': {
        // the refusal of one attempt: of the handshake under way, or of a request still in flight
        const c = this.connecting.get(node);
        const req = id === undefined ? undefined : this.inFlight.get(id);
        if ((c === undefined || c.correlationId !== id) && (req === undefined || req.node !== node || req.waiting !== undefined)) return false;
        this.disconnect(node, 'disconnect');
        return true;
      }
      case 'connected': {
        const c = this.connecting.get(node);
        if (c === undefined || c.correlationId !== id) return false;
        this.ctx.cancel(c.timer);
        this.connecting.delete(node);
        this.connected.add(node);
        this.closed.delete(node);
        // ClusterConnectionStates.ready: the failure count and both backoffs start over
        this.failures.delete(node);
        this.connectFailures.delete(node);
        for (const req of this.perNode.get(node) ?? []) {
          if (req.waiting === undefined) continue;
          const { body, quiet } = req.waiting;
          req.waiting = undefined;
          this.ctx.send(node, body, { quiet });
        }
        this.hooks.onReady?.(node);
        return true;
      }
      default:
        return false;
    }
  }

  inFlightCount(node: number): number {
    return this.perNode.get(node)?.length ?? 0;
  }

  /** In-flight requests of one kind to a node. */
  inFlightOfKind(node: number, kind: string): number {
    const list = this.perNode.get(node);
    if (list === undefined) return 0;
    let n = 0;
    for (const r of list) if (r.kind === kind) n++;
    return n;
  }

  /** Cancels one request without closing the connection (its late response is ignored). */
  forget(correlationId: number): void {
    const req = this.inFlight.get(correlationId);
    if (req === undefined) return;
    this.inFlight.delete(correlationId);
    const list = this.perNode.get(req.node) as InFlightRequest[];
    list.splice(list.indexOf(req), 1);
  }

  /** Closes the connection to `node`: every request in flight on it fails. */
  disconnect(node: number, reason: FailureReason): void {
    const list = this.perNode.get(node);
    const failed = list === undefined ? [] : list.splice(0);
    for (const req of failed) this.inFlight.delete(req.correlationId);
    this.connected.delete(node);
    this.open.delete(node);
    this.closed.add(node);
    // the socket is closed: what TCP still retransmits on it goes with it (a reset needs no closing)
    if (reason === 'timeout') this.ctx.closeConnection(node);
    const c = this.connecting.get(node);
    // ClusterConnectionStates.disconnected: a failed handshake lengthens the next setup timeout
    // (updateConnectionSetupTimeout), any other close resets it (resetConnectionSetupTimeout)
    if (c !== undefined) {
      this.ctx.cancel(c.timer);
      this.connecting.delete(node);
      this.connectFailures.set(node, (this.connectFailures.get(node) ?? 0) + 1);
    } else this.connectFailures.delete(node);
    const reconnect = this.reconnectTimers.get(node);
    if (reconnect !== undefined) {
      this.ctx.cancel(reconnect);
      this.reconnectTimers.delete(node);
    }
    // ClusterConnectionStates.disconnected → updateReconnectBackoff: backoff(failedAttempts++)
    const n = this.failures.get(node) ?? 0;
    this.failures.set(node, n + 1);
    this.blackoutUntil.set(node, this.ctx.now + this.reconnectBackoff.backoff(n));
    const timer = this.timers.get(node);
    if (timer !== undefined) {
      this.ctx.cancel(timer.id);
      this.timers.delete(node);
    }
    for (const req of failed) req.onFailure(reason);
    this.hooks.onDisconnect(node, reason);
  }

  /**
   * NetworkClient.leastLoadedNode: an idle connected broker if there is one, else the connected one
   * with the fewest requests in flight, else one whose connection is being set up, else one that may
   * be connected to (not in reconnect backoff). The scan starts at a random offset so ties spread over
   * the cluster (the client's own stream). −1 when every broker is in reconnect backoff.
   */
  leastLoadedNode(brokers: readonly number[], rng: Rng): number {
    if (brokers.length === 0) return -1;
    const offset = rng.int(brokers.length);
    const now = this.ctx.now;
    let best = -1;
    let bestCount = Number.MAX_SAFE_INTEGER;
    let connecting = -1;
    let canConnect = -1;
    for (let i = 0; i < brokers.length; i++) {
      const node = brokers[(offset + i) % brokers.length];
      if ((this.blackoutUntil.get(node) ?? 0) > now) continue;
      const n = this.inFlightCount(node);
      if (this.connected.has(node)) {
        if (n === 0) return node;
        if (n < bestCount) {
          best = node;
          bestCount = n;
        }
      } else if (this.connecting.has(node)) {
        if (connecting < 0) connecting = node;
      } else if (canConnect < 0) canConnect = node;
    }
    if (best >= 0) return best;
    return connecting >= 0 ? connecting : canConnect;
  }

  /**
   * Not in reconnect backoff: a request may be made to the node (ConsumerNetworkClient queues it
   * until the connection is up). Compare ready(), which also asks for a connection that is up.
   */
  isReady(node: number): boolean {
    return (this.blackoutUntil.get(node) ?? 0) <= this.ctx.now;
  }

  /**
   * NetworkClient.ready: may requests be written to `node` now? A connection that closed must be set
   * up again first, and an acks=0 sender (`needsConnected`) needs one set up even the first time;
   * if one is needed and allowed, the handshake starts here and hooks.onReady tells when it is done.
   */
  ready(node: number, needsConnected = false): boolean {
    if (!this.isReady(node)) return false;
    if (this.connected.has(node)) return true;
    if (!needsConnected && !this.closed.has(node)) return true;
    if (!this.connecting.has(node)) this.startConnect(node);
    return false;
  }

  /** When a node ready() turned down may be ready: the end of its backoff, or NEVER (onReady will say). */
  readyAtUs(node: number): number {
    const until = this.blackoutUntil.get(node) ?? 0;
    return until > this.ctx.now ? until : NEVER;
  }

  /** When the first broker's reconnect backoff ends (for a caller that found none available). */
  nextReconnectUs(brokers: readonly number[]): number {
    let t = Number.MAX_SAFE_INTEGER;
    for (const b of brokers) t = Math.min(t, this.blackoutUntil.get(b) ?? 0);
    return t;
  }

  /** Requests wait for `node`: set up a connection now, or when its reconnect backoff ends. */
  private connectWhenAllowed(node: number): void {
    if (this.connecting.has(node) || this.reconnectTimers.has(node)) return;
    const until = this.blackoutUntil.get(node) ?? 0;
    if (until <= this.ctx.now) return this.startConnect(node);
    this.reconnectTimers.set(node, this.ctx.at(until, () => {
      this.reconnectTimers.delete(node);
      if (this.perNode.get(node)?.some((r) => r.waiting !== undefined)) this.connectWhenAllowed(node);
    }));
  }

  /** NetworkClient.initiateConnect: a handshake, given up after the connection setup timeout. */
  private startConnect(node: number): void {
    const correlationId = this.takeCorrelationId();
    const timeoutUs = this.setupTimeout.backoff(this.connectFailures.get(node) ?? 0);
    const timer = this.ctx.after(timeoutUs, () => {
      if (this.connecting.get(node)?.correlationId !== correlationId) return;
      this.connecting.delete(node);
      this.disconnect(node, 'timeout');
    });
    this.connecting.set(node, { correlationId, timer });
    this.open.add(node);
    this.ctx.send(node, { kind: 'connect', correlationId });
  }

  private armTimer(node: number, deadlineUs: number): void {
    const timer = this.timers.get(node);
    if (timer !== undefined && timer.at <= deadlineUs) return;
    if (timer !== undefined) this.ctx.cancel(timer.id);
    const id = this.ctx.timeoutAfter(deadlineUs - this.ctx.now, this.checkTimeoutsFn, node);
    this.timers.set(node, { id, at: deadlineUs });
  }

  private readonly checkTimeoutsFn = (node: number): void => this.checkTimeouts(node);

  /** NetworkClient.handleTimedOutRequests for one node. */
  private checkTimeouts(node: number): void {
    this.timers.delete(node);
    const list = this.perNode.get(node);
    if (list === undefined || list.length === 0) return;
    let earliest = Number.MAX_SAFE_INTEGER;
    for (const r of list) if (r.deadlineUs < earliest) earliest = r.deadlineUs;
    if (earliest <= this.ctx.now) this.disconnect(node, 'timeout');
    else this.armTimer(node, earliest);
  }
}
