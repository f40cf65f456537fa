// KRaft's replica placement when brokers have racks (metadata/…/placement/StripedReplicaPlacer.java):
// each partition's first replica comes from the next rack in turn with an unfenced broker, the others
// from the following racks, one per rack, so a partition's replicas sit in distinct racks while the
// replication factor is at most the number of racks; within a rack, brokers take turns. Each
// place() call (a topic's creation, or partitions added to it) builds its RackList afresh: every
// rack's broker lists start at a random offset and the rack list at another, drawn from the run's
// 'placement' stream where Kafka draws from java.util.Random. The racks are initialised in the
// iteration order of Kafka's HashMap<Optional<String>, Rack> (javaHashMapOrder), since that order
// decides which rack gets which draw.

import type { Rng } from '../engine/index.ts';
import { PlacementError } from './placement.ts';

/** A broker the placer may use: registered, fenced or not (ClusterDescriber.usableBrokers). */
export interface UsableBroker {
  id: number;
  rack: string;
  fenced: boolean;
}

/** StripedReplicaPlacer.BrokerList. */
class BrokerList {
  readonly brokers: number[] = [];
  private index = 0;
  private offset = 0;
  private epoch = 0;

  initialize(rng: Rng): void {
    if (this.brokers.length === 0) return;
    this.brokers.sort((a, b) => a - b);
    this.offset = rng.int(this.brokers.length);
  }

  shuffle(rng: Rng): void {
    shuffle(this.brokers, rng);
  }

  next(epoch: number): number {
    const n = this.brokers.length;
    if (n === 0) return -1;
    if (this.epoch !== epoch) {
      this.epoch = epoch;
      this.index = 0;
      this.offset = (this.offset + 1) % n;
    }
    if (this.index >= n) return -1;
    const broker = this.brokers[(this.index + this.offset) % n];
    this.index++;
    return broker;
  }
}

/** StripedReplicaPlacer.Rack: its fenced and unfenced brokers. */
class Rack {
  readonly fenced = new BrokerList();
  readonly unfenced = new BrokerList();

  initialize(rng: Rng): void {
    this.fenced.initialize(rng);
    this.unfenced.initialize(rng);
  }

  shuffle(rng: Rng): void {
    this.fenced.shuffle(rng);
    this.unfenced.shuffle(rng);
  }

  nextUnfenced(epoch: number): number {
    return this.unfenced.next(epoch);
  }

  next(epoch: number): number {
    const r = this.unfenced.next(epoch);
    return r >= 0 ? r : this.fenced.next(epoch);
  }
}

/** StripedReplicaPlacer.RackList. */
class RackList {
  private readonly racks = new Map<string, Rack>();
  private readonly rackNames: string[] = [];
  readonly numTotalBrokers: number;
  readonly numUnfencedBrokers: number;
  private epoch = 0;
  private offset: number;

  constructor(
    private readonly rng: Rng,
    brokers: readonly UsableBroker[],
  ) {
    let total = 0;
    let unfenced = 0;
    for (const b of brokers) {
      let rack = this.racks.get(b.rack);
      if (rack === undefined) {
        this.rackNames.push(b.rack);
        rack = new Rack();
        this.racks.set(b.rack, rack);
      }
      if (b.fenced) rack.fenced.brokers.push(b.id);
      else {
        unfenced++;
        rack.unfenced.brokers.push(b.id);
      }
      total++;
    }
    // `for (Rack rack : racks.values())`: Java's HashMap order, which decides which rack gets which draw
    for (const name of javaHashMapOrder(this.rackNames)) this.racks.get(name)!.initialize(rng);
    this.rackNames.sort(compareStrings);
    this.numTotalBrokers = total;
    this.numUnfencedBrokers = unfenced;
    this.offset = this.rackNames.length === 0 ? 0 : rng.int(this.rackNames.length);
  }

