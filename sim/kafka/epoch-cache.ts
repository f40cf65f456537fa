// The leader-epoch cache of one replica: epoch → the offset where that epoch's first record sits
// (storage/…/LeaderEpochFileCache.java, the `leader-epoch-checkpoint` file, KIP-101). A follower
// uses it to find where its history diverges from the leader's; the leader answers endOffsetFor().

import { UNKNOWN } from './protocol.ts';

export class EpochCache {
  /** Parallel arrays sorted by epoch (and so by start offset). */
  readonly epochs: number[] = [];
  readonly startOffsets: number[] = [];

  get size(): number {
    return this.epochs.length;
  }

  /** The latest epoch, or −1 if none. */
  latestEpoch(): number {
    const n = this.epochs.length;
    return n === 0 ? UNKNOWN : this.epochs[n - 1];
  }

  /**
   * LeaderEpochFileCache.assign: record that `epoch` starts at `startOffset`. A stale epoch is ignored;
   * entries that conflict with the new one (an epoch ≥ it, or a start offset ≥ it) are dropped first.
   */
  assign(epoch: number, startOffset: number): void {
    const n = this.epochs.length;
    if (n > 0) {
      const last = this.epochs[n - 1];
      if (last === epoch || epoch < last) return;
    }
    while (this.epochs.length > 0 && this.startOffsets[this.startOffsets.length - 1] >= startOffset) {
      this.epochs.pop();
      this.startOffsets.pop();
    }
    this.epochs.push(epoch);
    this.startOffsets.push(startOffset);
  }

  /**
   * LeaderEpochFileCache.endOffsetFor: the largest epoch ≤ `requested` this replica knows, and the
   * offset where its next-higher epoch starts (the log end if `requested` is the latest epoch).
   * (−1, −1) when `requested` is unknown or above every known epoch.
   */
  endOffsetFor(requested: number, logEndOffset: number): { epoch: number; endOffset: number } {
    const n = this.epochs.length;
    if (requested === UNKNOWN || n === 0) return { epoch: UNKNOWN, endOffset: UNKNOWN };
    if (this.epochs[n - 1] === requested) return { epoch: requested, endOffset: logEndOffset };
    let higher = -1;
    for (let i = 0; i < n; i++) {
      if (this.epochs[i] > requested) {
        higher = i;
        break;
      }
    }
    if (higher < 0) return { epoch: UNKNOWN, endOffset: UNKNOWN };
    // no floor entry: the requested epoch is older than anything known
    if (higher === 0) return { epoch: requested, endOffset: this.startOffsets[0] };
    return { epoch: this.epochs[higher - 1], endOffset: this.startOffsets[higher] };
  }

  /** LeaderEpochFileCache.truncateFromEnd: forget epochs that start at or after `endOffset`. */
  truncateFromEnd(endOffset: number): void {
    while (this.epochs.length > 0 && this.startOffsets[this.startOffsets.length - 1] >= endOffset) {
      this.epochs.pop();
      this.startOffsets.pop();
    }
  }

  /**
   * LeaderEpochFileCache.truncateFromStart: entries wholly below the new log start go; the last one
   * that starts below it is kept, moved to start at it (its epoch still covers what remains).
   */
  truncateFromStart(startOffset: number): void {
    let k = 0;
    while (k < this.epochs.length && this.startOffsets[k] <= startOffset) k++;
    // entries [0, k) start at or below the new start: keep only the last of them, moved up
    if (k === 0) return;
    this.epochs.splice(0, k - 1);
    this.startOffsets.splice(0, k - 1);
    this.startOffsets[0] = startOffset;
  }

  clear(): void {
    this.epochs.length = 0;
    this.startOffsets.length = 0;
  }

  /** [[epoch, startOffset], …] for queries and the trace. */
  entries(): [number, number][] {
    return this.epochs.map((e, i) => [e, this.startOffsets[i]]);
  }
}
