// What each consumer group's applications did with the records: per record (an offset of a
// partition) and group, how often it was processed, and whether the group's committed offset passed
// it without anyone processing it. So:
// - processed more than once (at least once delivery): the records a consumer processed and did not
//   commit before its partition moved (a crash, a poll timeout, a lost session), which the next owner
//   processed again from the committed offset; each is explained by who processed it, what ended that
//   consumer's ownership, and the rebalance after which it was processed again;
// - skipped (at most once): records below the group's committed offset that no member processed, with
//   the reason: committed before processing (the consumer died between its commit and its processing),
//   or never delivered (a position moved past them: an offset reset, the admin tool).
// Records below the first position the group ever had (auto.offset.reset=latest at its start) are
// not its business. Records a live consumer has been handed and is still processing are in flight,
// not skipped. A consumer without `processing:` processes what it fetches the instant it fetches it.

import type { TraceEvent } from '../engine/index.ts';
import { formatTime } from '../engine/index.ts';
import type { ClientObserver, ConsumedBatch } from '../kafka/client-observer.ts';
import type { Simulation } from '../kafka/index.ts';
import type { ProcessingAnomaly, ProcessingFilter, ProcessingSummary } from '../kafka/ledger-port.ts';
import { parsePartitionName } from '../kafka/spec.ts';

interface Run {
  /** When poll() returned the records, and when their processing ended. */
  polledT: number;
  t: number;
  consumer: string;
  generation: number;
  from: number;
  to: number;
}

interface Commit {
  t: number;
  consumer: string;
  offset: number;
  why: string;
}

interface Move {
  t: number;
  consumer: string;
  offset: number;
  reason: string;
}

/**
 * Runs of processing as parallel typed arrays (as consumption.ts keeps batches): one per poll, or per
 * fetch for an instant consumer, so a long run costs about 36 bytes per batch, not an object.
 */
class Runs {
  length = 0;
  private polled = new Float64Array(0);
  private ended = new Float64Array(0);
  private ints = new Int32Array(0); // consumer index, generation, from, to
  constructor(private readonly consumers: string[]) {}

  push(r: Run): void {
    if (this.length === this.polled.length) {
      const n = Math.max(16, Math.ceil(this.length * 1.5));
      const p = new Float64Array(n);
      p.set(this.polled);
      const e = new Float64Array(n);
      e.set(this.ended);
      const i = new Int32Array(n * 4);
      i.set(this.ints);
      [this.polled, this.ended, this.ints] = [p, e, i];
    }
    const k = this.length++;
    let c = this.consumers.indexOf(r.consumer);
    if (c < 0) c = this.consumers.push(r.consumer) - 1;
    this.polled[k] = r.polledT;
    this.ended[k] = r.t;
    this.ints.set([c, r.generation, r.from, r.to], k * 4);
  }

  get(k: number): Run {
    const i = k * 4;
    return { polledT: this.polled[k], t: this.ended[k], consumer: this.consumers[this.ints[i]], generation: this.ints[i + 1], from: this.ints[i + 2], to: this.ints[i + 3] };
  }

  /** [from, to) of run k, without building it. */
  range(k: number): [number, number] {
    return [this.ints[k * 4 + 2], this.ints[k * 4 + 3]];
  }
}

/** `bigger` holding `xs` at its start. */
function grownTo<T extends Uint8Array | Uint16Array | Int32Array>(xs: T, bigger: T): T {
  bigger.set(xs);
  return bigger;
}

/** One group's consumption of one partition. */
class Track {
  counts = new Uint16Array(0);
  delivered = new Uint8Array(0);
  /**
   * Per offset, the leader epoch (+1; 0: none yet) of the record delivered there, and the first run
   * that counts for it. After an unclean election another record can take an offset (the old one is
   * lost): two records at one offset differ in epoch (a log's offset and epoch name one record), and
   * reading the new one is not processing the old one again.
   */
  epochs = new Int32Array(0);
  since = new Int32Array(0);
  /** The first position the group had here (−1: none yet). */
  first = -1;
  readonly runs: Runs;
  readonly commits: Commit[] = [];
  readonly moves: Move[] = [];

  constructor(readonly group: string, readonly topic: string, readonly partition: string, consumers: string[]) {
    this.runs = new Runs(consumers);
  }

