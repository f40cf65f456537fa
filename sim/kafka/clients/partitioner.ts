// Where a record goes (KafkaProducer.partition, BuiltInPartitioner, StickyPartitionCache,
// DefaultPartitioner). In order of precedence:
// 1. an explicit partition in the record;
// 2. a key (unless partitioner.ignore.keys): toPositive(murmur2(key)) % partitionCount, counting every
//    partition, leaderless ones included;
// 3. a null key, by the producer's `partitioner`:
//    - uniform-sticky (3.3+, KIP-794, BuiltInPartitioner): stay on one partition until batch.size bytes
//      went to it (2 × batch.size if its last batch is not full), then pick the next at random —
//      weighted towards partitions with shorter queues when adaptive partitioning is on;
//    - sticky (2.4–3.2, KIP-480, StickyPartitionCache): stay until the record would start a new
//      batch, then move to a different random available partition;
//    - round-robin (≤ 2.3, DefaultPartitioner): a per-topic counter starting at a random value, over
//      the available partitions.
// "Available" means the client believes the partition has a leader (Cluster.availablePartitionsForTopic).
// Random draws are ThreadLocalRandom.nextInt() in Kafka; here a seeded stream of the producer.

import type { Rng } from '../../engine/index.ts';
import type { MetadataCache } from './metadata-cache.ts';
import { partitionForKey } from './murmur2.ts';

const INT_RANGE = 0x80000000;

/** Utils.toPositive(random.nextInt()): uniform in [0, 2^31). */
function randomPositive(rng: Rng): number {
  return rng.int(INT_RANGE);
}

export type NullKeyPartitioning = 'uniform-sticky' | 'sticky' | 'round-robin';

export interface PartitionerOptions {
  kind: NullKeyPartitioning;
  topic: string;
  batchSize: number;
  adaptive: boolean;
  ignoreKeys: boolean;
  rng: Rng;
}

/** PartitionLoadStats: a cumulative frequency table over partitions with a leader. */
interface LoadStats {
  cumulative: number[];
  partitionIds: number[];
}

export class Partitioner {
  private sticky = -1;
  private producedBytes = 0;
  private roundRobinCounter: number | undefined;
  private loadStats: LoadStats | undefined;
  private readonly statsStore: LoadStats = { cumulative: [], partitionIds: [] };
  /** Partition of each key index, per partition count: a key is hashed once (murmur2 is pure). */
  private readonly keyTables = new Map<number, Int32Array>();

  constructor(
    private readonly opts: PartitionerOptions,
    private readonly metadata: MetadataCache,
    /** The keys records may carry, by index (LoadGenerator.keyNames). */
    private readonly keyNames: readonly string[] = [],
  ) {}

  /**
   * The partition of a record (`key` is its key's index, −1 for a null key), or −1 when the
   * partition count is not known yet. Null-key records
   * under uniform sticky take the current sticky partition (BuiltInPartitioner.peekCurrentPartitionInfo).
   */
  partition(key: number, explicit: number | undefined): number {
    const count = this.metadata.partitionCount(this.opts.topic);
    if (explicit !== undefined) return explicit;
    if (count === 0) return -1;
    if (key >= 0 && !this.opts.ignoreKeys) return this.keyed(key, count);
    switch (this.opts.kind) {
      case 'round-robin':
        return this.roundRobin(count);
      case 'sticky':
        if (this.sticky < 0 || this.sticky >= count) this.sticky = this.stickyNext(count, -1);
        return this.sticky;
      default:
        if (this.sticky < 0 || this.sticky >= count) this.switchUniform(count);
        return this.sticky;
    }
  }

  /** Whether a null-key record follows the sticky rules (and so the accumulator must report back). */
  isStickyRecord(key: number, explicit: number | undefined): boolean {
    return explicit === undefined && (key < 0 || this.opts.ignoreKeys) && this.opts.kind !== 'round-robin';
  }

  get kind(): NullKeyPartitioning {
    return this.opts.kind;
  }

  private keyed(key: number, count: number): number {
    let table = this.keyTables.get(count);
    if (table === undefined) {
      table = new Int32Array(this.keyNames.length).fill(-1);
      this.keyTables.set(count, table);
    }
    let p = table[key];
    if (p < 0) {
      p = partitionForKey(this.keyNames[key], count);
      table[key] = p;
    }
    return p;
  }