  place(replicationFactor: number): number[] {
    checkReplicationFactor(replicationFactor, this.numTotalBrokers, this.numUnfencedBrokers);
    // after as many partitions as there are unfenced brokers, shuffle to avoid repeating the same assignments
    if (this.epoch === this.numUnfencedBrokers && this.numUnfencedBrokers > 1) {
      this.shuffle();
      this.epoch = 0;
    }
    if (this.offset === this.rackNames.length) this.offset = 0;
    const brokers: number[] = [];
    let firstRackIndex = this.offset;
    for (;;) {
      const result = this.racks.get(this.rackNames[firstRackIndex])!.nextUnfenced(this.epoch);
      if (result >= 0) {
        brokers.push(result);
        break;
      }
      firstRackIndex++;
      if (firstRackIndex === this.rackNames.length) firstRackIndex = 0;
    }
    let rackIndex = this.offset;
    for (let replica = 1; replica < replicationFactor; replica++) {
      let result = -1;
      do {
        if (rackIndex === firstRackIndex) firstRackIndex = -1;
        else result = this.racks.get(this.rackNames[rackIndex])!.next(this.epoch);
        rackIndex++;
        if (rackIndex === this.rackNames.length) rackIndex = 0;
      } while (result < 0);
      brokers.push(result);
    }
    this.epoch++;
    this.offset++;
    return brokers;
  }

  private shuffle(): void {
    shuffle(this.rackNames, this.rng);
    // `for (Rack rack : racks.values())` again
    for (const name of javaHashMapOrder([...this.racks.keys()])) this.racks.get(name)!.shuffle(this.rng);
  }
}

/** StripedReplicaPlacer.place: one replica list per partition, the first being the preferred leader. */
export function placeStriped(brokers: readonly UsableBroker[], count: number, replicationFactor: number, rng: Rng): number[][] {
  if (count <= 0) throw new PlacementError('INVALID_PARTITIONS', `number of partitions must be larger than 0, got ${count}`);
  const racks = new RackList(rng, brokers);
  checkReplicationFactor(replicationFactor, racks.numTotalBrokers, racks.numUnfencedBrokers);
  const out: number[][] = [];
  for (let p = 0; p < count; p++) out.push(racks.place(replicationFactor));
  return out;
}

function checkReplicationFactor(rf: number, total: number, unfenced: number): void {
  if (rf <= 0) throw new PlacementError('INVALID_REPLICATION_FACTOR', `Invalid replication factor ${rf}: the replication factor must be positive.`);
  if (unfenced === 0) throw new PlacementError('INVALID_REPLICATION_FACTOR', 'All brokers are currently fenced.');
  if (rf > total) {
    throw new PlacementError('INVALID_REPLICATION_FACTOR', `The target replication factor of ${rf} cannot be reached because only ${total} broker(s) are registered.`);
  }
}

/** Collections.shuffle(list, random): from the end, swap each element with one drawn at or before it. */
function shuffle<T>(list: T[], rng: Rng): void {
  for (let i = list.length; i > 1; i--) {
    const j = rng.int(i);
    const t = list[i - 1];
    list[i - 1] = list[j];
    list[j] = t;
  }
}

/** String.compareTo: UTF-16 code units, as JavaScript compares strings. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Java's String.hashCode: s[0]·31^(n−1) + … + s[n−1], in 32-bit arithmetic. */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/**
 * The order a java.util.HashMap with these keys (inserted in this order) iterates them: by bucket,
 * the bucket being the spread hash (h ^ h >>> 16) masked to a table of 16, doubled while the map is
 * more than three quarters full; keys of one bucket in insertion order. (Optional<String>.hashCode is
 * the string's.) Buckets of 8 or more, which Java turns into trees, are beyond any rack count here.
 */
export function javaHashMapOrder(keys: readonly string[]): string[] {
  let capacity = 16;
  while (keys.length > capacity * 0.75) capacity *= 2;
  const bucket = (k: string): number => {
    const h = javaStringHash(k);
    return (h ^ (h >>> 16)) & (capacity - 1);
  };
  return keys.map((k, i) => ({ k, i, b: bucket(k) })).sort((x, y) => x.b - y.b || x.i - y.i).map((x) => x.k);
}
