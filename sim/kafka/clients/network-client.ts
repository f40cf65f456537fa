// The client side of the connections (clients/…/NetworkClient.java): correlation ids, the requests
// in flight to each broker, request.timeout.ms, and what a disconnect does. A broker that is dead,
// paused or cut off is never told about: the client only sees no answer, so when the oldest request
// to a node outlives its timeout the connection is closed (NetworkClient.handleTimedOutRequests) and
// every request in flight on it fails at once, as "disconnected". A response that arrives on a closed
// connection is dropped, because its correlation id is no longer in flight.

import type { EventId, Rng } from '../../engine/index.ts';
import type { Envelope, NodeContext } from '../network.ts';
import type { MessageBody } from '../protocol.ts';

export type FailureReason = 'timeout' | 'disconnect';

/**
 * reconnect.backoff.ms and reconnect.backoff.max.ms (CommonClientConfigs defaults 50 and 1000): a node
 * just disconnected is not tried again for this long, doubling per consecutive failure. They are not
 * scenario settings, so Kafka's defaults stand here.
 */
const RECONNECT_BACKOFF_US = 50_000;
const RECONNECT_BACKOFF_MAX_US = 1_000_000;

interface InFlightRequest {
  node: number;
  correlationId: number;
  kind: string;
  deadlineUs: number;
  onResponse: (body: any, msg: Envelope) => void;
  onFailure: (reason: FailureReason) => void;
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

export class NetworkClient {
  private nextCorrelationId: number;
  private readonly inFlight = new Map<number, InFlightRequest>();
  private readonly perNode = new Map<number, InFlightRequest[]>();
  private readonly timers = new Map<number, { id: EventId; at: number }>();
  /** Nodes that answered since their last disconnect (ClusterConnectionStates: READY). */
  private readonly connected = new Set<number>();
  /** Node → end of its reconnect backoff, and consecutive failed connections. */
  private readonly blackoutUntil = new Map<number, number>();
  private readonly failures = new Map<number, number>();

  constructor(
    private readonly ctx: NodeContext,
    /** Called after a node's connection closed (handleServerDisconnect → metadata.requestUpdate). */
    private readonly onDisconnect: (node: number, reason: FailureReason) => void,
    /**
     * Correlation ids are lane + k·lanes, so two NetworkClients of one process (a consumer's fetch
     * connections and its coordinator connection, which Kafka keeps apart) never share an id.
     */
    private readonly lane = 0,
    private readonly lanes = 1,
  ) {
    this.nextCorrelationId = lanes + lane;
  }

  /** Sends a request that expects a response; returns its correlation id. */
  send<B extends MessageBody>(spec: SendSpec<B>): number {
    const correlationId = this.nextCorrelationId;
    this.nextCorrelationId += this.lanes;
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
    this.ctx.send(spec.node, body, { quiet: spec.quiet === true });
    return correlationId;
  }

  /** Sends a request that gets no response (acks=0 produce): nothing stays in flight. */
  sendOneWay<B extends MessageBody>(node: number, body: B): void {
    this.ctx.send(node, { ...body, correlationId: this.nextCorrelationId });
    this.nextCorrelationId += this.lanes;
  }

  /** Routes a response to its request; false if it is not one of ours (or came too late). */
  handleResponse(msg: Envelope): boolean {
    const id = msg.body.correlationId;
    if (id === undefined) return false;
    const req = this.inFlight.get(id);
    if (req === undefined || msg.from !== req.node) return false;
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
    const n = this.failures.get(node) ?? 0;
    this.failures.set(node, n + 1);
    let backoff = RECONNECT_BACKOFF_US;
    for (let i = 0; i < n && backoff < RECONNECT_BACKOFF_MAX_US; i++) backoff *= 2;
    this.blackoutUntil.set(node, this.ctx.now + Math.min(backoff, RECONNECT_BACKOFF_MAX_US));
    const timer = this.timers.get(node);
    if (timer !== undefined) {
      this.ctx.cancel(timer.id);
      this.timers.delete(node);
    }
    for (const req of failed) req.onFailure(reason);
    this.onDisconnect(node, reason);
  }

  /**
   * NetworkClient.leastLoadedNode: an idle connected broker if there is one, else the connected one
   * with the fewest requests in flight, else one that may be connected to (not in reconnect backoff).
   * The scan starts at a random offset so ties spread over the cluster (the client's own stream).
   * −1 when every broker is in reconnect backoff.
   */
  leastLoadedNode(brokers: readonly number[], rng: Rng): number {
    if (brokers.length === 0) return -1;
    const offset = rng.int(brokers.length);
    const now = this.ctx.now;
    let best = -1;
    let bestCount = Number.MAX_SAFE_INTEGER;
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
      } else if (canConnect < 0) canConnect = node;
    }
    return best >= 0 ? best : canConnect;
  }

  /** NetworkClient.isReady, as far as modelled: the node is not in reconnect backoff. */
  isReady(node: number): boolean {
    return (this.blackoutUntil.get(node) ?? 0) <= this.ctx.now;
  }

  /** When the first broker's reconnect backoff ends (for a caller that found none available). */
  nextReconnectUs(brokers: readonly number[]): number {
    let t = Number.MAX_SAFE_INTEGER;
    for (const b of brokers) t = Math.min(t, this.blackoutUntil.get(b) ?? 0);
    return t;
  }

  private armTimer(node: number, deadlineUs: number): void {
    const timer = this.timers.get(node);
    if (timer !== undefined && timer.at <= deadlineUs) return;
    if (timer !== undefined) this.ctx.cancel(timer.id);
    const id = this.ctx.at(deadlineUs, () => this.checkTimeouts(node));
    this.timers.set(node, { id, at: deadlineUs });
  }

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
