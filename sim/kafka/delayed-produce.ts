// The produce purgatory (DelayedProduce, ReplicaManager.delayedProducePurgatory): an acks=all request
// whose records are appended waits here until the leader's HW passes them. It is then answered NONE,
// or NOT_ENOUGH_REPLICAS_AFTER_APPEND if the maximal ISR fell below min ISR meanwhile (the data stays
// in the log, Partition.checkEnoughReplicasReachOffset), NOT_LEADER_OR_FOLLOWER once this broker no
// longer leads (naming the new leader, KIP-951), or REQUEST_TIMED_OUT after the request's timeoutMs (the producer's request.timeout.ms)
// though the records may still be committed later.

import type { EventId } from '../engine/index.ts';
import type { BrokerServices } from './broker-services.ts';
import { msToUs } from './effective-config.ts';
import { effectiveMinIsr } from './high-watermark.ts';
import type { Envelope } from './network.ts';
import type { Partition } from './partition.ts';
import type { ErrorCode, ProducePartitionResponse, ProduceRequest } from './protocol.ts';
import { currentLeader } from './produce.ts';

export interface DelayedPart {
  idx: number;
  /** lastOffset + 1 of the batch: the HW it waits for. */
  requiredOffset: number;
  done: boolean;
}

/** An acks=all request in the produce purgatory. */
interface DelayedProduce {
  msg: Envelope<ProduceRequest>;
  results: ProducePartitionResponse[];
  /** Index in `results` → the wait of that partition. */
  waits: Map<number, DelayedPart>;
  pending: number;
  timer: EventId;
}

export function replyToProduce(b: BrokerServices, msg: Envelope<ProduceRequest>, partitions: ProducePartitionResponse[]): void {
  b.ctx.reply(msg, { kind: 'produce-response', correlationId: msg.body.correlationId, partitions });
}

export class ProducePurgatory {
  /** The waiting requests by partition index, in arrival order. */
  private readonly watching = new Map<number, DelayedProduce[]>();

  constructor(
    private readonly b: BrokerServices,
    /** The broker's partitions, to tell a partition it no longer holds. */
    private readonly partitions: ReadonlyMap<number, Partition>,
  ) {}

  /** Parks a request whose `waits` wait for the HW; it is answered with `results` when done. */
  watch(msg: Envelope<ProduceRequest>, results: ProducePartitionResponse[], waits: Map<number, DelayedPart>): void {
    const d: DelayedProduce = { msg, results, waits, pending: waits.size, timer: 0 };
    for (const w of waits.values()) {
      let list = this.watching.get(w.idx);
      if (!list) {
        list = [];
        this.watching.set(w.idx, list);
      }
      list.push(d);
    }
    d.timer = this.b.ctx.timeoutAfter(msToUs(msg.body.timeoutMs), this.expireFn, d);
  }

  /**
   * DelayedProduce.tryComplete for every request waiting on `p` (Partition.checkEnoughReplicasReachOffset):
   * done once the HW passes the batch, or once this broker is no longer the leader.
   */
  checkAndComplete(p: Partition): void {
    const list = this.watching.get(p.idx);
    if (!list || list.length === 0) return;
    const b = this.b;
    const hw = p.log.highWatermark;
    let minIsr = -1;
    for (const d of [...list]) {
      for (const [i, w] of d.waits) {
        if (w.done || w.idx !== p.idx) continue;
        let error: ErrorCode | undefined;
        if (!p.isLeader || this.partitions.get(p.idx) !== p) error = 'NOT_LEADER_OR_FOLLOWER';
        else if (hw >= w.requiredOffset) {
          if (minIsr < 0) minIsr = effectiveMinIsr(b, p);
          error = p.maximalIsr().length >= minIsr ? 'NONE' : 'NOT_ENOUGH_REPLICAS_AFTER_APPEND';
        }
        if (error === undefined) continue;
        w.done = true;
        d.pending--;
        if (error === 'NOT_LEADER_OR_FOLLOWER') {
          // KafkaApis.handleProduceRequest's callback names the leader its metadata knows with every
          // NOT_LEADER_OR_FOLLOWER (ProduceResponse v10, KIP-951), a delayed answer's too
          const r = d.results[i];
          d.results[i] = { ...r, error, baseOffset: -1, currentLeader: currentLeader(b, r.topic, r.partition) };
        } else if (error !== 'NONE') d.results[i] = { ...d.results[i], error, baseOffset: -1 };
      }
      if (d.pending === 0) this.finish(d);
    }
  }

  private readonly expireFn = (d: DelayedProduce): void => this.expire(d);

  private expire(d: DelayedProduce): void {
    d.timer = 0;
    for (const [i, w] of d.waits) {
      if (w.done) continue;
      w.done = true;
      d.results[i] = { ...d.results[i], error: 'REQUEST_TIMED_OUT', baseOffset: -1 };
    }
    d.pending = 0;
    this.finish(d);
  }

  private finish(d: DelayedProduce): void {
    this.b.ctx.cancel(d.timer);
    for (const w of d.waits.values()) {
      const list = this.watching.get(w.idx);
      if (!list) continue;
      const at = list.indexOf(d);
      if (at >= 0) list.splice(at, 1);
    }
    replyToProduce(this.b, d.msg, d.results);
  }
}
