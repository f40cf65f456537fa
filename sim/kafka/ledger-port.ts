// The ledger as the model and the clients see it: the calls that tell it about a record's life
// (sim/kafka/ledger-port.ts) and the results it reports. The implementation lives in sim/check/ledger.ts, which
// sim/check's part hands to a simulation when it is assembled; sim/kafka only knows this interface.
// It is also a ClientObserver (client-observer.ts), so the producers and consumers report to the
// ledger directly.

import type { ClientObserver } from './client-observer.ts';

/** Which records a summary counts: all, one topic, or one partition ("orders-0"). */
export interface LedgerFilter {
  topic?: string;
  partition?: string;
  /** Narrows `consumed` to the records this consumer group received. */
  group?: string;
}

/**
 * The ledger's definitions (docs/scenario-format.md, "What the record counts mean"). Every record the application handed to a producer (send()) is in
 * exactly one of four states, so
 *
 *     produced = acked + failed + pending + inFlight
 *
 * holds at any moment of a run, for the whole ledger and for one topic. With a partition filter the
 * records that never got an identity are left out (one blocked in send() has no partition yet):
 * there produced = acked + failed + inFlight and pending is 0.
 */
export interface LedgerSummary {
  /** Records the application handed to a producer (KafkaProducer.send), sent or not. */
  produced: number;
  /** Records sent to a broker at least once. */
  sent: number;
  /** The producer received a success. */
  acked: number;
  /**
   * The producer gave up on them (an error it does not retry, or delivery.timeout.ms), send()
   * itself failed (max.block.ms), or the producer's process died with them.
   */
  failed: number;
  /** Never sent yet: waiting in the producer's accumulator (no producer id or leader yet) or blocked in send(). */
  pending: number;
  /** Sent, and neither acknowledged nor failed yet (awaiting an answer, or queued for a retry). */
  inFlight: number;
  /** Acked and not in the current leader's log at the end. */
  lost: number;
  /** Extra copies: the same identity at more than one offset of a final leader log. */
  duplicates: number;
  /** Acked records of partitions that have no leader at the end. */
  unavailable: number;
  /** Records some consumer group received. */
  consumed: number;
}

/** One step of the chain that explains a loss: what happened, when, in words. */
export interface ExplanationStep {
  t: number;
  /** `fault`: a network fault or a pause that cut the acknowledging broker off (a zombie leader's story). */
  kind: 'acked' | 'crashed' | 'power-loss' | 'disk-loss' | 'elected' | 'truncated' | 'restarted' | 'shutdown' | 'fault';
  broker?: number;
  text: string;
}

export interface LostRecord {
  partition: string;
  producerId: number;
  sequence: number;
  producer?: string;
  /**
   * Where it was acknowledged; `epoch` is the leader epoch it was written in (the acknowledging
   * broker's own append as leader; −1 if that broker never appended it, as an acks=0 send can).
   */
  ack: { t: number; broker: number; offset: number; acks: number | string; epoch: number };
  /**
   * When it left the current leader's log for good: the election of a leader without it, or the
   * truncation that removed it from the leader. A zombie leader's acknowledgement (its epoch had
   * already been replaced) is lost the moment it is given: lostAt = ack.t.
   */
  lostAt: number;
  explanation: ExplanationStep[];
  /** The explanation as one sentence, for the CLI. */
  text: string;
}

export interface AckInfo {
  /** The broker that answered. */
  broker: number;
  /** Offset of the first record of the batch. */
  baseOffset: number;
  acks: 0 | 1 | -1 | 'all';
}

/** Which groups' and partitions' processing a query counts. */
export interface ProcessingFilter {
  group?: string;
  topic?: string;
  partition?: string;
}

/** What consumer groups' applications did with the records (sim/check/processing-ledger.ts). */
export interface ProcessingSummary {
  /** Records (offset and group) processed at least once. */
  processed: number;
  /** Of those, records processed more than once (at-least-once redelivery). */
  duplicatesProcessed: number;
  /** Records below the group's committed offset that no member processed (and none has in hand). */
  skipped: number;
}

/** A run of offsets a group processed more than once, or skipped, with its story. */
export interface ProcessingAnomaly {
  group: string;
  partition: string;
  kind: 'duplicate' | 'skipped';
  /** Offsets [from, to). */
  from: number;
  to: number;
  /** How many times they were processed (0 for a skip). */
  times: number;
  /** A skip's reason: committed-before-processing, or the position change that passed them (reset-latest, …). */
  reason?: string;
  text: string;
}

export interface LedgerPort extends ClientObserver {
  /** A producer created a record (its identity is partition + producerId + sequence). */
  recordCreated(topic: string, partition: number, producerId: number, sequence: number, producer?: string): void;
  recordSent(topic: string, partition: number, producerId: number, baseSequence: number, count: number, broker: number): void;
  recordAcked(topic: string, partition: number, producerId: number, baseSequence: number, count: number, ack: AckInfo): void;
  recordFailed(topic: string, partition: number, producerId: number, baseSequence: number, count: number, code: string): void;
  recordConsumed(group: string, topic: string, partition: number, producerId: number, sequence: number, offset: number): void;
  summary(filter?: LedgerFilter): LedgerSummary;
  lostRecords(filter?: LedgerFilter): LostRecord[];
  /** Records processed, processed more than once, skipped, per consumer group. */
  processing(filter?: ProcessingFilter): ProcessingSummary;
  /** Every run of records processed more than once or skipped, explained. */
  processingAnomalies(filter?: ProcessingFilter): ProcessingAnomaly[];
}

/** Used when no part gave the simulation a ledger: recording is a no-op, queries say what is missing. */
export class MissingLedger implements LedgerPort {
  recordCreated(): void {}
  recordSent(): void {}
  recordAcked(): void {}
  recordFailed(): void {}
  recordConsumed(): void {}
  summary(): LedgerSummary {
    throw new Error('no ledger: assemble the simulation with the checks part (sim/check), which gives it one');
  }
  lostRecords(): LostRecord[] {
    throw new Error('no ledger: assemble the simulation with the checks part (sim/check), which gives it one');
  }
  processing(): ProcessingSummary {
    throw new Error('no ledger: assemble the simulation with the checks part (sim/check), which gives it one');
  }
  processingAnomalies(): ProcessingAnomaly[] {
    throw new Error('no ledger: assemble the simulation with the checks part (sim/check), which gives it one');
  }
}
