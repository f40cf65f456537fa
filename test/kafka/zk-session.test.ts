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
