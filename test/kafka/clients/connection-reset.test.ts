// What the clients and the followers see when a broker dies, by how it dies (NetworkClient.
// handleDisconnections, Sender.completeBatch, AbstractFetcherThread): a killed or stopped process's
// machine resets its connections at once, so requests in flight fail within a latency and the client
// asks for metadata again; a machine that lost power, a paused process or a cut link says nothing,
// and only request.timeout.ms (30 s) tells. Neither fences the broker: the controller still waits
// for broker.session.timeout.ms (KRaft) or zookeeper.session.timeout.ms (ZooKeeper).
import { describe, it, expect } from 'vitest';
import { MS, SEC, type TraceEvent } from '../../../sim/engine/index.ts';
import type { Simulation } from '../../../sim/kafka/index.ts';
import type { ConfigMap } from '../../../sim/kafka/config.ts';
import type { Action } from '../../../sim/kafka/spec.ts';
import { story, at } from './story.ts';
import { producerSpec } from './helpers.ts';
import { topic } from '../support/cluster.ts';

const CRASH_US = 10 * SEC;

function leaderDies(how: Action, config: ConfigMap = {}, controller: 'kraft' | 'zookeeper' = 'kraft') {
  return story({
    controller,
    topics: [topic('orders', [[1, 2, 3]], { 'min.insync.replicas': 2 })],
    producers: [producerSpec({ ratePerSec: 1000, stopUs: 30 * SEC, config: { 'linger.ms': 0, ...config } })],
    timeline: [at(CRASH_US, how)],
  });
}

const of = (sim: Simulation, type: string, pred: (e: TraceEvent) => boolean = () => true): TraceEvent[] =>
  sim.trace.events.filter((e) => e.type === type && pred(e));

