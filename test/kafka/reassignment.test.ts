// Partition reassignment (KIP-455): PartitionReassignmentReplicas and the reassignment steps of
// PartitionChangeBuilder (add the target's replicas, complete once they are all in the ISR, move the
// leader if it leaves, bump the leader epoch when replicas leave), kafka-topics' Adding/Removing
// Replicas, and the replication throttle (ReplicationQuotaManager with Kafka's Rate).
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/index.ts';
import { startScenario } from '../../src/scenario/run.ts';
import { describeTopics } from '../../src/cli/report.ts';
import { MS, SEC } from '../../sim/engine/index.ts';
import type { Simulation } from '../../sim/kafka/index.ts';
import { completedReassignment, reassignmentReplicas, zkReassignmentReplicas } from '../../sim/kafka/reassignment.ts';
import { ReplicationQuota, throttledPartitions } from '../../sim/kafka/replication-quota.ts';
import type { PartitionRegistration } from '../../sim/kafka/metadata-image.ts';

function run(text: string, untilUs: number): Simulation {
  const parsed = parseScenario(text, 'reassign.yaml');
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.message).join('\n'));
  const { sim } = startScenario(parsed.scenario, parsed.spec, { keepTrace: true });
  sim.runUntil(untilUs);
  return sim;
}

const ev = (sim: Simulation, type: string) => sim.trace.events.filter((e) => e.type === type);

function scenario(o: { rate: string; size: number; at: string; reassign: string; duration?: string }): string {
  return `name: reassign-test
duration: ${o.duration ?? '120s'}
cluster: { brokers: 4 }
topics:
  - { name: orders, partitions: 1, replication.factor: 3, replicas: [[1, 2, 3]] }
producers:
  - { id: checkout, topic: orders, rate: ${o.rate}, record-size: ${o.size}, config: { linger.ms: 5 } }
timeline:
  - { at: ${o.at}, reassign: ${o.reassign} }
`;
}

describe('PartitionReassignmentReplicas', () => {
  it('puts the target first and the removed replicas after it; adding and removing are sorted', () => {
    expect(reassignmentReplicas([1, 2, 3], [4, 3, 2])).toEqual({ replicas: [4, 3, 2, 1], adding: [4], removing: [1] });
    expect(reassignmentReplicas([3, 1, 2], [2, 1, 5, 4])).toEqual({ replicas: [2, 1, 5, 4, 3], adding: [4, 5], removing: [3] });
  });
  it('ZooKeeper mode (ReplicaAssignment.reassignTo): removed replicas in their original order, from the original replicas', () => {
    const reg = (replicas: number[], adding?: number[], removing?: number[]): PartitionRegistration => ({
      type: 'partition', topic: 'orders', partition: 0, replicas, isr: replicas, leader: replicas[0], leaderEpoch: 0, partitionEpoch: 0,
      leaderRecoveryState: 'RECOVERED', ...(adding ? { addingReplicas: adding } : {}), ...(removing ? { removingReplicas: removing } : {}),
    });
    // KRaft sorts the removed replicas (TreeSet): [4, 5, 6, 1, 2, 3]; ZooKeeper keeps [3, 1, 2]
    expect(zkReassignmentReplicas(reg([3, 1, 2]), [4, 5, 6])).toEqual({ replicas: [4, 5, 6, 3, 1, 2], adding: [4, 5, 6], removing: [3, 1, 2] });
    expect(reassignmentReplicas([3, 1, 2], [4, 5, 6]).replicas).toEqual([4, 5, 6, 1, 2, 3]);
    // a new reassignment replaces one in progress: from the original [1, 2, 3], not from [4, 5, 6, 1, 2, 3]
    expect(zkReassignmentReplicas(reg([4, 5, 6, 1, 2, 3], [4, 5, 6], [1, 2, 3]), [1, 2, 7])).toEqual({ replicas: [1, 2, 7, 3], adding: [7], removing: [3] });
    expect(reassignmentReplicas([4, 5, 6, 1, 2, 3], [1, 2, 7])).toEqual({ replicas: [1, 2, 7, 3, 4, 5, 6], adding: [7], removing: [3, 4, 5, 6] });
  });
  it('completes once the ISR without the removed replicas holds every target replica', () => {
    const p: PartitionRegistration = {
      type: 'partition', topic: 'orders', partition: 0, replicas: [2, 3, 4, 1], isr: [1, 2, 3], leader: 1, leaderEpoch: 0, partitionEpoch: 0,
      leaderRecoveryState: 'RECOVERED', addingReplicas: [4], removingReplicas: [1],
    };
    expect(completedReassignment(p, [1, 2, 3])).toBeUndefined();
    expect(completedReassignment(p, [1, 2, 3, 4])).toEqual({ replicas: [2, 3, 4], isr: [2, 3, 4] });
  });
});

