// A tiny stand-in for the brokers, attached to the real simulated network, so the clients can be
// tested against the wire protocol alone: metadata from a truth table, produce appended at once
// (acks honoured only as "reply or not"), consumer fetch up to the log end, ListOffsets and
// InitProducerId. Tests change the truth (leaders, dead brokers, errors) and watch the clients react.
import { Scheduler, RandomStreams, TraceRecorder, MS } from '../../../sim/engine/index.ts';
import { Network, type DownKind, type Envelope, type NodeContext } from '../../../sim/kafka/network.ts';
import type { ProduceRequest, FetchRequest, MetadataRequest, ListOffsetsRequest, RecordBatch } from '../../../sim/kafka/protocol.ts';
import { ProducerIds, INIT_PRODUCER_ID } from '../../../sim/kafka/clients/producer-id.ts';

export interface FakePartition {
  leader: number;
  epoch: number;
  log: RecordBatch[];
  leo: number;
}

export class FakeCluster {
  readonly scheduler = new Scheduler();
  readonly trace = new TraceRecorder();
  readonly streams = new RandomStreams(1);
  readonly network: Network;
  readonly partitions: FakePartition[];
  readonly ids = new ProducerIds();
  /** Every produce request a broker received: [time, broker, partition, count, baseSequence]. */
  readonly received: [number, number, number, number, number][] = [];
  /** Errors a broker returns for produce, by broker id, instead of appending. */
  readonly produceError = new Map<number, string>();
  /** Brokers that answer metadata with this (stale) view. */
  readonly staleMetadata = new Map<number, { leader: number; epoch: number }[]>();
  /** Brokers that swallow produce requests (append, never answer: a lost response). */
  readonly swallowResponses = new Set<number>();
  private readonly ctxs = new Map<number, NodeContext>();

  constructor(
    readonly brokers: number[],
    partitionLeaders: number[],
    readonly topic = 'orders',
    latencyUs = 1 * MS,
  ) {
    this.network = new Network(this.scheduler, this.streams, this.trace, { latency: { minUs: latencyUs, maxUs: latencyUs } });
    this.partitions = partitionLeaders.map((leader) => ({ leader, epoch: 0, log: [], leo: 0 }));
    for (const b of brokers) this.ctxs.set(b, this.network.attach(b, (m, ctx) => this.handle(b, m, ctx)));
  }

  /** The broker's process dies (its OS resets its connections) or its machine does (silence). */
  kill(b: number, how: DownKind = 'crash'): void {
    this.network.down(b, how);
  }

  moveLeader(p: number, leader: number): void {
    this.partitions[p].leader = leader;
    this.partitions[p].epoch++;
  }

  private handle(b: number, msg: Envelope, ctx: NodeContext): void {
    const body = msg.body as { kind: string };
    switch (body.kind) {
      case 'metadata':
        return this.metadata(b, msg as Envelope<MetadataRequest>, ctx);
      case 'produce':
        return this.produce(b, msg as Envelope<ProduceRequest>, ctx);
      case 'fetch':
        return this.fetch(b, msg as Envelope<FetchRequest>, ctx);
      case 'list-offsets':
        return this.listOffsets(b, msg as Envelope<ListOffsetsRequest>, ctx);
      case INIT_PRODUCER_ID:
        return ctx.reply(msg, { kind: 'init-producer-id-response', correlationId: msg.body.correlationId, error: 'NONE', producerId: this.ids.allocate(b), producerEpoch: 0 } as never);
    }
  }

  private metadata(b: number, msg: Envelope<MetadataRequest>, ctx: NodeContext): void {
    const view = this.staleMetadata.get(b) ?? this.partitions.map((p) => ({ leader: p.leader, epoch: p.epoch }));
    const live = this.brokers.filter((x) => this.network.status(x) === 'up');
    ctx.reply(msg, {
      kind: 'metadata-response', correlationId: msg.body.correlationId, brokerId: b, brokers: live, controllerId: 'controller',
      topics: [{
        name: this.topic, error: 'NONE',
        partitions: view.map((p, i) => ({ partition: i, error: p.leader < 0 ? 'LEADER_NOT_AVAILABLE' : 'NONE', leaderId: p.leader, leaderEpoch: p.epoch, replicas: this.brokers, isr: this.brokers, offlineReplicas: [] })),
      }],
    } as never);
  }

  private produce(b: number, msg: Envelope<ProduceRequest>, ctx: NodeContext): void {
    const req = msg.body;
    const out = req.partitions.map((item) => {
      this.received.push([this.scheduler.now, b, item.partition, item.records.count, item.records.baseSequence]);
      const p = this.partitions[item.partition];
      const err = this.produceError.get(b);
      if (err) return { topic: item.topic, partition: item.partition, error: err, baseOffset: -1 };
      if (p.leader !== b) return { topic: item.topic, partition: item.partition, error: 'NOT_LEADER_OR_FOLLOWER', baseOffset: -1 };
      if (item.records.idempotent) {
        const dup = p.log.find((x) => x.producerId === item.records.producerId && x.baseSequence === item.records.baseSequence);
        if (dup) return { topic: item.topic, partition: item.partition, error: 'NONE', baseOffset: dup.baseOffset };
      }
      const base = p.leo;
      p.log.push({ ...item.records, baseOffset: base, leaderEpoch: p.epoch });
      p.leo += item.records.count;
      return { topic: item.topic, partition: item.partition, error: 'NONE', baseOffset: base };
    });
    if (req.acks === 0 || this.swallowResponses.has(b)) return;
    ctx.reply(msg, { kind: 'produce-response', correlationId: req.correlationId, partitions: out } as never);
  }

  private fetch(b: number, msg: Envelope<FetchRequest>, ctx: NodeContext): void {
    const parts = msg.body.partitions.map((fp) => {
      const p = this.partitions[fp.partition];
      if (p.leader !== b) return { topic: fp.topic, partition: fp.partition, error: 'NOT_LEADER_OR_FOLLOWER', highWatermark: -1, logStartOffset: -1, records: [] };
      if (fp.fetchOffset > p.leo) return { topic: fp.topic, partition: fp.partition, error: 'OFFSET_OUT_OF_RANGE', highWatermark: p.leo, logStartOffset: 0, records: [] };
      const records = p.log.filter((x) => x.baseOffset + x.count > fp.fetchOffset);
      return { topic: fp.topic, partition: fp.partition, error: 'NONE', highWatermark: p.leo, logStartOffset: 0, records };
    });
    const any = parts.some((p) => p.records.length > 0 || p.error !== 'NONE');
    const respond = (): void => ctx.reply(msg, { kind: 'fetch-response', correlationId: msg.body.correlationId, error: 'NONE', partitions: parts } as never);
    if (any) respond();
    else ctx.after(msg.body.maxWaitMs * MS, respond);
  }

  private listOffsets(b: number, msg: Envelope<ListOffsetsRequest>, ctx: NodeContext): void {
    const parts = msg.body.partitions.map((lp) => {
      const p = this.partitions[lp.partition];
      if (p.leader !== b) return { topic: lp.topic, partition: lp.partition, error: 'NOT_LEADER_OR_FOLLOWER', offset: -1, leaderEpoch: -1 };
      return { topic: lp.topic, partition: lp.partition, error: 'NONE', offset: lp.timestamp === -2 ? 0 : p.leo, leaderEpoch: p.epoch };
    });
    ctx.reply(msg, { kind: 'list-offsets-response', correlationId: msg.body.correlationId, partitions: parts } as never);
  }

  /** Records in partition p's log, in offset order. */
  records(p: number): number {
    return this.partitions[p].leo;
  }
}