describe('a leader whose process is killed: the producer hears of it at once', () => {
  for (const acks of ['all', '1']) {
    it(`acks=${acks}: requests in flight fail within a few ms, metadata keeps naming broker 1 until the fence, then broker 2 at once`, () => {
      const { sim, clients } = leaderDies({ type: 'crash', nodes: [1] }, { acks });
      sim.runUntil(40 * SEC);
      const p = clients.producer('checkout').producer;
      // broker 1's machine reset the connection: a `disconnect` one latency (1 ms) after the crash
      expect(of(sim, 'msg', (e) => e.k === 'disconnect' && e.f === 1 && e.to === 'checkout')).toEqual([
        { t: CRASH_US, type: 'msg', k: 'disconnect', f: 1, to: 'checkout', d: CRASH_US + 1 * MS },
      ]);
      const failed = of(sim, 'produce-failed', (e) => e.broker === 1);
      expect(failed.length).toBeGreaterThan(0);
      for (const e of failed) {
        expect(e).toMatchObject({ code: 'NETWORK_EXCEPTION', retry: true });
        expect(e.t).toBeLessThanOrEqual(CRASH_US + 3 * MS);
      }
      expect(p.stats.errors.get('REQUEST_TIMED_OUT')).toBeUndefined();
      // handleServerDisconnect: a metadata request right away, to a live broker
      const firstMetadata = of(sim, 'msg', (e) => e.k === 'metadata' && e.f === 'checkout' && e.t > CRASH_US)[0];
      expect(firstMetadata.t).toBeLessThanOrEqual(CRASH_US + 1 * MS);
      expect(firstMetadata.to).not.toBe(1);
      // the controller is unchanged: broker 1 is fenced only when its heartbeats are 7–9 s overdue
      const fenced = of(sim, 'broker-fenced', (e) => e.broker === 1)[0];
      expect(fenced.t).toBeGreaterThanOrEqual(CRASH_US + 7 * SEC);
      expect(fenced.t).toBeLessThanOrEqual(CRASH_US + 9 * SEC + 10 * MS);
      // until then every metadata answer names broker 1, and reconnecting to it is refused
      const refreshed = of(sim, 'metadata-refreshed', (e) => e.client === 'checkout' && e.t > CRASH_US);
      expect(refreshed[0].t).toBeGreaterThan(fenced.t);
      expect(refreshed[0].partitions).toEqual([[0, 2, 1]]);
      const refusals = of(sim, 'msg', (e) => e.k === 'connection-refused' && e.to === 'checkout');
      expect(refusals.length).toBeGreaterThan(3);
      expect(refusals.every((e) => e.t < fenced.t + 1.5 * SEC)).toBe(true);
      // reconnect.backoff.ms (50) doubling to reconnect.backoff.max.ms (1000), ±20%: never a storm
      const connects = of(sim, 'msg', (e) => e.k === 'connect' && e.f === 'checkout' && e.to === 1);
      const gaps = connects.slice(1).map((e, i) => e.t - connects[i].t);
      expect(gaps.every((g) => g >= 40 * MS)).toBe(true);
      expect(Math.max(...gaps)).toBeLessThanOrEqual(1200 * MS + 2 * MS);
      // the producer writes to broker 2 as soon as its metadata names it
      const firstOn2 = of(sim, 'produce-acked', (e) => e.broker === 2)[0];
      expect(firstOn2.t - refreshed[0].t).toBeLessThanOrEqual(10 * MS);
      expect(firstOn2.t - fenced.t).toBeLessThan(1500 * MS);
      sim.runUntil(45 * SEC);
      const s = sim.ledgerSummary();
      expect(p.stats.failed).toBe(0);
      if (acks === 'all') expect(s.lost).toBe(0);
      expect(s.duplicates).toBe(0);
      expect(s.acked).toBe(p.stats.created);
    });
  }

  it('acks=0: records stop going to the dead leader once the connection is reset', () => {
    const lostWith = (how: Action): { lost: number; acked: number; sim: Simulation } => {
      const { sim } = leaderDies(how, { acks: '0' });
      sim.runUntil(40 * SEC);
      const s = sim.ledgerSummary();
      return { lost: s.lost, acked: s.acked, sim };
    };
    const crash = lostWith({ type: 'crash', nodes: [1] });
    // Kafka completes an acks=0 send once it is written to a connected socket: after the reset the
    // producer must connect again, is refused until the fence, and holds its records meanwhile. Only
    // what it wrote in the last moments before the reset, and broker 1 had not replicated, is lost.
    expect(crash.lost).toBeGreaterThan(0);
    expect(crash.lost).toBeLessThan(20);
    expect(of(crash.sim, 'produce-acked', (e) => e.broker === 1 && e.t > CRASH_US + 1 * MS)).toEqual([]);
    expect(of(crash.sim, 'produce-acked', (e) => e.broker === 2).length).toBeGreaterThan(0);
    // the machine gone: no reset, no response to wait for, so it "sends" to broker 1 until the
    // metadata names another leader (after the fence): seconds of records lost
    const power = lostWith({ type: 'power-loss', brokers: [1] });
    expect(power.lost).toBeGreaterThan(5000);
  });
});

describe('no reset: a machine that lost power, a paused process', () => {
  it('power loss of the leader: requests time out after request.timeout.ms (30 s), as before', () => {
    const { sim, clients } = leaderDies({ type: 'power-loss', brokers: [1] });
    sim.runUntil(45 * SEC);
    const p = clients.producer('checkout').producer;
    expect(of(sim, 'msg', (e) => e.k === 'disconnect' || e.k === 'connection-refused')).toEqual([]);
    expect(p.stats.errors.get('NETWORK_EXCEPTION')).toBeUndefined();
    const disconnects = of(sim, 'client-disconnect', (e) => e.broker === 1);
    expect(disconnects[0]).toMatchObject({ why: 'timeout' });
    expect(disconnects[0].t).toBeGreaterThanOrEqual(CRASH_US + 30 * SEC - 10 * MS);
    expect(disconnects[0].t).toBeLessThanOrEqual(CRASH_US + 30 * SEC + 10 * MS);
    expect(of(sim, 'produce-failed', (e) => e.code === 'REQUEST_TIMED_OUT').length).toBeGreaterThan(0);
    // broker 2 led for 20 s before the producer noticed
    expect(of(sim, 'produce-acked', (e) => e.broker === 2)[0].t).toBeGreaterThan(CRASH_US + 30 * SEC);
  });

  it('a paused leader holds its sockets: timeouts, not resets', () => {
    const { sim, clients } = leaderDies({ type: 'pause', node: 1, forUs: 40 * SEC });
    sim.runUntil(45 * SEC);
    const p = clients.producer('checkout').producer;
    expect(of(sim, 'msg', (e) => e.k === 'disconnect' || e.k === 'connection-refused')).toEqual([]);
    expect(p.stats.errors.get('NETWORK_EXCEPTION')).toBeUndefined();
    expect(of(sim, 'client-disconnect', (e) => e.broker === 1)[0]).toMatchObject({ why: 'timeout' });
    expect(of(sim, 'client-disconnect', (e) => e.broker === 1)[0].t).toBeGreaterThanOrEqual(CRASH_US + 30 * SEC - 10 * MS);
    // fenced all the same, by its missing heartbeats
    expect(of(sim, 'broker-fenced', (e) => e.broker === 1)).toHaveLength(1);
  });
});

