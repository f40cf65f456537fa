// The KRaft controller quorum (`cluster.controllers: 3`): Raft elections (KafkaRaftClient,
// QuorumState), the new active controller's fresh broker sessions (ClusterControlManager.activate →
// BrokerHeartbeatManager.register), and metadata frozen while no controller is active. Expected
// values come from Kafka's defaults: controller.quorum.fetch.timeout.ms 2000,
// controller.quorum.election.timeout.ms 1000, broker.session.timeout.ms 9000, and KafkaRaftClient's
// MAX_FETCH_WAIT_MS 500 (how long the leader holds a follower's fetch with nothing new).
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/index.ts';
import { startScenario } from '../../src/scenario/run.ts';
import { MS, SEC } from '../../sim/engine/index.ts';
import type { Simulation } from '../../sim/kafka/index.ts';
import { formatQuorumStatus } from '../../src/cli/kafka-format.ts';

const FETCH_TIMEOUT = 2 * SEC;
const ELECTION_TIMEOUT = 1 * SEC;
const SESSION_TIMEOUT = 9 * SEC;
const MAX_FETCH_WAIT = 500 * MS;

function scenario(timeline: string, extra = ''): string {
  return `name: quorum-test
duration: 60s
cluster: { brokers: 3, controllers: 3${extra} }
topics:
  - { name: orders, partitions: 1, replication.factor: 3, replicas: [[1, 2, 3]] }
producers:
  - { id: checkout, topic: orders, rate: 50/s }
timeline:
${timeline}`;
}

function run(text: string, untilUs = 60 * SEC, seed?: number): Simulation {
  const parsed = parseScenario(text, 'quorum.yaml');
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.message).join('\n'));
  const { sim } = startScenario(parsed.scenario, parsed.spec, { keepTrace: true, seed });
  sim.runUntil(untilUs);
  return sim;
}

const ev = (sim: Simulation, type: string) => sim.trace.events.filter((e) => e.type === type);

describe('a controller failover (KafkaRaftClient)', () => {
  const text = scenario(`  - { at: 10s, crash: active-controller }
  - { at: 10.5s, crash: 1 }
`);

  it('the survivors stand for election a fetch timeout after their last fetch, and one becomes active', () => {
    for (const seed of [1, 2, 3]) {
      const sim = run(text, 40 * SEC, seed);
      const crash = ev(sim, 'controller-crashed')[0];
      expect(crash).toMatchObject({ node: 'controller-1', t: 10 * SEC });
      // a follower's last successful fetch came back at most MAX_FETCH_WAIT (plus a round trip) before the crash
      const first = ev(sim, 'quorum-election')[0];
      expect(first.t).toBeGreaterThanOrEqual(10 * SEC + FETCH_TIMEOUT - MAX_FETCH_WAIT - 2 * MS);
      expect(first.t).toBeLessThanOrEqual(10 * SEC + FETCH_TIMEOUT);
      // each candidacy waits election.timeout.ms plus a random part of it: [1 s, 2 s)
      for (const e of ev(sim, 'quorum-election')) {
        expect(e.timeoutUs).toBeGreaterThanOrEqual(ELECTION_TIMEOUT);
        expect(e.timeoutUs).toBeLessThan(2 * ELECTION_TIMEOUT);
      }
      const activated = ev(sim, 'controller-activated').filter((e) => e.t > 0);
      expect(activated).toHaveLength(1);
      // the bound with at most one failed round (a split vote): the fetch timeout, a candidacy's
      // election timeout (< 2 × 1 s), controller.quorum.election.backoff.max.ms (1 s), a second
      // candidacy's votes and the LeaderChange commit (a few ms)
      expect(activated[0].t - 10 * SEC).toBeLessThanOrEqual(FETCH_TIMEOUT + 2 * ELECTION_TIMEOUT + 1 * SEC + 20 * MS);
      const a = activated[0];
      expect(a.node).not.toBe('controller-1');
      // it wins in the epoch of its last candidacy, and the gap is measured from the crash
      const won = ev(sim, 'quorum-leader').filter((e) => e.t > 0)[0];
      expect(a.epoch).toBe(won.epoch);
      expect(a.gapUs).toBe(a.t - 10 * SEC);
      // the LeaderChange record commits one follower fetch after the win: a few ms
      expect(a.t - won.t).toBeLessThan(10 * MS);
      expect(ev(sim, 'controller-inactive')[0]).toMatchObject({ node: 'controller-1', t: 10 * SEC, reason: 'crashed' });
    }
  });

  it('fences a broker that died before the failover a full session timeout after the new controller took over', () => {
    const sim = run(text, 40 * SEC);
    const active = ev(sim, 'controller-activated').filter((e) => e.t > 0)[0];
    const fenced = ev(sim, 'broker-fenced');
    expect(fenced).toHaveLength(1);
    expect(fenced[0].broker).toBe(1);
    // BrokerHeartbeatManager.register touched broker 1 at activation; the stale check runs 1 µs past the
    // deadline and the fencing record is traced when committed (one quorum fetch round trip)
    expect(fenced[0].t).toBeGreaterThanOrEqual(active.t + SESSION_TIMEOUT);
    expect(fenced[0].t).toBeLessThan(active.t + SESSION_TIMEOUT + 10 * MS);
    // by its last heartbeat (at most 10.5 s) the single controller would have fenced it by 19.5 s
    expect(fenced[0].t).toBeGreaterThan(10.5 * SEC + SESSION_TIMEOUT);
    // nothing changed in the metadata while no controller was active
    const changes = ev(sim, 'partition-change').filter((e) => e.t > 10 * SEC && e.t < active.t);
    expect(changes).toEqual([]);
    // the leader moves with the fencing, not before
    expect(ev(sim, 'leader-elected')[0]).toMatchObject({ partition: 'orders-0', leader: 2, t: fenced[0].t });
    // the live brokers found the new controller through the quorum and kept their sessions
    expect(sim.brokers().filter((b) => b.fenced).map((b) => b.id)).toEqual([1]);
  });
});

