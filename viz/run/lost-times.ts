// When did each lost record become lost? The ledger says which records are lost at the end and why;
// the view needs the moment to start drawing them as lost: the last time the record went missing
// from the log of the partition's leader (an election of a replica without it, or a truncation of
// the leader) and stayed missing. Also: the leader epoch a record was written in, from the
// acknowledging broker's appends, which identifies the record's cell among re-used offsets.

import type { VizEvent } from '../lib/events.ts';
import type { LostRecord } from '../lib/run-data.ts';
import { applyEvent, epochAt, initialState, type Topology } from '../lib/view-state.ts';

/** The appends of each replica, to find the epoch a record was written in. */
export class AppendIndex {
  private readonly byReplica = new Map<string, Extract<VizEvent, { type: 'append' }>[]>();
  constructor(events: readonly VizEvent[]) {
    for (const e of events) if (e.type === 'append') (this.byReplica.get(`${e.partition}|${e.broker}`) ?? this.byReplica.set(`${e.partition}|${e.broker}`, []).get(`${e.partition}|${e.broker}`)!).push(e);
  }
  /** The epoch of the last append on `broker` covering `offset` at or before `tUs`. */
  epochAt(partition: string, broker: number, offset: number, tUs: number): number | undefined {
    const list = this.byReplica.get(`${partition}|${broker}`) ?? [];
    for (let i = list.length - 1; i >= 0; i--) {
      const e = list[i];
      if (e.tUs <= tUs && e.from <= offset && offset < e.to) return e.epoch;
    }
    return undefined;
  }
}

/** Sets `lostUs` on each record: the start of its final absence from the leader's log. */
export function computeLostTimes(records: LostRecord[], events: readonly VizEvent[], topo?: Topology): void {
  if (records.length === 0) return;
  const byPartition = new Map<string, LostRecord[]>();
  for (const r of records) (byPartition.get(r.partition) ?? byPartition.set(r.partition, []).get(r.partition)!).push(r);
  const names = [...byPartition.keys()];
  // A private fold over only the partitions that lost something (topology from the events themselves).
  const t: Topology = topo ?? {
    brokers: [],
    controller: 'kraft',
    partitions: names.map((name) => ({ name, topic: name.replace(/-\d+$/, ''), index: 0, replicas: replicasOf(events, name) })),
    producers: [],
    consumers: [],
    durationUs: 0,
  };
  const s = initialState(t);
  const present = new Map<LostRecord, boolean>();
  for (const e of events) {
    applyEvent(s, e);
    const name = 'partition' in e ? (e as { partition?: string }).partition : undefined;
    if (name === undefined || !byPartition.has(name)) continue;
    if (!(e.type === 'leader' || e.type === 'partition-state' || e.type === 'truncate' || e.type === 'append')) continue;
    const p = s.partitions[name];
    if (!p) continue;
    const leader = p.leader === null ? undefined : p.logs[p.leader];
    for (const r of byPartition.get(name)!) {
      if (r.ackedUs !== undefined && e.tUs < r.ackedUs) continue;
      const has = leader !== undefined && epochAt(leader, r.offset) === r.epoch;
      const was = present.get(r) ?? true;
      if (was && !has && leader !== undefined) r.lostUs = e.tUs;
      if (has || leader !== undefined) present.set(r, has);
    }
  }
  for (const r of records) r.lostUs ??= r.story.find((st) => /elect|truncat/i.test(st.text))?.tUs ?? r.ackedUs;
}

/** The replica list of a partition, from its first partition-change (assignment order: the ISR at creation). */
function replicasOf(events: readonly VizEvent[], name: string): number[] {
  const set = new Set<number>();
  for (const e of events) {
    if ((e.type === 'partition-state' || e.type === 'leader') && e.partition === name) for (const b of e.isr ?? []) set.add(b);
    if ((e.type === 'append' || e.type === 'hw' || e.type === 'truncate') && e.partition === name) set.add(e.broker);
  }
  return [...set].sort((a, b) => a - b);
}
