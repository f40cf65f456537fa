// A network cut loses packets, not connections: TCP retransmits what it swallowed (Linux's
// tcp_retransmit_timer: 200 ms, doubling to 120 s, 15 retransmissions), so a short cut delays Kafka's
// requests instead of failing them, and a request that does time out closes its connection.
import { describe, it, expect } from 'vitest';
import { SEC, MS } from '../../sim/engine/index.ts';
import { giveUpUs, nextRetransmissionUs } from '../../sim/kafka/tcp-retransmission.ts';
import { parseScenario } from '../../src/scenario/parse.ts';
import { runScenario } from '../../src/scenario/run.ts';

function run(yaml: string) {
  const parsed = parseScenario(yaml, 'tcp.yaml');
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return runScenario(parsed.scenario, parsed.spec, { keepTrace: true }).sim;
}

describe('TCP retransmission schedule (Linux, RFC 6298)', () => {
  it('retransmits after 200 ms, then doubling, capped at 120 s, and gives up after 15 retransmissions', () => {
    // k-th retransmission at Σ_{i<k} min(0.2 s · 2^i, 120 s): 0.2, 0.6, 1.4, 3.0, 6.2, 12.6, 25.4, 51.0, 102.2, 204.6, then +120 s each
    expect(nextRetransmissionUs(0, 0)).toBe(200 * MS);
    expect(nextRetransmissionUs(0, 200 * MS)).toBe(600 * MS);
    expect(nextRetransmissionUs(0, 5 * SEC)).toBe(6200 * MS);
    expect(nextRetransmissionUs(0, 204_600 * MS)).toBe(324_600 * MS);
    // the 15th at 804.6 s; its timeout expires at 924.6 s, when the connection is given up
    expect(nextRetransmissionUs(0, 800 * SEC)).toBe(804_600 * MS);
    expect(giveUpUs(0)).toBe(924_600 * MS);
    expect(nextRetransmissionUs(0, 804_600 * MS)).toBe(924_600 * MS);
  });
});

describe('a cut that heals', () => {
  const scenario = (extra = '') => `
name: short-isolation
duration: 60s
cluster: { brokers: 3 }
topics:
  - { name: orders, partitions: 1, replication.factor: 3, replicas: [[1, 2, 3]], config: { min.insync.replicas: 2 } }
producers:
  - { id: checkout, topic: orders, rate: 20/s, stop: 50s }
timeline:
  - { at: 10s, isolate: 1 }
  - { at: 15s, heal: all }
${extra}`;

  it('a 5 s isolation of the leader delays acks=all writes; none times out (request.timeout.ms is 30 s)', () => {
    const sim = run(scenario());
    // without retransmission the requests in flight at 10 s vanish and fail with REQUEST_TIMED_OUT at 40 s
    expect(sim.producerErrors()).toEqual({});
    expect(sim.ledgerSummary()).toMatchObject({ acked: 1000, failed: 0, lost: 0 });
    // requests first sent in [10 s, 15 s) are retransmitted at most 2 × (15 s − 10 s) + 0.2 s after their first send,
    // so the first ack after the heal comes by 20.2 s, and the followers' swallowed fetches get through too: no ISR change
    const acks = sim.trace.events.filter((e) => e.type === 'produce-acked' && e.t > 10 * SEC);
    expect(acks[0].t).toBeLessThanOrEqual(20_200 * MS);
    expect(sim.eventCount('isr-shrink')).toBe(0);
    expect(sim.trace.events.some((e) => e.type === 'msg-held' && e.k === 'produce')).toBe(true);
  });
});

/** Broker 1, the leader, loses power at 40 s and restarts at 45 s while an acks=1 producer writes to it. */
const POWER_LOSS_REBOOT = `
name: power-loss-reboot
duration: 90s
cluster: { brokers: 3 }
topics:
  - { name: orders, partitions: 1, replication.factor: 3, replicas: [[1, 2, 3]] }
producers:
  - { id: checkout, topic: orders, rate: 20/s, stop: 80s, config: { acks: 1 } }
timeline:
  - { at: 40s, power-loss: 1 }
  - { at: 45s, restart: 1 }
`;

describe('a machine that lost power and came back', () => {
  it('resets the connections it had: the producer hears it at TCP\'s first retransmission after the restart, not request.timeout.ms after sending', () => {
    const sim = run(POWER_LOSS_REBOOT);
    // requests sent to broker 1 from 40 s on go unanswered; TCP retransmits the oldest at 40.2, 40.6,
    // 41.4, 43.0 and 46.2 s (200 ms doubling): at 46.2 s broker 1's new kernel answers with a reset
    const disconnects = sim.trace.events.filter((e) => e.type === 'client-disconnect' && e.client === 'checkout' && e.broker === 1 && e.t > 40 * SEC);
    expect(disconnects[0]).toMatchObject({ why: 'disconnect' });
    expect(disconnects[0].t).toBeGreaterThan(46 * SEC);
    expect(disconnects[0].t).toBeLessThan(46_300 * MS);
    // (without it they would fail with REQUEST_TIMED_OUT 30 s after they were sent, at about 70 s)
    expect(sim.trace.events.filter((e) => e.type === 'produce-failed' && e.t > 40 * SEC && e.t < 47 * SEC).map((e) => e.code)).toEqual(Array(5).fill('NETWORK_EXCEPTION'));
  });
});

describe('a restarted broker refuses connections until it is unfenced', () => {
  it('its listener opens only at the end of startup (BrokerServer: after the initial unfence), so clients are refused, not left waiting', () => {
    const sim = run(POWER_LOSS_REBOOT);
    // after the reset at 46.2 s the producer, whose metadata still names broker 1 until the controller
    // fences it (its session outlives the restart), reconnects to the starting broker: refused, so it
    // backs off and asks again; nothing it sends waits request.timeout.ms for an answer that never comes
    const refused = sim.trace.events.filter((e) => e.type === 'msg-dropped' && e.why === 'not-listening' && e.f === 'checkout' && e.to === 1);
    expect(refused.length).toBeGreaterThan(0);
    expect(sim.producerErrors().checkout?.REQUEST_TIMED_OUT).toBeUndefined();
    const unfenced = sim.trace.events.find((e) => e.type === 'broker-unfenced' && e.broker === 1 && e.t > 45 * SEC)!;
    expect(refused.every((e) => e.t <= unfenced.t + 10 * MS)).toBe(true);
    expect(sim.ledgerSummary()).toMatchObject({ failed: 0, lost: 0 });
  });
});
