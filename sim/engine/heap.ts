// The event queue's priority heap: a binary min-heap over typed arrays, in the style of mourner's
// flatqueue. Each entry is an integer id (the scheduler's slot) keyed by (time, seq). seq is a
// global insertion counter, so the key is a total order and equal times come out first in, first
// out; a plain heap keyed by time alone would not be FIFO on ties.
//
// Three parallel arrays rather than objects: no allocation per entry, nothing for the garbage
// collector to trace, and comparisons that read two doubles. They grow by doubling.

export class Heap {
  /** Number of entries. Read it freely; change it only through the methods. */
  length = 0;
  private times: Float64Array;
  private seqs: Float64Array;
  private ids: Int32Array;

  constructor(initialCapacity = 64) {
    const capacity = Math.max(2, initialCapacity | 0);
    this.times = new Float64Array(capacity);
    this.seqs = new Float64Array(capacity);
    this.ids = new Int32Array(capacity);
  }

  push(id: number, time: number, seq: number): void {
    if (this.length === this.ids.length) this.grow();
    const times = this.times;
    const seqs = this.seqs;
    const ids = this.ids;
    let pos = this.length++;
    while (pos > 0) {
      const parent = (pos - 1) >> 1;
      const parentTime = times[parent];
      if (time > parentTime || (time === parentTime && seq > seqs[parent])) break;
      times[pos] = parentTime;
      seqs[pos] = seqs[parent];
      ids[pos] = ids[parent];
      pos = parent;
    }
    times[pos] = time;
    seqs[pos] = seq;
    ids[pos] = id;
  }

  /** Removes the smallest entry and returns its id. The caller checks length > 0 first. */
  pop(): number {
    const top = this.ids[0];
    const last = --this.length;
    if (last > 0) this.siftDown(0, this.times[last], this.seqs[last], this.ids[last]);
    return top;
  }

  /** Time of the smallest entry; meaningless when empty. */
  topTime(): number {
    return this.times[0];
  }

  topSeq(): number {
    return this.seqs[0];
  }

  topId(): number {
    return this.ids[0];
  }

  clear(): void {
    this.length = 0;
  }

  /**
   * Drops every entry whose id fails `keep`, in O(n). The order of what remains is unchanged
   * because the key is a total order: the heap's shape never decides which entry comes first.
   */
  retain(keep: (id: number) => boolean): void {
    let kept = 0;
    for (let i = 0; i < this.length; i++) {
      if (!keep(this.ids[i])) continue;
      this.times[kept] = this.times[i];
      this.seqs[kept] = this.seqs[i];
      this.ids[kept] = this.ids[i];
      kept++;
    }
    this.length = kept;
    for (let i = (kept >> 1) - 1; i >= 0; i--) {
      this.siftDown(i, this.times[i], this.seqs[i], this.ids[i]);
    }
  }

  /** Places the entry (time, seq, id) at start or below, moving smaller children up. */
  private siftDown(start: number, time: number, seq: number, id: number): void {
    const times = this.times;
    const seqs = this.seqs;
    const ids = this.ids;
    const length = this.length;
    const half = length >> 1;
    let pos = start;
    while (pos < half) {
      let child = (pos << 1) + 1;
      let childTime = times[child];
      let childSeq = seqs[child];
      const right = child + 1;
      if (right < length) {
        const rightTime = times[right];
        if (rightTime < childTime || (rightTime === childTime && seqs[right] < childSeq)) {
          child = right;
          childTime = rightTime;
          childSeq = seqs[right];
        }
      }
      if (time < childTime || (time === childTime && seq < childSeq)) break;
      times[pos] = childTime;
      seqs[pos] = childSeq;
      ids[pos] = ids[child];
      pos = child;
    }
    times[pos] = time;
    seqs[pos] = seq;
    ids[pos] = id;
  }

  private grow(): void {
    const capacity = this.ids.length * 2;
    const times = new Float64Array(capacity);
    const seqs = new Float64Array(capacity);
    const ids = new Int32Array(capacity);
    times.set(this.times);
    seqs.set(this.seqs);
    ids.set(this.ids);
    this.times = times;
    this.seqs = seqs;
    this.ids = ids;
  }
}
