// ZooKeeper expires a session on its tick, not at last touch + timeout (SessionTrackerImpl,
// ExpiryQueue.roundToNextInterval: (time / tickTime + 1) * tickTime; tickTime 3000 ms, ZooKeeper's
// default, which Kafka's zookeeper.properties leaves as is). The negotiated timeout is 2 to 20 ticks.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { zkSessionExpiryUs } from '../../sim/kafka/zk-session.ts';
import { parseScenario } from '../../src/scenario/index.ts';
import { runScenario } from '../../src/scenario/run.ts';

describe('a ZooKeeper session expires on the server tick', () => {
  it('at the next multiple of 3 s after last touch + timeout, never on it', () => {
    // 10.0 s + 18 s = 28 s → the bucket of 30 s; 9 s + 18 s = 27 s, itself a multiple → still the next one, 30 s
    expect(zkSessionExpiryUs(10_000_000, 18_000)).toBe(30_000_000);
    expect(zkSessionExpiryUs(9_000_000, 18_000)).toBe(30_000_000);
    expect(zkSessionExpiryUs(5_288_315, 18_000)).toBe(24_000_000);
    // Kafka 2.4's 6 s: 10.5 s + 6 s = 16.5 s → 18 s
    expect(zkSessionExpiryUs(10_500_000, 6_000)).toBe(18_000_000);
  });

  it('with the timeout clamped to 2 to 20 ticks (6 s to 60 s)', () => {
    expect(zkSessionExpiryUs(0, 1_000)).toBe(zkSessionExpiryUs(0, 6_000));
    expect(zkSessionExpiryUs(0, 600_000)).toBe(zkSessionExpiryUs(0, 60_000));
  });

  it('leader-crash-zookeeper: broker 1, last pinging at 5.29 s and crashed at 10 s, is fenced at 24 s', () => {
    const file = join(import.meta.dirname, '../../scenarios/library/leader-crash-zookeeper.yaml');
    const parsed = parseScenario(readFileSync(file, 'utf8'), file);
    if (!parsed.ok) throw new Error('invalid library scenario');
    const r = runScenario(parsed.scenario, parsed.spec, { keepTrace: true });
    const pings = r.sim.trace.events.filter((e) => e.type === 'rt' && e.k === 'zk-ping' && e.f === 1 && (e.a as number) < 10_000_000);
    const lastTouch = pings.at(-1)!.a as number;
    const fenced = r.sim.trace.events.find((e) => e.type === 'broker-fenced' && e.broker === 1)!;
    expect(fenced.t).toBe(zkSessionExpiryUs(lastTouch, 18_000));
    expect(fenced.t % 3_000_000).toBe(0);
    expect(fenced.t - lastTouch).toBeGreaterThan(18_000_000);
  });
});

describe('a ZooKeeper-mode broker restarted while its previous session lives', () => {
  const scenario = (restartAt: string) => `
name: zk-quick-restart
duration: 60s
cluster: { brokers: 3, controller: zookeeper, kafka.version: "3.9" }
topics:
  - { name: orders, partitions: 1, replication.factor: 3, replicas: [[1, 2, 3]] }
producers:
  - { id: checkout, topic: orders, rate: 20/s, stop: 55s }
timeline:
  - { at: 10s, crash: 2 }
  - { at: ${restartAt}, restart: 2 }
`;
  const run = (restartAt: string) => {
    const parsed = parseScenario(scenario(restartAt), 'zk-quick-restart.yaml');
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    return runScenario(parsed.scenario, parsed.spec, { keepTrace: true }).sim;
  };

  it('fails to start and exits: /brokers/ids/2 still belongs to the old session (NodeExistsException), and stays down', () => {
    // crashed at 10 s, the old session lives 18 s past its last ping (to the next 3 s tick): a new
    // process at 12 s finds the ephemeral node taken, KafkaServer.startup is fatal, the process exits
    const sim = run('12s');
    const stopped = sim.trace.events.filter((e) => e.type === 'broker-stopped' && e.broker === 2);
    expect(stopped).toHaveLength(1);
    expect(stopped[0]).toMatchObject({ reason: 'node-exists' });
    expect(stopped[0].t).toBeGreaterThanOrEqual(12_000_000);
    expect(stopped[0].t).toBeLessThan(13_000_000);
    expect(sim.brokers().find((b) => b.id === 2)!.state).toBe('stopped');
    expect(sim.partition('orders-0')!.isr).toEqual([1, 3]);
    expect(sim.trace.events.filter((e) => e.type === 'broker-registered' && e.broker === 2)).toHaveLength(0);
  });

  it('once the old session expired, a restart registers the broker and it rejoins the ISR', () => {
    // last ping before 10 s + 18 s, rounded up to the 3 s tick: expired by 30 s at the latest
    const sim = run('31s');
    expect(sim.trace.events.some((e) => e.type === 'broker-stopped' && e.broker === 2)).toBe(false);
    expect(sim.partition('orders-0')!.isr).toEqual([1, 3, 2]);
  });
});
