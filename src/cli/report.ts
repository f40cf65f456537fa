// What `run` prints and returns about a finished run: the cluster as Kafka's tools describe it, the
// ledger, lost records grouped by the chain of events that lost them, the expectations, and the
// `run --json` object. Pure functions of a RunResult.

import { sha256 } from '@noble/hashes/sha2.js';
import { formatTime } from '../../sim/engine/index.ts';
import type { Simulation, TopicView } from '../../sim/kafka/index.ts';
import type { LostRecord } from '../../sim/kafka/ledger-port.ts';
import type { RunResult } from '../scenario/run.ts';
import { isOverRuns } from '../scenario/index.ts';
import { CURRENT_TOPIC_STYLE, formatGroupDescribe, formatTopicDescribe, groupStateNote, type ElrFields, type GroupRow, type TopicDescribeStyle } from './kafka-format.ts';
import type { ClusterSpec } from '../../sim/kafka/spec.ts';
import { compareVersions, CURRENT_VERSION } from '../../sim/kafka/versions.ts';

/** A stable 22-character base64url topic id derived from the name, shaped like Kafka's Uuid.toString(). */
export function topicId(name: string): string {
  const bytes = sha256(new TextEncoder().encode(`topic:${name}`)).slice(0, 16);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The ELR fields `kafka-topics --describe` of the cluster's version prints (kafka-format.ts ElrFields). */
export function elrFieldsOf(spec: Pick<ClusterSpec, 'kafkaVersion' | 'controller'>): ElrFields {
  if (compareVersions(spec.kafkaVersion ?? CURRENT_VERSION, '3.8') < 0) return 'none';
  return spec.controller === 'zookeeper' ? 'n/a' : 'empty';
}

/**
 * kafka-topics --describe of the cluster's version (TopicCommand at the release tags): `Topic:name`
 * without spaces before 2.4 (the tool moved to the AdminClient and `Topic: name` in 2.4), the TopicId
 * from 2.8 (KIP-516, topic ids in both modes), Adding/Removing Replicas from 2.6, a ReplicationFactor
 * without the replicas being added from 2.5, the ELR fields from 3.8.
 */
export function topicDescribeStyleOf(spec: Pick<ClusterSpec, 'kafkaVersion' | 'controller'>): TopicDescribeStyle {
  const v = spec.kafkaVersion ?? CURRENT_VERSION;
  return {
    spaced: compareVersions(v, '2.4') >= 0,
    topicId: compareVersions(v, '2.8') >= 0,
    reassignment: compareVersions(v, '2.6') >= 0,
    rfWithoutAdding: compareVersions(v, '2.5') >= 0,
    elr: elrFieldsOf(spec),
  };
}

export function describeTopics(topics: readonly TopicView[], style: TopicDescribeStyle = CURRENT_TOPIC_STYLE): string[] {
  return topics.flatMap((t) =>
    formatTopicDescribe({
      name: t.name,
      topicId: topicId(t.name),
      replicationFactor: t.replicationFactor,
      configs: t.configs,
      partitions: t.partitions.map((p) => ({ partition: p.partition, leader: p.leader, replicas: p.replicas, isr: p.isr, adding: p.adding, removing: p.removing })),
    }, style),
  );
}

/**
 * `kafka-consumer-groups --describe --all-groups`: ConsumerGroupCommand.printOffsets prints each group
 * as a table of its own (its header, column widths from its own rows, after an empty line), after the
 * line on its state the tool writes to stderr (no active members, rebalancing); a group without rows
 * prints nothing.
 */
export function describeGroups(sim: Simulation): string[] {
  const q = sim.parts.groupQueries;
  return q.groups().flatMap((g) => {
    const rows: GroupRow[] = q.groupOffsets(g).map((r) => ({
      group: g, topic: r.topic, partition: r.partition, currentOffset: r.committed, logEndOffset: r.logEndOffset,
      consumerId: r.consumerId, host: r.host, clientId: r.clientId,
    }));
    return rows.length === 0 ? [] : [...groupStateNote(g, q.groupState?.(g)), ...formatGroupDescribe(rows)];
  });
}

export interface LossGroup {
  partition: string;
  count: number;
  firstOffset: number;
  lastOffset: number;
  /** When the first and the last of the group were acknowledged, µs. */
  ackFromUs: number;
  ackToUs: number;
  ackBrokers: number[];
  acks: string;
  /** The chain after the acknowledgement, shared by every record of the group. */
  chain: string[];
}

/** Folds lost records that share a partition and an explanation chain into one group. */
export function groupLosses(lost: readonly LostRecord[]): LossGroup[] {
  const groups = new Map<string, LossGroup>();
  for (const r of lost) {
    // each step's text already says when it happened ("broker 1 crashed at 10s")
    const chain = r.explanation.filter((s) => s.kind !== 'acked').map((s) => s.text);
    const key = `${r.partition}\u0000${chain.join('\u0000')}`;
    const g = groups.get(key);
    if (!g) {
      groups.set(key, {
        partition: r.partition, count: 1, firstOffset: r.ack.offset, lastOffset: r.ack.offset, ackFromUs: r.ack.t, ackToUs: r.ack.t,
        ackBrokers: [r.ack.broker], acks: String(r.ack.acks), chain,
      });
      continue;
    }
    g.count++;
    g.firstOffset = Math.min(g.firstOffset, r.ack.offset);
    g.lastOffset = Math.max(g.lastOffset, r.ack.offset);
    g.ackFromUs = Math.min(g.ackFromUs, r.ack.t);
    g.ackToUs = Math.max(g.ackToUs, r.ack.t);
    if (!g.ackBrokers.includes(r.ack.broker)) g.ackBrokers.push(r.ack.broker);
  }
  return [...groups.values()].sort((a, b) => (a.partition < b.partition ? -1 : a.partition > b.partition ? 1 : a.ackFromUs - b.ackFromUs));
}

export function formatLossGroup(g: LossGroup): string {
  const offsets = g.firstOffset === g.lastOffset ? `offset ${g.firstOffset}` : `offsets ${g.firstOffset}–${g.lastOffset}`;
  const when = g.ackFromUs === g.ackToUs ? `at ${formatTime(g.ackFromUs)}` : `between ${formatTime(g.ackFromUs)} and ${formatTime(g.ackToUs)}`;
  const acks = g.acks === '-1' ? 'all' : g.acks;
  const head = `${g.partition}: ${g.count} record${g.count === 1 ? '' : 's'} (${offsets}) acked by broker ${g.ackBrokers.join(', ')} with acks=${acks} ${when}`;
  return [head, ...g.chain].join('; ');
}

/** The `run --json` object (README, The command). */
export function runJson(r: RunResult): Record<string, unknown> {
  const { sim } = r;
  const s = sim.ledgerSummary();
  return {
    name: r.scenario.name,
    title: r.scenario.title ?? null,
    seed: r.spec.seed,
    durationMs: r.endUs / 1000,
    traceHash: sim.trace.hash(),
    events: sim.trace.count,
    passed: r.passed,
    // expectations due after the run stopped (--until) are not checked, and not counted as held
    unchecked: r.scenario.expect.filter((e) => !isOverRuns(e)).length - r.expectations.length,
    expectations: r.expectations.map((e) => ({ ok: e.ok, check: e.check, expected: e.expected, actual: e.actual, atMs: e.atUs === undefined ? null : e.atUs / 1000, line: e.line })),
    records: {
      produced: s.produced, acked: s.acked, lost: s.lost, duplicates: s.duplicates, unavailable: s.unavailable, failed: s.failed,
      pending: s.pending, inFlight: s.inFlight, consumed: s.consumed,
    },
    lost: groupLosses(sim.lostRecords()).map((g) => ({ ...g, text: formatLossGroup(g) })),
    // per consumer group: records processed, processed more than once, skipped; and each run of them explained
    processing: {
      groups: [...new Set(r.spec.consumers.map((c) => c.group))].sort().map((group) => ({ group, ...sim.ledger.processing({ group }) })),
      anomalies: sim.ledger.processingAnomalies(),
    },
    partitions: sim.topics().flatMap((t) =>
      t.partitions.map((p) => ({
        partition: p.name, leader: p.leader, epoch: p.leaderEpoch, replicas: p.replicas, isr: p.isr, hw: p.highWatermark,
        leo: Object.fromEntries(p.brokers.map((b) => [String(b.broker), b.logEndOffset])),
      })),
    ),
    brokers: sim.brokers(),
    producerErrors: sim.producerErrors(),
    eventCounts: sim.eventCounts(),
  };
}
