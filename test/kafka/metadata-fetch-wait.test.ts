// A KRaft broker's metadata fetch (an observer's Fetch of the metadata log) waits at the controller up
// to KafkaRaftClient.MAX_FETCH_WAIT_MS = 500 ms for a new record, a constant of the Raft client.
// metadata.max.idle.interval.ms is something else: how often an idle active controller appends a
// no-op record (KIP-835), which kafkasim does not write; setting it must not change the fetches.
import { describe, it, expect } from 'vitest';
import { SEC } from '../../sim/engine/index.ts';
import { METADATA_FETCH_MAX_WAIT_MS } from '../../sim/kafka/broker.ts';
import { build } from './support/sim.ts';

describe('the brokers\' metadata long poll', () => {
  it('waits 500 ms whatever metadata.max.idle.interval.ms says (0 disables no-op records, it does not make fetches spin)', () => {
    expect(METADATA_FETCH_MAX_WAIT_MS).toBe(500);
    const executed = (idle: number) => {
      const { sim } = build({ brokerConfig: { 'metadata.max.idle.interval.ms': idle } });
      sim.runUntil(10 * SEC);
      return sim.scheduler.executed;
    };
    const base = executed(500);
    expect(executed(0)).toBe(base);
    expect(executed(5000)).toBe(base);
  });
});