  reserve(end: number): void {
    if (end <= this.counts.length) return;
    const size = Math.max(end, Math.ceil(this.counts.length * 1.5), 64);
    this.counts = grownTo(this.counts, new Uint16Array(size));
    this.delivered = grownTo(this.delivered, new Uint8Array(size));
    this.epochs = grownTo(this.epochs, new Int32Array(size));
    this.since = grownTo(this.since, new Int32Array(size));
  }

  /** Records of `epoch` delivered at [from, to): an offset that held another record starts its count again. */
  deliveredIn(from: number, to: number, epoch: number): void {
    const e = epoch + 1;
    for (let o = from; o < to; o++) {
      if (this.epochs[o] !== 0 && this.epochs[o] !== e) {
        this.counts[o] = 0;
        this.since[o] = this.runs.length;
      }
      this.epochs[o] = e;
      this.delivered[o] = 1;
    }
  }

  count(o: number): number {
    return o < this.counts.length ? this.counts[o] : 0;
  }
}

/** A life event of a consumer that ends its hold on its partitions. */
interface Departure {
  t: number;
  text: string;
}

export class ProcessingLedger implements ClientObserver {
  private readonly tracks = new Map<string, Track>();
  /** Consumer ids, interned for the runs. */
  private readonly consumers: string[] = [];
  /** Per consumer: records handed to it and not yet processed ([track, from, to)). */
  private readonly pending = new Map<string, { track: Track; from: number; to: number; t: number }[]>();
  private readonly departures = new Map<string, Departure[]>();
  /** Per group: when each generation's assignment was handed out. */
  private readonly generations = new Map<string, { t: number; generation: number }[]>();

  constructor(private readonly sim: Simulation) {}

  private track(group: string, topic: string, partition: number): Track {
    const name = `${topic}-${partition}`;
    const k = `${group}\u0000${name}`;
    let t = this.tracks.get(k);
    if (t === undefined) {
      t = new Track(group, topic, name, this.consumers);
      this.tracks.set(k, t);
    }
    return t;
  }

  // -- the clients' reports -----------------------------------------------------------------------

  consumed(group: string, consumer: string, topic: string, partition: number, batches: readonly ConsumedBatch[], nowUs: number): void {
    if (batches.length === 0) return;
    const t = this.track(group, topic, partition);
    const last = batches[batches.length - 1];
    const from = batches[0].baseOffset;
    const to = last.baseOffset + last.count;
    t.reserve(to);
    if (t.first < 0) t.first = from;
    for (const b of batches) t.deliveredIn(b.baseOffset, b.baseOffset + b.count, b.leaderEpoch);
    let list = this.pending.get(consumer);
    if (list === undefined) {
      list = [];
      this.pending.set(consumer, list);
    }
    list.push({ track: t, from, to, t: nowUs });
  }

  processed(group: string, consumer: string, topic: string, partition: number, from: number, to: number, generation: number, nowUs: number): void {
    if (to <= from) return;
    const t = this.track(group, topic, partition);
    t.reserve(to);
    if (t.first < 0) t.first = from;
    for (let o = from; o < to; o++) if (t.counts[o] < 0xffff) t.counts[o]++;
    const list = this.pending.get(consumer);
    const i = list === undefined ? -1 : list.findIndex((p) => p.track === t && p.from === from);
    const polledT = i >= 0 ? list![i].t : nowUs;
    if (i >= 0) list!.splice(i, 1);
    t.runs.push({ polledT, t: nowUs, consumer, generation, from, to });
  }

  positionChanged(group: string, consumer: string, topic: string, partition: number, offset: number, reason: string, nowUs: number): void {
    const t = this.track(group, topic, partition);
    if (t.first < 0) t.first = offset;
    t.moves.push({ t: nowUs, consumer, offset, reason });
  }

  offsetsCommitted(group: string, consumer: string, offsets: readonly { topic: string; partition: number; offset: number }[], why: string, nowUs: number): void {
    for (const o of offsets) this.track(group, o.topic, o.partition).commits.push({ t: nowUs, consumer, offset: o.offset, why });
  }

