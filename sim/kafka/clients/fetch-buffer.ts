// The records a consumer has fetched and its application has not yet been given (FetchBuffer,
// FetchCollector in clients/…/consumer/internals): completed fetches wait here in arrival order, and
// each poll() takes at most max.poll.records of them, draining one partition's fetch before the next
// (FetchCollector.collectFetch, CompletedFetch.fetchRecords). A partition with buffered records is
// not fetched again (AbstractFetch.fetchablePartitions), and a buffered fetch whose offset no longer
// matches the partition's position (a reset, a seek) or whose partition was revoked is dropped
// unread, as Kafka ignores it. Used only by a consumer whose application takes time (`processing:`).

import type { ConsumedBatch } from '../client-observer.ts';

/** One partition's fetched records, from `fetchOffset` on. */
export interface CompletedFetch {
  key: string;
  topic: string;
  partition: number;
  fetchOffset: number;
  batches: ConsumedBatch[];
}

/** What one poll() returns for one partition: its records [from, to). */
export interface PolledChunk {
  key: string;
  topic: string;
  partition: number;
  from: number;
  to: number;
  batches: ConsumedBatch[];
}

export class FetchBuffer {
  private fetches: CompletedFetch[] = [];

  /** A partition has records waiting: it is not fetched again until they are polled. */
  has(key: string): boolean {
    return this.fetches.some((f) => f.key === key);
  }

  add(fetch: CompletedFetch): void {
    if (fetch.batches.length > 0) this.fetches.push(fetch);
  }

  /** FetchBuffer.retainAll: fetches of partitions no longer assigned are dropped. */
  retain(keys: ReadonlySet<string>): void {
    this.fetches = this.fetches.filter((f) => keys.has(f.key));
  }

  clear(): void {
    this.fetches = [];
  }

  get size(): number {
    return this.fetches.length;
  }

  /**
   * FetchCollector.collectFetch: up to `maxRecords` records, partition by partition in arrival order.
   * `positionOf` says where a partition's position is (undefined: not fetchable now, its fetch is
   * dropped); a fetch that does not start at the position is stale and dropped. What is left of a
   * partially taken fetch stays first in line.
   */
  collect(maxRecords: number, positionOf: (key: string) => number | undefined): PolledChunk[] {
    const out: PolledChunk[] = [];
    let left = maxRecords;
    const kept: CompletedFetch[] = [];
    for (const f of this.fetches) {
      if (left <= 0) {
        kept.push(f);
        continue;
      }
      const position = positionOf(f.key);
      if (position === undefined || position !== f.fetchOffset) continue;
      const taken: ConsumedBatch[] = [];
      const rest: ConsumedBatch[] = [];
      for (const b of f.batches) {
        if (left <= 0) {
          rest.push(b);
          continue;
        }
        const n = Math.min(b.count, left);
        taken.push({ ...b, count: n });
        if (n < b.count) rest.push({ ...b, baseOffset: b.baseOffset + n, baseSequence: b.baseSequence + n, count: b.count - n });
        left -= n;
      }
      const last = taken[taken.length - 1];
      const to = last.baseOffset + last.count;
      out.push({ key: f.key, topic: f.topic, partition: f.partition, from: taken[0].baseOffset, to, batches: taken });
      if (rest.length > 0) kept.push({ ...f, fetchOffset: to, batches: rest });
    }
    this.fetches = kept;
    return out;
  }
}
