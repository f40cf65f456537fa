// A KRaft broker's start (BrokerLifecycleManager, BrokerServer.startup, BrokerHeartbeatManager):
// it registers, heartbeats at once, then every 10 ms while STARTING (wantFence, not caught up with the
// metadata up to its registration record); once a response says isCaughtUp it is in RECOVERY, ready
// to unfence as soon as its logs are loaded (at once here), and its next heartbeat, sent at once
// without wantFence, is granted. So a restarted broker is unfenced within a few round trips of its
// registration, not at its next regular heartbeat (broker.heartbeat.interval.ms, 2 s) later.
import { describe, it, expect } from 'vitest';
import { SEC, MS } from '../../sim/engine/index.ts';
import { build, events, runUntilTrue } from './support/sim.ts';
import { topic } from './support/cluster.ts';
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

describe('a ZooKeeper-mode controlled shutdown (KafkaController.doControlledShutdown)', () => {
  it('does not wait for a partition with a single replica: partitionLeadersOnBroker counts only replication factors above 1', () => {
    const { sim } = build({ controller: 'zookeeper', topics: [topic('solo', [[1]]), topic('orders', [[1, 2, 3]])] });
    sim.runUntil(10 * SEC);
    sim.broker(1).shutdown();
    runUntilTrue(sim, () => sim.broker(1).status === 'stopped', 60 * SEC);
    // orders-0 moves to broker 2 and solo-0 cannot move: the first answer lists nothing remaining,
    // so the broker stops at once instead of retrying controlled.shutdown.max.retries times 5 s apart
    expect(events(sim, 'broker-stopped', { broker: 1 })[0].t - 10 * SEC).toBeLessThan(100 * MS);
    expect(sim.partition('orders-0')!.leader).toBe(2);
  });
});

describe('a KRaft broker restarted while its previous session lives (BrokerLifecycleManager resend backoff)', () => {
  it('backs off 100 ms doubling per failure up to broker.session.timeout.ms, ±2%', async () => {
    const { lifecycleResendBackoffUs } = await import('../../sim/kafka/lifecycle-backoff.ts');
    const mid = { int: (n: number) => Math.floor(n / 2) } as never;
    const low = { int: () => 0 } as never;
    // ExponentialBackoff(100, 2, 9000, 0.02): terms 100, 200, 400, …, 6400, then 9000 (the cap)
    expect([0, 1, 2, 6].map((n) => lifecycleResendBackoffUs(n, 9_000_000, mid))).toEqual([100_000, 200_000, 400_000, 6_400_000]);
    expect(lifecycleResendBackoffUs(7, 9_000_000, mid)).toBe(9_000_000);
    expect(lifecycleResendBackoffUs(6, 9_000_000, low)).toBe(6_272_000); // 0.98 × 6.4 s
    expect(lifecycleResendBackoffUs(30, 9_000_000, low)).toBe(8_820_000);
  });

  it('registers at its first attempt after the old session expired: the attempts at +0, 0.1, 0.3, 0.7, 1.5, 3.1, 6.3 and 12.7 s', () => {
    const { sim } = build({ latencyUs: 1 * MS });
    sim.runUntil(10 * SEC);
    sim.broker(1).crash('crash');
    sim.runUntil(11 * SEC);
    sim.broker(1).restart();
    runUntilTrue(sim, () => events(sim, 'broker-registered', { broker: 1 }).length > 0, 40 * SEC);
    const fenced = events(sim, 'broker-fenced', { broker: 1 })[0].t;
    const registered = events(sim, 'broker-registered', { broker: 1 })[0].t;
    // fenced 9 s after its last heartbeat before 10 s, so between 17 and 19 s: the attempt at
    // 11 + 6.3 s = 17.3 s (±2% of the 3.2 s before it) may come before or after; the one at
    // 11 + 12.7 s (±2% of 6.4 s) after it for sure
    expect(fenced).toBeGreaterThan(17 * SEC);
    expect(fenced).toBeLessThan(19 * SEC);
    expect(registered).toBeGreaterThan(fenced);
    const attempt = registered - 11 * SEC;
    const candidates = [6.3, 12.7].map((s) => s * SEC);
    expect(candidates.some((c) => Math.abs(attempt - c) <= 0.2 * SEC)).toBe(true);
  });
});