  /** The model's events: client crashes and members leaving (what ends a hold), and assignments. */
  event(e: TraceEvent): void {
    if (e.type === 'client-crashed') {
      this.depart(String(e.client), { t: e.t, text: `crashed at ${formatTime(e.t)}` });
      this.pending.delete(String(e.client));
    } else if (e.type === 'member-removed') {
      this.depart(String(e.client), { t: e.t, text: `was removed from the group at ${formatTime(e.t)} (${String(e.reason)})` });
    } else if (e.type === 'rebalance' && e.phase === 'stable') {
      const g = String(e.group);
      let list = this.generations.get(g);
      if (list === undefined) {
        list = [];
        this.generations.set(g, list);
      }
      list.push({ t: e.t, generation: Number(e.generation) });
    }
  }

  private depart(consumer: string, d: Departure): void {
    let list = this.departures.get(consumer);
    if (list === undefined) {
      list = [];
      this.departures.set(consumer, list);
    }
    list.push(d);
  }

  // -- results ------------------------------------------------------------------------------------

  private matching(filter: ProcessingFilter): Track[] {
    return [...this.tracks.values()]
      .filter((t) => (filter.group === undefined || t.group === filter.group) && (filter.topic === undefined || t.topic === filter.topic)
        && (filter.partition === undefined || t.partition === filter.partition))
      .sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : a.partition < b.partition ? -1 : a.partition > b.partition ? 1 : 0));
  }

  /** The group's committed offset of the partition now, from its coordinator. */
  private committed(t: Track): number | undefined {
    const p = parsePartitionName(t.partition);
    return this.sim.parts.groupQueries.groupOffsets(t.group).find((r) => r.topic === p?.topic && r.partition === p?.partition)?.committed;
  }

  /** Offsets a live consumer has in hand (polled, not yet processed). */
  private inHand(t: Track): (o: number) => boolean {
    const ranges: [number, number][] = [];
    for (const list of this.pending.values()) for (const p of list) if (p.track === t) ranges.push([p.from, p.to]);
    return (o) => ranges.some(([a, b]) => o >= a && o < b);
  }

  private skippedOffsets(t: Track): number[] {
    const c = this.committed(t);
    if (c === undefined || t.first < 0) return [];
    const held = this.inHand(t);
    const out: number[] = [];
    for (let o = t.first; o < c; o++) if (t.count(o) === 0 && !held(o)) out.push(o);
    return out;
  }

  summary(filter: ProcessingFilter = {}): ProcessingSummary {
    const s: ProcessingSummary = { processed: 0, duplicatesProcessed: 0, skipped: 0 };
    for (const t of this.matching(filter)) {
      for (let o = 0; o < t.counts.length; o++) {
        if (t.counts[o] > 0) s.processed++;
        if (t.counts[o] > 1) s.duplicatesProcessed++;
      }
      s.skipped += this.skippedOffsets(t).length;
    }
    return s;
  }

  /** Every run of records processed more than once or skipped, explained. */
  anomalies(filter: ProcessingFilter = {}): ProcessingAnomaly[] {
    const out: ProcessingAnomaly[] = [];
    for (const t of this.matching(filter)) {
      out.push(...this.duplicatesOf(t), ...this.skipsOf(t));
    }
    return out;
  }

  private duplicatesOf(t: Track): ProcessingAnomaly[] {
    // offsets processed twice or more → the runs that processed them
    const runsOf = new Map<number, number[]>();
    for (let i = 0; i < t.runs.length; i++) {
      const [from, to] = t.runs.range(i);
      for (let o = from; o < to; o++) {
        // a run before the record at o was delivered processed the record that was there before it
        if (t.count(o) < 2 || i < t.since[o]) continue;
        let l = runsOf.get(o);
        if (l === undefined) {
          l = [];
          runsOf.set(o, l);
        }
        l.push(i);
      }
    }
    const out: ProcessingAnomaly[] = [];
    // adjacent offsets processed by the same consumers in the same generations, in the same order, are told as one
    let cur: { from: number; to: number; sig: string; first: Run[]; last: Run[] } | undefined;
    const flush = (): void => {
      if (cur === undefined) return;
      out.push({ group: t.group, partition: t.partition, kind: 'duplicate', from: cur.from, to: cur.to, times: cur.first.length, text: this.explainDuplicate(t, cur.from, cur.to, cur.first, cur.last) });
      cur = undefined;
    };
    for (const o of [...runsOf.keys()].sort((a, b) => a - b)) {
      const runs = runsOf.get(o)!.map((i) => t.runs.get(i));
      const sig = runs.map((r) => `${r.consumer}/${r.generation}`).join(',');
      if (cur !== undefined && cur.sig === sig && cur.to === o) {
        cur.to = o + 1;
        cur.last = runs;
      } else {
        flush();
        cur = { from: o, to: o + 1, sig, first: runs, last: runs };
      }
    }
    flush();
    return out;
  }

  private explainDuplicate(t: Track, from: number, to: number, first: Run[], last: Run[]): string {
    const n = to - from;
    const when = (i: number): string => (first[i].t === last[i].t ? `at ${formatTime(first[i].t)}` : `at ${formatTime(first[i].t)}–${formatTime(last[i].t)}`);
    const parts = [`${t.partition} offset${n === 1 ? ` ${from}` : `s ${from}–${to - 1}`} (${n} record${n === 1 ? '' : 's'}) processed ${first.length === 2 ? 'twice' : `${first.length} times`} by group ${t.group}`];
    parts.push(`by ${first[0].consumer} ${when(0)}${first[0].generation >= 0 ? ` (generation ${first[0].generation})` : ''}`);
    for (let i = 1; i < first.length; i++) {
      const prev = last[i - 1];
      const r = first[i];
      const committedPast = t.commits.some((c) => c.t >= prev.t && c.t < r.t && c.offset > from);
      const lastCommit = [...t.commits].reverse().find((c) => c.t <= r.t && c.offset <= from);
      const notCommitted = committedPast ? '' : `not committed (the group's committed offset stayed at ${lastCommit?.offset ?? 'none'})`;
      const gone = (this.departures.get(prev.consumer) ?? []).find((d) => d.t >= prev.polledT && d.t <= r.t);
      const gen = (this.generations.get(t.group) ?? []).filter((g) => g.t <= r.t).pop();
      const why = [notCommitted, gone ? `${prev.consumer} ${gone.text}` : ''].filter(Boolean).join('; ');
      // a member that has not heard of the newer generation yet still returns records from poll() (a zombie)
      const zombie = gen !== undefined && r.generation >= 0 && r.generation < gen.generation;
      const after = gen === undefined ? '' : zombie
        ? `, still in generation ${r.generation} (the group had moved on to generation ${gen.generation} at ${formatTime(gen.t)} without it)`
        : ` after the rebalance to generation ${gen.generation} at ${formatTime(gen.t)}`;
      parts.push(`${why ? `${why}; ` : ''}processed again by ${r.consumer} ${when(i)}${after}`);
    }
    return parts.join('; ');
  }

  private skipsOf(t: Track): ProcessingAnomaly[] {
    const offsets = this.skippedOffsets(t);
    const out: ProcessingAnomaly[] = [];
    let i = 0;
    while (i < offsets.length) {
      const from = offsets[i];
      const delivered = t.delivered[from] === 1;
      let j = i + 1;
      while (j < offsets.length && offsets[j] === offsets[j - 1] + 1 && (t.delivered[offsets[j]] === 1) === delivered) j++;
      const to = offsets[j - 1] + 1;
      const { reason, text } = this.explainSkip(t, from, to, delivered);
      out.push({ group: t.group, partition: t.partition, kind: 'skipped', from, to, times: 0, reason, text });
      i = j;
    }
    return out;
  }

  private explainSkip(t: Track, from: number, to: number, delivered: boolean): { reason: string; text: string } {
    const n = to - from;
    const head = `${t.partition} offset${n === 1 ? ` ${from}` : `s ${from}–${to - 1}`} (${n} record${n === 1 ? '' : 's'}) skipped by group ${t.group}`;
    const commit = t.commits.find((c) => c.offset > from);
    if (delivered) {
      const holder = commit?.consumer;
      const gone = holder === undefined ? undefined : (this.departures.get(holder) ?? []).find((d) => commit !== undefined && d.t >= commit.t);
      return {
        reason: 'committed-before-processing',
        text: `${head}: ${commit ? `committed up to ${commit.offset} by ${commit.consumer} (${commit.why}) at ${formatTime(commit.t)} before they were processed` : 'committed before they were processed'}${gone ? `; ${holder} ${gone.text} without processing them` : ''}`,
      };
    }
    const move = t.moves.find((m) => m.offset > from);
    return {
      reason: move?.reason ?? 'never-delivered',
      text: `${head}: never delivered to the group's consumers${move ? `; ${move.consumer}'s position moved to ${move.offset} at ${formatTime(move.t)} (${move.reason})` : ''}`,
    };
  }
}