describe('followers and the controller', () => {
  it('a follower fetching from a crashed leader backs off replica.fetch.backoff.ms, not replica.socket.timeout.ms', () => {
    const { sim } = leaderDies({ type: 'crash', nodes: [1] });
    sim.runUntil(25 * SEC);
    // broker 2's fetch parked at broker 1 fails when the reset arrives …
    expect(of(sim, 'msg', (e) => e.k === 'disconnect' && e.f === 1 && e.to === 2)[0].d).toBe(CRASH_US + 1 * MS);
    // … and it tries again every replica.fetch.backoff.ms (1 s), refused each time, until it leads
    const became = of(sim, 'become-leader', (e) => e.broker === 2)[0];
    const attempts = of(sim, 'msg-dropped', (e) => e.k === 'fetch' && e.f === 2 && e.to === 1 && (e.s as number) > CRASH_US).map((e) => e.s as number);
    expect(attempts.length).toBeGreaterThanOrEqual(6);
    expect(attempts[0]).toBe(CRASH_US + 1 * MS + 1 * SEC);
    const gaps = attempts.slice(1).map((t, i) => t - attempts[i]);
    for (const g of gaps) expect(g).toBe(1 * SEC + 2 * MS); // the backoff after the refusal, one round trip later
    expect(attempts.at(-1)!).toBeLessThan(became.t);
    expect(of(sim, 'fetch-timeout')).toEqual([]);
  });

  it('ZooKeeper mode: the reset does not expire the killed broker\'s session; the controller waits for zookeeper.session.timeout.ms', () => {
    const { sim } = leaderDies({ type: 'crash', nodes: [1] }, {}, 'zookeeper');
    sim.runUntil(40 * SEC);
    expect(of(sim, 'msg', (e) => e.k === 'disconnect' && e.f === 1 && e.to === 'controller')).toHaveLength(1);
    const fenced = of(sim, 'broker-fenced', (e) => e.broker === 1)[0];
    expect(fenced.t).toBeGreaterThanOrEqual(CRASH_US + 12 * SEC);
    expect(fenced.t).toBeLessThanOrEqual(CRASH_US + 18 * SEC + 10 * MS);
  });
});

describe('a connection set up again after a request timed out', () => {
  it('its handshake gets socket.connection.setup.timeout.ms (10 s ± 20%), not the doubled timeout of a failed handshake', () => {
    // ClusterConnectionStates: only handshakes that failed (failedConnectAttempts) double the setup
    // timeout; closing an established connection (here on request.timeout.ms) resets it to backoff(0)
    const { sim } = story({
      producers: [producerSpec({ ratePerSec: 100, stopUs: 10 * SEC, config: { 'request.timeout.ms': 1000 } })],
    });
    sim.runUntil(3 * SEC);
    // broker 1's answers to the producer are cut off: its requests time out at ~4 s, and the answer to
    // the next handshake is lost too, so that handshake times out
    sim.network.cut(1, 'checkout');
    sim.runUntil(4500 * MS);
    sim.network.heal('all');
    sim.runUntil(40 * SEC);
    const disconnects = of(sim, 'client-disconnect', (e) => e.client === 'checkout' && e.broker === 1 && e.why === 'timeout');
    const connects = of(sim, 'msg', (e) => e.k === 'connect' && e.f === 'checkout' && e.to === 1);
    expect(disconnects.length).toBeGreaterThanOrEqual(2);
    const gaveUp = disconnects[1].t - connects[0].t;
    expect(gaveUp).toBeGreaterThanOrEqual(8 * SEC);
    expect(gaveUp).toBeLessThanOrEqual(12 * SEC);
  });
});