describe('a quorum without a majority', () => {
  it('freezes the metadata until a voter comes back, then fences from the new activation', () => {
    const sim = run(scenario(`  - { at: 10s, crash: [controller-2, controller-3] }
  - { at: 12s, crash: 1 }
  - { at: 30s, restart: controller-3 }
`), 50 * SEC);
    // controller-1 keeps leading until check quorum: no fetch from a majority for 1.5 × fetch timeout
    const resigned = ev(sim, 'quorum-resigned')[0];
    expect(resigned.node).toBe('controller-1');
    expect(resigned.t).toBeGreaterThan(10 * SEC + 1.5 * FETCH_TIMEOUT - MAX_FETCH_WAIT - 2 * MS);
    expect(resigned.t).toBeLessThanOrEqual(10 * SEC + 1.5 * FETCH_TIMEOUT);
    // one voter cannot win: elections go on, nobody is activated before the restart
    const activations = ev(sim, 'controller-activated').filter((e) => e.t > 0);
    expect(ev(sim, 'quorum-election').filter((e) => e.t < 30 * SEC).length).toBeGreaterThan(1);
    expect(activations.every((e) => e.t > 30 * SEC)).toBe(true);
    // frozen: broker 1 died at 12 s but stays unfenced and the leader of orders-0 in the metadata
    expect(ev(sim, 'partition-change').filter((e) => e.t > 10 * SEC && e.t < activations[0].t)).toEqual([]);
    const fenced = ev(sim, 'broker-fenced')[0];
    expect(fenced.t).toBeGreaterThanOrEqual(activations[0].t + SESSION_TIMEOUT);
    // the gap counts from the moment the majority was lost
    expect(activations[0].gapUs).toBe(activations[0].t - 10 * SEC);
  });

  it('describe shows only what a majority holds: a change the cut-off controller appended is not there', () => {
    // at 11 s controller-1 still believes it is active (check quorum resigns it at ~12.5 s): it appends
    // the config change, which no other voter ever receives
    const sim = run(scenario(`  - { at: 10s, crash: [controller-2, controller-3] }
  - { at: 11s, alter-config: { topic: orders, set: { min.insync.replicas: 2 } } }
`), 20 * SEC);
    expect(sim.controller.image.topics.get('orders')!.config['min.insync.replicas']).toBe(2); // its own, uncommitted
    expect(sim.topics()[0].configs['min.insync.replicas']).toBeUndefined(); // the committed metadata
    expect(sim.brokers().map((b) => sim.broker(b.id).image.topics.get('orders')!.config['min.insync.replicas'])).toEqual([undefined, undefined, undefined]);
  });

  it('an AlterPartition while no controller is active waits: the ISR changes only after the next activation', () => {
    // broker 3 (a follower) is cut off from the leader: isr-expiration drops it after replica.lag.time.max.ms
    const sim = run(scenario(`  - { at: 5s, cut: { from: 3, to: 1 } }
  - { at: 20s, crash: [controller-2, controller-3] }
  - { at: 45s, restart: controller-2 }
`), 60 * SEC);
    const active = ev(sim, 'controller-activated').filter((e) => e.t > 0)[0];
    const shrink = ev(sim, 'isr-shrink')[0];
    expect(active.t).toBeGreaterThan(45 * SEC);
    // without the outage the shrink would be committed by 5 s + 30 s + 15 s (the check period) = 50 s at the latest
    expect(shrink).toMatchObject({ partition: 'orders-0', removed: [3] });
    expect(shrink.t).toBeGreaterThan(active.t);
    // the request waited for the controller (NodeToControllerChannelManager requeues it) and went to the
    // new one as soon as the broker heard from the quorum's leader: its next metadata fetch, ≤ 500 ms
    expect(shrink.t - active.t).toBeLessThan(MAX_FETCH_WAIT + 10 * MS);
  });
});

