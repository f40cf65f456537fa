// A KRaft broker's start (BrokerLifecycleManager, BrokerServer.startup, BrokerHeartbeatManager):
// it registers, heartbeats at once, then every 10 ms while STARTING (wantFence, not caught up with the
// metadata up to its registration record); once a response says isCaughtUp it is in RECOVERY, ready
// to unfence as soon as its logs are loaded (at once here), and its next heartbeat, sent at once
// without wantFence, is granted. So a restarted broker is unfenced within a few round trips of its
// registration, not at its next regular heartbeat (broker.heartbeat.interval.ms, 2 s) later.
import { describe, it, expect } from 'vitest';
import { SEC, MS } from '../../sim/engine/index.ts';
import { build, events, runUntilTrue } from './support/sim.ts';
import type { BrokerHeartbeatResponse } from '../../sim/kafka/protocol.ts';

describe('a KRaft broker starting', () => {
  it('is unfenced within a few round trips of its registration, not at its next 2-second heartbeat', () => {
    const { sim } = build({ latencyUs: 1 * MS });
    sim.runUntil(1 * SEC);
    sim.broker(1).crash('crash');
    runUntilTrue(sim, () => events(sim, 'broker-fenced', { broker: 1 }).length > 0, 20 * SEC);
    sim.runUntil(15 * SEC);
    sim.broker(1).restart();
    runUntilTrue(sim, () => events(sim, 'broker-unfenced', { broker: 1 }).length > 0, 20 * SEC);
    const registered = events(sim, 'broker-registered', { broker: 1 }).at(-1)!.t;
    const unfenced = events(sim, 'broker-unfenced', { broker: 1 })[0].t;
    // registration round trip, a STARTING heartbeat or two (10 ms apart) until isCaughtUp, then the
    // heartbeat without wantFence: well under 100 ms with 1 ms links
    expect(unfenced - registered).toBeLessThan(100 * MS);
    expect(unfenced - 15 * SEC).toBeLessThan(100 * MS);
    // and it rejoins the ISR at its first fetch the leader sees after learning it is unfenced
    // (Partition.isReplicaIsrEligible): on this idle partition the fetch before waits out
    // replica.fetch.wait.max.ms (500 ms) in the leader's purgatory
    const rejoined = runUntilTrue(sim, () => sim.partition('orders-0')!.isr.includes(1), 20 * SEC);
    expect(rejoined! - unfenced).toBeLessThan(600 * MS);
  });

  it('the controller keeps a fenced broker fenced while its heartbeat asks for it (wantFence), even caught up', () => {
    const { sim } = build();
    sim.runUntil(1 * SEC);
    sim.broker(3).crash('crash');
    runUntilTrue(sim, () => events(sim, 'broker-fenced', { broker: 3 }).length > 0, 20 * SEC);
    // a fake process of broker 3 registers, then heartbeats caught up but wanting to stay fenced
    const answers: BrokerHeartbeatResponse[] = [];
    let epoch = -1;
    sim.network.attach('fake-3', (m) => {
      if (m.body.kind === 'broker-registration-response') epoch = (m.body as unknown as { brokerEpoch: number }).brokerEpoch;
      if (m.body.kind === 'broker-heartbeat-response') answers.push(m.body as BrokerHeartbeatResponse);
    });
    const ctx = sim.network.context('fake-3');
    ctx.send('controller', { kind: 'broker-registration', correlationId: 1, brokerId: 3, incarnationId: 99 });
    sim.runUntil(sim.now + 10 * MS);
    expect(epoch).toBeGreaterThan(0);
    const beat = (wantFence: boolean, correlationId: number) =>
      ctx.send('controller', { kind: 'broker-heartbeat', correlationId, brokerId: 3, brokerEpoch: epoch, currentMetadataOffset: epoch + 10, wantFence, wantShutDown: false });
    beat(true, 2);
    sim.runUntil(sim.now + 10 * MS);
    expect(answers.at(-1)).toMatchObject({ isFenced: true, isCaughtUp: true });
    beat(false, 3);
    sim.runUntil(sim.now + 10 * MS);
    expect(answers.at(-1)).toMatchObject({ isFenced: false });
  });
});

describe('a KRaft controlled shutdown (BrokerHeartbeatManager.calculateNextBrokerState)', () => {
  it('ends only once every other active broker has heartbeated a metadata offset past the shutdown record', () => {
    let waitedLong = false;
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const { sim } = build({ seed, latencyUs: 1 * MS });
      sim.runUntil(10 * SEC);
      sim.broker(1).shutdown();
      const start = sim.now;
      runUntilTrue(sim, () => sim.broker(1).status === 'stopped', 20 * SEC);
      const stopped = events(sim, 'broker-stopped', { broker: 1 })[0].t;
      // lowestActiveOffset: brokers 2 and 3 report their metadata offset only in their heartbeats
      // (every broker.heartbeat.interval.ms); the shutdown is granted at broker 1's first heartbeat after both
      const reported = [2, 3].map((id) => events(sim, 'rt', { k: 'heartbeat', f: id }).find((e) => (e.a as number) > start)!.a as number);
      const allReported = Math.max(...reported);
      expect(stopped).toBeGreaterThan(allReported);
      const granting = events(sim, 'rt', { k: 'heartbeat', f: 1 }).filter((e) => (e.a as number) > allReported)[0];
      expect(granting.t).toBeLessThanOrEqual(stopped);
      expect(stopped - granting.t).toBeLessThan(1 * MS + 1);
      if (stopped - start > 1 * SEC) waitedLong = true;
      // leadership moved at once all the same
      expect(sim.partition('orders-0')!.leader).toBe(2);
      expect(events(sim, 'leader-elected')[0].t - start).toBeLessThan(5 * MS);
    }
    expect(waitedLong).toBe(true);
  });

  it('a broker that leads nothing is fenced and stops at its first heartbeat asking for it (SHUTDOWN_NOW)', () => {
    const { sim } = build({ latencyUs: 1 * MS });
    sim.runUntil(10 * SEC);
    sim.broker(3).shutdown();
    runUntilTrue(sim, () => sim.broker(3).status === 'stopped', 20 * SEC);
    expect(events(sim, 'broker-stopped', { broker: 3 })[0].t - 10 * SEC).toBeLessThan(5 * MS);
    expect(events(sim, 'broker-controlled-shutdown', { broker: 3 })).toHaveLength(0);
    expect(events(sim, 'broker-fenced', { broker: 3 })[0]).toMatchObject({ reason: 'controlled-shutdown' });
    expect(sim.partition('orders-0')!.isr).toEqual([1, 2]);
  });
});
