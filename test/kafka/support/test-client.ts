// Small clients for the model's tests and benchmarks (the real producer lives in sim/kafka/clients).
// TestClient sends single requests to a chosen broker and keeps the answers. LoadClient is a minimal
// producer: per partition one request in flight carrying everything queued, leaders found by Metadata
// requests, retries on retriable errors and timeouts with the same sequence numbers (idempotent), and
// every record reported to the ledger, as a real producer reports it (ClientObserver).
import type { Simulation } from '../../../sim/kafka/simulation.ts';
import type { Envelope, NodeContext } from '../../../sim/kafka/network.ts';
import type { BatchRef } from '../../../sim/kafka/client-observer.ts';
import type {
  ErrorCode, MetadataResponse, ProduceResponse, FetchResponse, RecordBatch,
} from '../../../sim/kafka/protocol.ts';
import { MS } from '../../../sim/engine/index.ts';
import { parsePartitionName } from '../../../sim/kafka/spec.ts';

export interface ProduceHandle {
  sentAt: number;
  doneAt?: number;
  error?: ErrorCode;
  baseOffset?: number;
  /** True once any response (or disconnect) arrived. */
  done: boolean;
}

export class TestClient {
  readonly ctx: NodeContext;
  private corr = 1;
  private readonly waiting = new Map<number, (m: Envelope) => void>();
  private seqs = new Map<string, number>();

  constructor(readonly sim: Simulation, readonly name = 'tester', readonly producerId = 1) {
    this.ctx = sim.network.attach(name, (m) => {
      const cb = this.waiting.get(m.body.correlationId as number);
      if (cb) {
        this.waiting.delete(m.body.correlationId as number);
        cb(m);
      }
    });
  }

  /** Sends `count` records in one batch to `broker`, stamped with this producer's next sequences. */
  produce(broker: number, partitionName: string, opts: { count?: number; acks?: 0 | 1 | -1; timeoutMs?: number; idempotent?: boolean } = {}): ProduceHandle {
    const { topic, partition } = split(partitionName);
    const count = opts.count ?? 1;
    const acks = opts.acks ?? -1;
    const seq = this.seqs.get(partitionName) ?? 0;
    this.seqs.set(partitionName, seq + count);
    const ledger = this.sim.ledger;
    const ref: BatchRef = { producer: this.name, producerId: this.producerId, topic, partition, baseSequence: seq, count };
    const now = this.ctx.now;
    ledger.recordsCreated?.(ref, now, now, now);
    ledger.batchSent?.(ref, broker, 1, acks, now);
    const h: ProduceHandle = { sentAt: this.ctx.now, done: false };
    const correlationId = this.corr++;
    const records: RecordBatch = { baseOffset: -1, count, leaderEpoch: -1, producerId: this.producerId, baseSequence: seq, sizeBytes: 100 * count, idempotent: opts.idempotent };
    this.ctx.send(broker, { kind: 'produce', correlationId, acks, timeoutMs: opts.timeoutMs ?? 30000, partitions: [{ topic, partition, records }] });
    if (acks === 0) {
      h.done = true;
      ledger.batchAcked?.(ref, broker, -1, now);
      return h;
    }
    this.waiting.set(correlationId, (m) => {
      const r = (m.body as ProduceResponse).partitions[0];
      h.done = true;
      h.doneAt = this.ctx.now;
      h.error = r.error;
      h.baseOffset = r.baseOffset;
      if (r.error === 'NONE') ledger.batchAcked?.(ref, broker, r.baseOffset, this.ctx.now);
      else ledger.batchFailed?.(ref, broker, r.error, true, this.ctx.now);
    });
    return h;
  }

