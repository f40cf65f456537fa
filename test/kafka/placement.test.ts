// Kafka's rack-unaware replica assignment (AdminUtils.assignReplicasToBrokersRackUnaware), checked
// against the worked example in its own doc comment, and its errors.
import { describe, it, expect } from 'vitest';
import { assignReplicasRackUnaware, PlacementError } from '../../sim/kafka/placement.ts';
import type { Rng } from '../../sim/engine/index.ts';

const zeros: Rng = { next: () => 0, int: () => 0, between: (a) => a, pick: (xs) => xs[0], shuffle: (xs) => xs };

describe('rack-unaware placement', () => {
  it('reproduces the AdminUtils example: 5 brokers, 10 partitions, RF 3, start index 0, shift 0', () => {
    const a = assignReplicasRackUnaware([0, 1, 2, 3, 4], 10, 3, zeros);
    expect(a[0]).toEqual([0, 1, 2]);
    expect(a[4]).toEqual([4, 0, 1]);
    // from partition 5 on the second replica shifts by one more broker
    expect(a[5]).toEqual([0, 2, 3]);
    expect(a[9]).toEqual([4, 1, 2]);
  });

  it('never places two replicas of a partition on one broker, for any start', () => {
    for (let start = 0; start < 4; start++) {
      const rng: Rng = { ...zeros, int: () => start };
      for (const p of assignReplicasRackUnaware([1, 2, 3, 4], 12, 3, rng)) expect(new Set(p).size).toBe(3);
    }
  });

  it('rejects a replication factor above the broker count and zero partitions', () => {
    expect(() => assignReplicasRackUnaware([1, 2], 1, 3, zeros)).toThrow(PlacementError);
    expect(() => assignReplicasRackUnaware([1, 2], 0, 1, zeros)).toThrow(/larger than 0/);
  });
});
