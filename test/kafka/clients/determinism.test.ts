// Same spec and seed, same run: the trace hash of a run with producers, consumers, faults and random
// keys is reproducible, and adding a client does not change the draws of the others (named streams).
import { describe, it, expect } from 'vitest';
import { MS, SEC } from '../../../sim/engine/index.ts';
import { story, at } from './story.ts';
import { producerSpec, consumerSpec } from './helpers.ts';
import { topic } from '../support/cluster.ts';

function run(seed: number, extraConsumer = false) {
  const consumers = [consumerSpec({ id: 'billing-1', config: { 'auto.offset.reset': 'earliest' } }), consumerSpec({ id: 'billing-2' })];
  if (extraConsumer) consumers.push(consumerSpec({ id: 'audit-1', group: 'audit' }));
  const { sim } = story({
    seed,
    latencyUs: { minUs: 1 * MS, maxUs: 4 * MS },
    topics: [topic('orders', [[1, 2, 3], [2, 3, 1], [3, 1, 2]])],
    producers: [
      producerSpec({ id: 'checkout', ratePerSec: 400, keys: { kind: 'random', count: 20 } }),
      producerSpec({ id: 'refunds', ratePerSec: 150, config: { acks: '1', 'linger.ms': 0 } }),
    ],
    consumers,
    timeline: [at(8 * SEC, { type: 'crash', nodes: [2] }), at(12 * SEC, { type: 'crash', nodes: ['billing-2'] }), at(20 * SEC, { type: 'restart', nodes: [2] })],
  });
  sim.runUntil(30 * SEC);
  const producerTrace = sim.trace.events.filter((e) => e.client === 'checkout' && e.type === 'metadata-refreshed').map((e) => e.t);
  return { hash: sim.trace.hash(), events: sim.trace.count, producerTrace, sim };
}

describe('determinism', () => {
  it('the same spec and seed give the same trace hash', () => {
    const a = run(7);
    const b = run(7);
    expect(a.hash).toBe(b.hash);
    expect(a.events).toBe(b.events);
    expect(a.events).toBeGreaterThan(10000);
  });

  it('another seed gives another run', () => {
    expect(run(8).hash).not.toBe(run(7).hash);
  });

  it('a new consumer changes neither the producer\'s draws nor the network\'s', () => {
    const a = run(7);
    const b = run(7, true);
    expect(b.hash).not.toBe(a.hash);
    // the producer's partitioner and keys draw from their own streams: the same records go to the same partitions
    const appends = (r: ReturnType<typeof run>) => r.sim.trace.events.filter((e) => e.type === 'append' && e.t < 8 * SEC).map((e) => `${e.partition}:${e.producerId}:${e.sequence}:${e.n}`);
    expect(appends(b)).toEqual(appends(a));
  });
});