  /** A consumer-style fetch (HW isolation) of one partition from `broker`. */
  fetch(broker: number, partitionName: string, fetchOffset: number, maxWaitMs = 0): { response?: FetchResponse } {
    const { topic, partition } = split(partitionName);
    const out: { response?: FetchResponse } = {};
    const correlationId = this.corr++;
    this.waiting.set(correlationId, (m) => { out.response = m.body as FetchResponse; });
    this.ctx.send(broker, {
      kind: 'fetch', correlationId, replicaId: -1, replicaEpoch: -1, maxWaitMs, minBytes: 1, maxBytes: 1 << 20, isolation: 'HIGH_WATERMARK',
      partitions: [{ topic, partition, fetchOffset, currentLeaderEpoch: -1, lastFetchedEpoch: -1, partitionMaxBytes: 1 << 20 }],
    });
    return out;
  }

  metadata(broker: number): { response?: MetadataResponse } {
    const out: { response?: MetadataResponse } = {};
    const correlationId = this.corr++;
    this.waiting.set(correlationId, (m) => { out.response = m.body as MetadataResponse; });
    this.ctx.send(broker, { kind: 'metadata', correlationId, topics: null });
    return out;
  }
}

interface Pending {
  seq: number;
  createdAt: number;
}

interface PartitionQueue {
  name: string;
  topic: string;
  partition: number;
  queue: Pending[];
  /** A batch that failed: resent as it was (merging it with newer records would break sequences). */
  retry: Pending[] | null;
  nextSeq: number;
  inFlight: number;
  retryAt: number;
}

/**
 * A steady producer of `ratePerSec` records spread round-robin over `partitions`, acks as given,
 * idempotent. Leaders come from Metadata answers; errors and timeouts refresh them.
 */
export class LoadClient {
  readonly ctx: NodeContext;
  private corr = 1;
  private leaders = new Map<string, number>();
  private readonly queues: PartitionQueue[];
  private readonly inFlight = new Map<number, { q: PartitionQueue; batch: Pending[]; broker: number; timer: number }>();
  private metadataInFlight = 0;
  private rr = 0;
  stopped = false;
  acked = 0;
  errors = new Map<string, number>();

  constructor(
    readonly sim: Simulation,
    partitions: string[],
    readonly ratePerSec: number,
    readonly opts: { name?: string; acks?: 0 | 1 | -1; producerId?: number; requestTimeoutMs?: number; startUs?: number; stopUs?: number } = {},
  ) {
    this.ctx = sim.network.attach(opts.name ?? 'load', (m) => this.onMessage(m));
    this.queues = partitions.map((name) => ({ name, ...split(name), queue: [], retry: null, nextSeq: 0, inFlight: 0, retryAt: 0 }));
    const interval = Math.max(1, Math.round(1_000_000 / ratePerSec));
    const tick = (): void => {
      if (this.stopped || (opts.stopUs !== undefined && this.ctx.now >= opts.stopUs)) return;
      this.create();
      this.ctx.after(interval, tick);
    };
    this.ctx.at(opts.startUs ?? 0, () => {
      this.refreshMetadata();
      tick();
    });
  }

  private get acks(): 0 | 1 | -1 {
    return this.opts.acks ?? -1;
  }

  private get producerId(): number {
    return this.opts.producerId ?? 1000;
  }

  private create(): void {
    const q = this.queues[this.rr++ % this.queues.length];
    const seq = q.nextSeq++;
    const now = this.ctx.now;
    this.sim.ledger.recordsCreated?.(this.ref(q, seq, 1), now, now, now);
    q.queue.push({ seq, createdAt: this.ctx.now });
    this.drain(q);
  }