describe('a reassignment (KIP-455)', () => {
  it('adds first, then completes with the leader moved off the removed replica and its log deleted', () => {
    const sim = run(scenario({ rate: '200/s', size: 100, at: '10s', reassign: '{ partition: orders-0, replicas: [2, 3, 4] }', duration: '20s' }), 10 * SEC + 1 * MS);
    // right after the step: replicas are target + removing, with adding/removing as kafka-topics prints them
    const during = sim.partition('orders-0')!;
    expect(during).toMatchObject({ replicas: [2, 3, 4, 1], adding: [4], removing: [1], leader: 1, isr: [1, 2, 3] });
    expect(describeTopics(sim.topics())[1]).toContain('Replicas: 2,3,4,1\tIsr: 1,2,3\tAdding Replicas: 4\tRemoving Replicas: 1\t');
    // TopicCommand.getReplicationFactor: the replicas less the ones being added
    expect(sim.topics()[0].replicationFactor).toBe(3);
    sim.runUntil(20 * SEC);
    const started = ev(sim, 'reassignment-started')[0];
    expect(started).toMatchObject({ partition: 'orders-0', replicas: [2, 3, 4], adding: [4], removing: [1], t: 10 * SEC });
    const done = ev(sim, 'reassignment-completed')[0];
    expect(done).toMatchObject({ partition: 'orders-0', replicas: [2, 3, 4], removed: [1] });
    // broker 4 joined the ISR in the same change that completed it (completeReassignmentIfNeeded runs in build())
    const expand = ev(sim, 'partition-change').find((e) => e.t === done.t)!;
    expect(expand).toMatchObject({ replicas: [2, 3, 4], isr: [2, 3, 4], leader: 2, epoch: 1 });
    expect(expand.adding).toBeUndefined();
    // the leader left the replicas: electAnyLeader takes the first target replica in the ISR
    expect(ev(sim, 'leader-elected')[0]).toMatchObject({ partition: 'orders-0', leader: 2, previous: 1, t: done.t });
    expect(ev(sim, 'replica-deleted')[0]).toMatchObject({ broker: 1, partition: 'orders-0' });
    expect(sim.broker(1).disk.has(sim.cluster.names.find('orders', 0))).toBe(false);
    expect(sim.partition('orders-0')).toMatchObject({ replicas: [2, 3, 4], isr: [2, 3, 4], leader: 2 });
    expect(sim.partition('orders-0')!.adding).toBeUndefined();
    expect(sim.ledgerSummary().lost).toBe(0);
  });

  it('bumps the leader epoch when a follower is removed, though the leader stays', () => {
    const sim = run(scenario({ rate: '100/s', size: 100, at: '5s', reassign: '{ partition: orders-0, replicas: [1, 2, 4] }', duration: '15s' }), 15 * SEC);
    const done = ev(sim, 'reassignment-completed')[0];
    expect(done).toMatchObject({ replicas: [1, 2, 4], removed: [3] });
    // triggerLeaderEpochBumpForReplicaReassignmentIfNeeded: replicas left, so the epoch moves (0 → 1)
    expect(sim.partition('orders-0')).toMatchObject({ leader: 1, leaderEpoch: 1, replicas: [1, 2, 4] });
    expect(ev(sim, 'leader-elected')).toEqual([]);
  });

  it('a target the ISR already holds completes in the change that starts it: both events at the step, leader epoch bumped only if a replica left', () => {
    // ReplicationControlManager.changePartitionReassignment: "a partition reassignment that merely
    // rearranges existing replicas in the list can bypass step #1 and #2 and complete immediately"
    const shrink = run(scenario({ rate: '100/s', size: 100, at: '5s', reassign: '{ partition: orders-0, replicas: [2, 1] }', duration: '6s' }), 6 * SEC);
    expect(ev(shrink, 'reassignment-started')).toEqual([expect.objectContaining({ t: 5 * SEC, replicas: [2, 1], adding: [], removing: [3] })]);
    expect(ev(shrink, 'reassignment-completed')).toEqual([expect.objectContaining({ t: 5 * SEC, replicas: [2, 1], removed: [3] })]);
    // the leader stays (it is in the target and the ISR); a replica left, so the epoch moves
    expect(shrink.partition('orders-0')).toMatchObject({ replicas: [2, 1], isr: [1, 2], leader: 1, leaderEpoch: 1 });
    const reorder = run(scenario({ rate: '100/s', size: 100, at: '5s', reassign: '{ partition: orders-0, replicas: [3, 2, 1] }', duration: '6s' }), 6 * SEC);
    expect(ev(reorder, 'reassignment-completed')).toEqual([expect.objectContaining({ t: 5 * SEC, replicas: [3, 2, 1], removed: [] })]);
    expect(reorder.partition('orders-0')).toMatchObject({ replicas: [3, 2, 1], leader: 1, leaderEpoch: 0 });
  });

  it('ZooKeeper mode bumps the leader epoch at the start, and at the completion once plus once per removed replica still in the ISR', () => {
    // KafkaController.onPartitionReassignment: A1 updateLeaderEpochAndSendRequest; B3 a new leader or
    // updateLeaderEpochAndSendRequest; B4 each removed replica leaves the ISR by its own ZooKeeper write
    const zk = (o: Parameters<typeof scenario>[0]) => scenario(o).replace('cluster: { brokers: 4 }', 'cluster: { brokers: 4, controller: zookeeper, kafka.version: "3.9" }');
    const move = run(zk({ rate: '200/s', size: 100, at: '10s', reassign: '{ partition: orders-0, replicas: [2, 3, 4] }', duration: '20s' }), 10 * SEC + 1 * MS);
    expect(move.partition('orders-0')).toMatchObject({ leader: 1, leaderEpoch: 1, adding: [4] });
    move.runUntil(20 * SEC);
    // B3 moves the leader off broker 1 (+1), B4 takes broker 1, in sync, out of the ISR (+1): 3, where KRaft says 1
    expect(move.partition('orders-0')).toMatchObject({ leader: 2, leaderEpoch: 3, replicas: [2, 3, 4], isr: [2, 3, 4] });
    const shrink = run(zk({ rate: '100/s', size: 100, at: '5s', reassign: '{ partition: orders-0, replicas: [2, 1] }', duration: '6s' }), 6 * SEC);
    expect(shrink.partition('orders-0')).toMatchObject({ leader: 1, leaderEpoch: 2, replicas: [2, 1] });
    // the removed replicas in their original order (ReplicaAssignment.reassignTo), where KRaft sorts them
    const from321 = (text: string) => text.replace('replicas: [[1, 2, 3]]', 'replicas: [[3, 2, 1]]');
    const zkOrder = run(from321(zk({ rate: '100/s', size: 100, at: '5s', reassign: '{ partition: orders-0, replicas: [4, 1] }', duration: '6s' })), 5 * SEC + 1 * MS);
    expect(zkOrder.partition('orders-0')).toMatchObject({ replicas: [4, 1, 3, 2], adding: [4], removing: [3, 2] });
    const kraftOrder = run(from321(scenario({ rate: '100/s', size: 100, at: '5s', reassign: '{ partition: orders-0, replicas: [4, 1] }', duration: '6s' })), 5 * SEC + 1 * MS);
    expect(kraftOrder.partition('orders-0')).toMatchObject({ replicas: [4, 1, 2, 3], adding: [4], removing: [2, 3] });
    const reorder = run(zk({ rate: '100/s', size: 100, at: '5s', reassign: '{ partition: orders-0, replicas: [3, 2, 1] }', duration: '6s' }), 6 * SEC);
    expect(reorder.partition('orders-0')).toMatchObject({ leader: 1, leaderEpoch: 1, replicas: [3, 2, 1] });
    expect(move.ledgerSummary().lost).toBe(0);
  });

  it('an ISR shrink during a reassignment bumps the leader epoch where any shrink does: KRaft before 3.6 (KAFKA-15021)', () => {
    // a copy throttled below the produce rate keeps the reassignment in progress while broker 3 dies and is fenced (~9 s later)
    const text = (v: string) => scenario({ rate: '1000/s', size: 1000, at: '5s', reassign: '{ partition: orders-0, replicas: [1, 2, 3, 4], throttle: 100000 }', duration: '30s' })
      .replace('cluster: { brokers: 4 }', `cluster: { brokers: 4, controller: kraft, kafka.version: "${v}" }`)
      + '  - { at: 6s, crash: 3 }\n';
    for (const [v, epoch] of [['3.5', 1], ['3.6', 0]] as const) {
      const sim = run(text(v), 30 * SEC);
      expect(sim.partition('orders-0')).toMatchObject({ leader: 1, isr: [1, 2], adding: [4], leaderEpoch: epoch });
    }
  });

  it('a throttled copy of a big partition is an under-replication window of about size / (throttle − produce rate)', () => {
    // 1000 records/s of 1000 bytes: P = 1 MB/s; at 60 s the partition holds S ≈ 60 MB. Throttle T = 3 MB/s.
    // Kafka's Rate counts at least (window.num − 1) = 10 windows of 1 s, so at most 10·T passes at once
    // and, over any stretch, at most T per second plus what the 11 retained samples hold (≤ 12·T) and one
    // fetch of replica.fetch.max.bytes (1 MB) beyond. The new replica needs S + P·W bytes by the end of
    // the window W, so (S − 12·T − 1 MB) / (T − P) ≤ W ≤ S / (T − P) + 12 s.
    const P = 1e6, T = 3e6;
    const sim = run(scenario({ rate: '1000/s', size: 1000, at: '60s', reassign: `{ partition: orders-0, replicas: [1, 2, 3, 4], throttle: ${T} }`, duration: '150s' }), 150 * SEC);
    const S = 60 * P;
    const started = ev(sim, 'reassignment-started')[0];
    const done = ev(sim, 'reassignment-completed')[0];
    expect(started.t).toBe(60 * SEC);
    const W = (done.t - started.t) / SEC;
    expect(W).toBeGreaterThanOrEqual((S - 12 * T - 1e6) / (T - P));
    expect(W).toBeLessThanOrEqual(S / (T - P) + 12);
    // the tool's --throttle: rates on the brokers involved, the moving replicas listed on the topic
    expect(sim.topics()[0].configs).toMatchObject({ 'follower.replication.throttled.replicas': '0:4', 'leader.replication.throttled.replicas': '0:1,0:2,0:3' });
    // broker 4 was out of the ISR the whole window
    const isr4 = ev(sim, 'partition-change').filter((e) => (e.isr as number[]).includes(4));
    expect(isr4[0].t).toBe(done.t);
  });

  it('the leader-side throttle alone (leader.replication.throttled.*) bounds the copy the same way', () => {
    // ReplicaManager.shouldLeaderThrottle: leader 1 withholds records from out-of-ISR followers of the
    // replicas listed for it while its measured rate exceeds the bound; same bounds as above
    const P = 1e6, T = 3e6;
    const text = scenario({ rate: '1000/s', size: 1000, at: '60s', reassign: '{ partition: orders-0, replicas: [1, 2, 3, 4] }', duration: '150s' })
      + `  - { at: 59s, alter-config: { topic: orders, set: { leader.replication.throttled.replicas: "0:1" } } }\n`
      + `  - { at: 59s, alter-config: { broker: 1, set: { leader.replication.throttled.rate: ${T} } } }\n`;
    const sim = run(text, 150 * SEC);
    const S = 60 * P;
    const done = ev(sim, 'reassignment-completed')[0];
    const W = (done.t - 60 * SEC) / SEC;
    expect(W).toBeGreaterThanOrEqual((S - 12 * T - 1e6) / (T - P));
    expect(W).toBeLessThanOrEqual(S / (T - P) + 12);
  });

  it('is not under-replicated while its ISR holds the replicas it keeps: the replicas being added do not count (Partition.isUnderReplicated)', () => {
    // [1, 2, 3] → [1, 2, 3, 4], throttled: for the whole window replicas are [1, 2, 3, 4] with 4 adding, so
    // the replication factor is 4 − 1 = 3 and the ISR [1, 2, 3] is complete
    const parsed = parseScenario(scenario({ rate: '1000/s', size: 1000, at: '40s', reassign: '{ partition: orders-0, replicas: [1, 2, 3, 4], throttle: 2000000 }', duration: '70s' }), 'urp.yaml');
    if (!parsed.ok) throw new Error('invalid');
    const { sim } = startScenario(parsed.scenario, parsed.spec, { metrics: true, keepTrace: true });
    sim.runUntil(70 * SEC);
    const started = 40 * SEC;
    const done = ev(sim, 'reassignment-completed')[0]?.t ?? 70 * SEC;
    const urp = sim.parts.metrics!.result().series.find((x) => x.name === 'UnderReplicatedPartitions')!;
    const during = urp.v.filter((_, i) => urp.t[i] > started && urp.t[i] < done);
    expect(during.length).toBeGreaterThan(0);
    expect(Math.max(...during)).toBe(0);
  });

  it('unthrottled, the same copy takes well under a second', () => {
    const sim = run(scenario({ rate: '1000/s', size: 1000, at: '60s', reassign: '{ partition: orders-0, replicas: [1, 2, 3, 4] }', duration: '70s' }), 70 * SEC);
    const done = ev(sim, 'reassignment-completed')[0];
    expect(done.t - 60 * SEC).toBeLessThan(1 * SEC);
  });

  it('refuses duplicate replicas and unknown brokers in the file', () => {
    const text = scenario({ rate: '10/s', size: 100, at: '5s', reassign: '{ partition: orders-0, replicas: [2, 2, 5] }', duration: '10s' });
    const r = parseScenario(text, 'r.yaml');
    expect(r.ok).toBe(false);
    const messages = r.ok ? '' : r.errors.map((e) => e.message).join('\n');
    expect(messages).toMatch(/broker 5 does not exist/);
  });
});

describe('the replication quota (Rate over sampled windows)', () => {
  it('lets (samples − 1) windows of the rate through at once, then about the rate', () => {
    const q = new ReplicationQuota(11, 1 * SEC);
    q.record(9e6, 0);
    expect(q.exceeded(0, 1e6)).toBe(false); // 9 MB over the assumed 10 s: 0.9 MB/s
    q.record(2e6, 0);
    expect(q.exceeded(0, 1e6)).toBe(true); // 11 MB / 10 s
    expect(q.exceeded(12 * SEC, 1e6)).toBe(false); // the sample aged out (11 windows)
  });
  it('reads partition:broker entries for this broker, or *', () => {
    expect(throttledPartitions('0:4,1:4,0:2', 4)).toEqual(new Set([0, 1]));
    expect(throttledPartitions(['*'], 7)).toBe('all');
    expect(throttledPartitions(undefined, 1)).toEqual(new Set());
  });
});
