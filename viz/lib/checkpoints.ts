// RaftScope-style seeking: the state at time t is a fold of the events up to t. Folding from the
// start on every seek would be slow for long runs, so a snapshot of the fold is kept every `every`
// events; a seek clones the nearest snapshot at or before t and replays the rest. Playing forward
// keeps folding the live state in place, so steady playback costs one event at a time.

export interface Fold<S, E> {
  init(): S;
  /** Apply one event to the state, in place. */
  apply(state: S, event: E): void;
  clone(state: S): S;
  /** Called after a state is positioned at time t (for fields that depend on t, not on events). */
  settle?(state: S, tUs: number): void;
}

export class CheckpointedFold<S, E> {
  private readonly checkpoints: S[] = [];
  private live: S;
  /** Number of events folded into `live`. */
  private liveCount = 0;
  private readonly times: Float64Array;

  constructor(
    private readonly events: readonly E[],
    timeOf: (e: E) => number,
    private readonly fold: Fold<S, E>,
    /** Events between snapshots; default: at most `maxCheckpoints` snapshots. */
    readonly every = Math.max(64, Math.ceil(events.length / 400)),
  ) {
    this.times = Float64Array.from(events, timeOf);
    for (let i = 1; i < this.times.length; i++) {
      if (this.times[i] < this.times[i - 1]) throw new Error(`events out of time order at index ${i}`);
    }
    const s = fold.init();
    for (let i = 0; i < events.length; i++) {
      if (i % every === 0) this.checkpoints.push(fold.clone(s));
      fold.apply(s, events[i]);
    }
    this.live = fold.init();
  }

  get checkpointCount(): number {
    return this.checkpoints.length;
  }

  /** How many events happen at or before t (binary search). */
  countAt(tUs: number): number {
    let lo = 0;
    let hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.times[mid] <= tUs) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The state after every event at or before t. The result is shared: read it, do not keep it. */
  stateAt(tUs: number): S {
    return this.stateAfter(this.countAt(tUs), tUs);
  }

  /** The state after the first `count` events. */
  stateAfter(count: number, tUs: number): S {
    const cp = Math.floor(count / this.every);
    const cpStart = cp * this.every;
    // Jump to a snapshot when going back, or when it is far ahead; a short step forward (playing)
    // keeps folding the live state, so crossing a snapshot boundary costs no copy.
    if (count < this.liveCount || (this.liveCount < cpStart && count - this.liveCount > this.every) || this.checkpoints.length === 0) {
      this.live = this.checkpoints.length ? this.fold.clone(this.checkpoints[Math.min(cp, this.checkpoints.length - 1)]) : this.fold.init();
      this.liveCount = this.checkpoints.length ? Math.min(cp, this.checkpoints.length - 1) * this.every : 0;
    }
    while (this.liveCount < count) this.fold.apply(this.live, this.events[this.liveCount++]);
    this.fold.settle?.(this.live, tUs);
    return this.live;
  }

  /** A private copy of the state at t, safe to keep (e.g. the left run of a side-by-side view). */
  snapshotAt(tUs: number): S {
    return this.fold.clone(this.stateAt(tUs));
  }
}

/**
 * Partition copies all snapshots of a run may take together: each snapshot copies every partition,
 * so a cluster of 10,000 partitions at the 60 snapshots a 1,000-partition one gets would copy
 * 600,000 partitions on the main thread (2 s) before the run shows. Bigger clusters get fewer
 * snapshots instead (and a seek replays more events from the nearest one).
 */
export const SNAPSHOT_PARTITION_BUDGET = 60_000;

/** Events between snapshots of a run's view state: 400 snapshots for a small cluster, fewer (never below 4) for a big one. */
export function snapshotInterval(eventCount: number, partitionCount: number): number {
  const snapshots = partitionCount > 100 ? Math.max(4, Math.min(60, Math.floor(SNAPSHOT_PARTITION_BUDGET / partitionCount))) : 400;
  return Math.max(64, Math.ceil(eventCount / snapshots));
}