  /** DefaultPartitioner (≤ 2.3): counter starts at ThreadLocalRandom.nextInt(), one step per record. */
  private roundRobin(count: number): number {
    if (this.roundRobinCounter === undefined) this.roundRobinCounter = this.opts.rng.int(2 * INT_RANGE) - INT_RANGE;
    const next = this.roundRobinCounter;
    this.roundRobinCounter = next === INT_RANGE - 1 ? -INT_RANGE : next + 1; // AtomicInteger wraps
    const available = this.metadata.availablePartitions(this.opts.topic);
    const positive = next & 0x7fffffff;
    if (available.length > 0) return available[positive % available.length];
    return positive % count;
  }

  /**
   * KIP-480 (StickyPartitionCache.nextPartition): the record would open a new batch on `prev`, so
   * move to a different available partition. Returns the partition to use.
   */
  onNewBatch(prev: number): number {
    const count = this.metadata.partitionCount(this.opts.topic);
    if (this.sticky === prev || this.sticky < 0) this.sticky = this.stickyNext(count, this.sticky);
    return this.sticky;
  }

  private stickyNext(count: number, old: number): number {
    const available = this.metadata.availablePartitions(this.opts.topic);
    if (available.length === 0) return randomPositive(this.opts.rng) % count;
    if (available.length === 1) return available[0];
    let next = old;
    while (next === old) next = available[randomPositive(this.opts.rng) % available.length];
    return next;
  }

  /**
   * BuiltInPartitioner.updatePartitionInfo: after a record of `bytes` went to the sticky partition.
   * `allBatchesFull` is RecordAccumulator.allBatchesFull (the partition's last batch is full).
   */
  afterStickyAppend(partition: number, bytes: number, allBatchesFull: boolean): void {
    if (this.opts.kind !== 'uniform-sticky' || partition !== this.sticky) return;
    this.producedBytes += bytes;
    const size = this.opts.batchSize;
    if ((this.producedBytes >= size && allBatchesFull) || this.producedBytes >= size * 2) {
      this.switchUniform(this.metadata.partitionCount(this.opts.topic));
    }
  }

  /** BuiltInPartitioner.nextPartition: weighted by queue sizes when adaptive stats exist. */
  private switchUniform(count: number): void {
    this.producedBytes = 0;
    const random = randomPositive(this.opts.rng);
    const stats = this.loadStats;
    if (stats === undefined) {
      const available = this.metadata.availablePartitions(this.opts.topic);
      this.sticky = available.length > 0 ? available[random % available.length] : random % count;
      return;
    }
    const table = stats.cumulative;
    const weighted = random % table[table.length - 1];
    // the first entry strictly greater than `weighted` (Arrays.binarySearch, then insertion point)
    let lo = 0;
    let hi = table.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (table[mid] > weighted) hi = mid;
      else lo = mid + 1;
    }
    this.sticky = stats.partitionIds[lo];
  }

  /**
   * BuiltInPartitioner.updatePartitionLoadStats, fed by RecordAccumulator.ready: queue sizes of the
   * partitions with a leader (minus those excluded by partitioner.availability.timeout.ms), out of
   * `totalPartitions` that have queues. Equal queues mean no stats (plain uniform choice).
   */
  updateLoadStats(queueSizes: readonly number[], partitionIds: readonly number[], totalPartitions: number): void {
    if (!this.opts.adaptive || this.opts.kind !== 'uniform-sticky') return;
    const length = queueSizes.length;
    if (length < 1 || totalPartitions < 2) {
      this.loadStats = undefined;
      return;
    }
    let maxSizePlus1 = queueSizes[0];
    let allEqual = true;
    for (let i = 1; i < length; i++) {
      if (queueSizes[i] !== maxSizePlus1) allEqual = false;
      if (queueSizes[i] > maxSizePlus1) maxSizePlus1 = queueSizes[i];
    }
    maxSizePlus1++;
    if (allEqual && length === totalPartitions) {
      this.loadStats = undefined;
      return;
    }
    // the table is rebuilt on every sender run: its arrays are reused rather than made anew
    const stats = this.statsStore;
    const cumulative = stats.cumulative;
    if (cumulative.length !== length) {
      cumulative.length = length;
      stats.partitionIds.length = length;
    }
    cumulative[0] = maxSizePlus1 - queueSizes[0];
    stats.partitionIds[0] = partitionIds[0];
    for (let i = 1; i < length; i++) {
      cumulative[i] = maxSizePlus1 - queueSizes[i] + cumulative[i - 1];
      stats.partitionIds[i] = partitionIds[i];
    }
    this.loadStats = stats;
  }

  /** The partition null-key records currently stick to (−1 before the first), for tests and traces. */
  get stickyPartition(): number {
    return this.sticky;
  }
}