  private drain(q: PartitionQueue): void {
    if (q.inFlight !== 0 || (q.queue.length === 0 && q.retry === null) || this.ctx.now < q.retryAt) return;
    const broker = this.leaders.get(q.name);
    if (broker === undefined) return this.refreshMetadata();
    const batch = q.retry ?? q.queue.splice(0);
    q.retry = null;
    const correlationId = this.corr++;
    const count = batch.length;
    const records: RecordBatch = { baseOffset: -1, count, leaderEpoch: -1, producerId: this.producerId, baseSequence: batch[0].seq, sizeBytes: 100 * count, idempotent: true };
    const ref = this.ref(q, batch[0].seq, count);
    this.sim.ledger.batchSent?.(ref, broker, 1, this.acks, this.ctx.now);
    const timeoutMs = this.opts.requestTimeoutMs ?? 30000;
    // a produce round trip is traced as one line when its response arrives (like a follower fetch)
    this.ctx.send(broker, { kind: 'produce', correlationId, acks: this.acks, timeoutMs, partitions: [{ topic: q.topic, partition: q.partition, records }] }, { quiet: this.acks !== 0 });
    if (this.acks === 0) {
      this.sim.ledger.batchAcked?.(ref, broker, -1, this.ctx.now);
      return;
    }
    q.inFlight = correlationId;
    const timer = this.ctx.after(timeoutMs * MS, () => this.fail(correlationId, 'REQUEST_TIMED_OUT'));
    this.inFlight.set(correlationId, { q, batch, broker, timer });
  }

  private fail(correlationId: number, code: string): void {
    const f = this.inFlight.get(correlationId);
    if (!f) return;
    this.inFlight.delete(correlationId);
    this.ctx.cancel(f.timer);
    this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
    this.sim.recordProducerError(this.opts.name ?? 'load', code);
    f.q.inFlight = 0;
    f.q.retry = f.batch;
    f.q.retryAt = this.ctx.now + 100 * MS;
    this.leaders.delete(f.q.name);
    this.ctx.after(100 * MS, () => this.drain(f.q));
  }

  private onMessage(m: Envelope): void {
    const body = m.body;
    if (body.kind === 'metadata-response') return this.onMetadata(body as unknown as MetadataResponse);
    if (body.kind !== 'produce-response') return;
    const resp = body as unknown as ProduceResponse;
    const f = this.inFlight.get(resp.correlationId);
    this.ctx.trace({ t: this.ctx.now, type: 'rt', k: 'produce', f: this.ctx.name, to: m.from, s: m.requestSentAt, a: m.requestDeliverAt, r: m.sentAt });
    if (!f) return;
    const r = resp.partitions[0];
    if (r.error !== 'NONE') return this.fail(resp.correlationId, r.error);
    this.inFlight.delete(resp.correlationId);
    this.ctx.cancel(f.timer);
    f.q.inFlight = 0;
    this.acked += f.batch.length;
    this.sim.ledger.batchAcked?.(this.ref(f.q, f.batch[0].seq, f.batch.length), f.broker, r.baseOffset, this.ctx.now);
    this.drain(f.q);
  }

  /** The batch as the ledger knows a producer's batches. */
  private ref(q: PartitionQueue, baseSequence: number, count: number): BatchRef {
    return { producer: this.opts.name ?? 'load', producerId: this.producerId, topic: q.topic, partition: q.partition, baseSequence, count };
  }

  private refreshMetadata(): void {
    if (this.metadataInFlight !== 0) return;
    const brokers = this.sim.spec.brokers;
    const broker = brokers[this.corr % brokers.length];
    const correlationId = this.corr++;
    this.metadataInFlight = correlationId;
    this.ctx.send(broker, { kind: 'metadata', correlationId, topics: null });
    this.ctx.after(1000 * MS, () => {
      if (this.metadataInFlight === correlationId) {
        this.metadataInFlight = 0;
        this.refreshMetadata();
      }
    });
  }

  private onMetadata(resp: MetadataResponse): void {
    if (resp.correlationId !== this.metadataInFlight) return;
    this.metadataInFlight = 0;
    let missing = false;
    for (const t of resp.topics) {
      for (const p of t.partitions) {
        const name = `${t.name}-${p.partition}`;
        if (p.leaderId >= 0) this.leaders.set(name, p.leaderId);
        else {
          this.leaders.delete(name);
          missing = true;
        }
      }
    }
    for (const q of this.queues) this.drain(q);
    if (missing) this.ctx.after(500 * MS, () => this.refreshMetadata());
  }
}

export function split(name: string): { topic: string; partition: number } {
  const tp = parsePartitionName(name);
  if (!tp) throw new Error(`bad partition name ${name}`);
  return tp;
}