describe('cluster.controllers in the scenario', () => {
  const errors = (text: string): string[] => {
    const r = parseScenario(text, 'q.yaml');
    return r.ok ? [] : r.errors.map((e) => e.message);
  };
  it('refuses a quorum in ZooKeeper mode, a crash of the single controller and an unknown voter', () => {
    expect(errors(scenario('  - { at: 1s, crash: 1 }\n', ', controller: zookeeper, kafka.version: "3.9"')).join('\n')).toMatch(/controllers: 3 is a KRaft controller quorum; ZooKeeper mode/);
    expect(errors(scenario('  - { at: 1s, crash: controller }\n').replace('controllers: 3', 'controllers: 1')).join('\n')).toMatch(/single controller \(cluster.controllers: 1\) cannot crash/);
    expect(errors(scenario('  - { at: 1s, crash: controller-4 }\n')).join('\n')).toMatch(/controller-4 does not exist \(the quorum is controller-1 … controller-3/);
  });
  it('skips a step naming the active controller while there is none, with the reason', () => {
    const sim = run(scenario(`  - { at: 10s, crash: active-controller }
  - { at: 10.1s, isolate: active-controller }
`), 12 * SEC);
    expect(ev(sim, 'step-skipped')[0]).toMatchObject({ action: 'isolate', reason: 'active-controller: no controller is active' });
  });
});

describe('the quorum as kafka-metadata-quorum describe --status prints it', () => {
  it('names the active controller and its epoch, and nobody during the gap', () => {
    const text = scenario('  - { at: 10s, crash: active-controller }\n');
    const before = run(text, 9 * SEC).quorumView()!;
    expect(before).toMatchObject({ leaderId: 1, leaderEpoch: 1 });
    expect(formatQuorumStatus(before)[0]).toBe('LeaderId:               1');
    // 10.5 s: controller-1 is down and the others have not noticed yet (fetch timeout 2 s)
    const gap = run(text, 10.5 * SEC).quorumView()!;
    expect(gap.leaderId).toBeNull();
    expect(gap.voters.map((v) => v.state)).toEqual(['down', 'follower', 'follower']);
    expect(formatQuorumStatus(gap)[0]).toMatch(/^LeaderId: +none \(no active controller since 10s: the metadata cannot change\)$/);
    const after = run(text, 20 * SEC).quorumView()!;
    expect(after.leaderId).not.toBe(1);
    expect(after.leaderEpoch).toBeGreaterThan(1);
    // the new leader's log holds everything committed: every running voter has caught up to its HW
    expect(after.voters.filter((v) => v.state !== 'down').every((v) => v.logEndOffset === after.highWatermark)).toBe(true);
    // MaxFollowerLag counts the dead controller-1 too: its log stopped where it died, behind the new leader's
    const dead = after.voters.find((v) => v.id === 1)!;
    const leo = after.voters.find((v) => v.active)!.logEndOffset;
    expect(dead.logEndOffset).toBeLessThan(leo);
    expect(formatQuorumStatus(after)[3]).toBe(`MaxFollowerLag:         ${leo - dead.logEndOffset}`);
  });
});
