// The worked data-loss cases (docs/scenarios.md), driven by the test client: (a) acks=1 and a leader
// that dies before replicating; (b) unclean election of a lagging replica, enabled and disabled;
// (c) RF 3, min ISR 2, acks=all: no acknowledged record is lost.
import { describe, it, expect } from 'vitest';
import { SEC, MS } from '../../sim/engine/index.ts';
import { build, events, logOf, runUntilTrue } from './support/sim.ts';
import { topic } from './support/cluster.ts';

describe('case (a) acks=1, the leader crashes before replication', () => {
  it('loses the acknowledged batch; the new leader reuses the offsets; the old leader truncates on return', () => {
    const { sim, client } = build();
    client.produce(1, 'orders-0', { count: 100 });
    sim.runUntil(2 * SEC);
    expect(sim.partition('orders-0')!.brokers.map((b) => [b.logEndOffset, b.highWatermark])).toEqual([[100, 100], [100, 100], [100, 100]]);

    const acked = client.produce(1, 'orders-0', { count: 5, acks: 1 });
    runUntilTrue(sim, () => logOf(sim, 1, 'orders-0').leo === 105, 3 * SEC);
    // broker 1 appended and answered; the fetch responses to its followers are lost with it
    sim.network.cut(1, 2);
    sim.network.cut(1, 3);
    sim.broker(1).crash('crash');
    sim.runUntil(sim.now + 10 * MS);
    sim.network.heal('all');
    expect(acked.error).toBe('NONE');
    expect(acked.baseOffset).toBe(100);

    runUntilTrue(sim, () => sim.partition('orders-0')!.leader === 2, 20 * SEC);
    expect(sim.partition('orders-0')).toMatchObject({ leader: 2, leaderEpoch: 1, isr: [2, 3] });
    // broker 2 learns it leads one metadata round trip after the controller decided
    sim.runUntil(sim.now + 10 * MS);
    const epochs = sim.broker(2).disk.get(0)!.epochCache.entries();
    expect(epochs.at(-1)).toEqual([1, 100]);
    const next = client.produce(2, 'orders-0', { count: 3 });
    sim.runUntil(sim.now + 100 * MS);
    expect(next.baseOffset).toBe(100);

    sim.broker(1).restart();
    runUntilTrue(sim, () => sim.partition('orders-0')!.isr.includes(1), sim.now + 30 * SEC);
    const t = events(sim, 'truncated', { broker: 1 });
    expect(t).toHaveLength(1);
    expect(t[0]).toMatchObject({ from: 105, to: 100, records: 5, reason: 'diverging-epoch' });
    expect(logOf(sim, 1, 'orders-0').epochs.slice(100)).toEqual([1, 1, 1]);

    const summary = sim.ledgerSummary();
    expect(summary).toMatchObject({ acked: 108, lost: 5, duplicates: 0, unavailable: 0 });
    const lost = sim.lostRecords();
    expect(lost.map((r) => r.ack.offset)).toEqual([100, 101, 102, 103, 104]);
    expect(lost[0].text).toMatch(/^acked by leader 1 at offset 100 with acks=1 at .*; broker 1 crashed at .*; broker 2 elected at .*, epoch 1 without the record; broker 1 truncated offsets 100–104 at .* \(diverging-epoch\)$/);
  });

  it('variant: when a follower fetched the batch before the crash nothing is lost', () => {
    const { sim, client } = build();
    sim.runUntil(1 * SEC);
    client.produce(1, 'orders-0', { count: 5, acks: 1 });
    sim.runUntil(sim.now + 3 * MS);
    sim.broker(1).crash('crash');
    runUntilTrue(sim, () => sim.partition('orders-0')!.leader === 2, 20 * SEC);
    sim.runUntil(sim.now + 1 * SEC);
    expect(sim.ledgerSummary()).toMatchObject({ acked: 5, lost: 0 });
  });
});

function scenarioB(unclean: boolean) {
  const { sim, client } = build({
    brokers: [1, 2],
    brokerConfig: { 'unclean.leader.election.enable': unclean },
    topics: [topic('orders', [[1, 2]])],
  });
  const first = client.produce(1, 'orders-0');
  sim.runUntil(1 * SEC);
  sim.broker(2).shutdown();
  sim.runUntil(3 * SEC);
  expect(sim.partition('orders-0')!.isr).toEqual([1]);
  const second = client.produce(1, 'orders-0');
  sim.runUntil(4 * SEC);
  sim.broker(1).shutdown();
  sim.runUntil(6 * SEC);
  expect(sim.partition('orders-0')).toMatchObject({ leader: null, isr: [1] });
  sim.broker(2).restart();
  sim.runUntil(10 * SEC);
  return { sim, client, first, second };
}

describe('case (b) unclean election with a lagging replica', () => {
  it('enabled: broker 2 is elected uncleanly, "second" is lost, broker 1 truncates it on return', () => {
    const { sim, client, first, second } = scenarioB(true);
    expect(first.error).toBe('NONE');
    expect(second.error).toBe('NONE');
    // KIP-704: the unclean election leaves the partition RECOVERING in the controller's metadata; the new
    // leader marks itself RECOVERED locally (Partition.makeLeader) and the controller learns it with
    // the leader's next AlterPartition, here the ISR expansion when broker 1 is back: no change before
    const electedEpoch = sim.partition('orders-0')!.partitionEpoch;
    expect(sim.partition('orders-0')).toMatchObject({ leader: 2, isr: [2], leaderRecoveryState: 'RECOVERING' });
    expect(events(sim, 'unclean-election')).toHaveLength(1);
    expect(events(sim, 'leader-elected').at(-1)).toMatchObject({ leader: 2, clean: false });
    const third = client.produce(2, 'orders-0');
    sim.runUntil(11 * SEC);
    expect(third.baseOffset).toBe(1);
    expect(sim.ledgerSummary()).toMatchObject({ acked: 3, lost: 1 });
    expect(sim.lostRecords()[0].text).toMatch(/broker 2 elected uncleanly/);

    sim.broker(1).restart();
    runUntilTrue(sim, () => sim.partition('orders-0')!.isr.includes(1), 40 * SEC);
    expect(sim.partition('orders-0')).toMatchObject({ isr: [2, 1], leaderRecoveryState: 'RECOVERED', partitionEpoch: electedEpoch + 1 });
    expect(events(sim, 'truncated', { broker: 1 })[0]).toMatchObject({ from: 2, to: 1, reason: 'diverging-epoch' });
    expect(logOf(sim, 1, 'orders-0')).toEqual(logOf(sim, 2, 'orders-0'));
  });

  it('disabled: the partition stays leaderless until broker 1 returns; then nothing is lost', () => {
    const { sim, client } = scenarioB(false);
    expect(sim.partition('orders-0')).toMatchObject({ leader: null, isr: [1] });
    const refused = client.produce(2, 'orders-0');
    sim.runUntil(11 * SEC);
    expect(refused.error).toBe('NOT_LEADER_OR_FOLLOWER');
    expect(sim.ledgerSummary()).toMatchObject({ acked: 2, lost: 0, unavailable: 2 });

    sim.broker(1).restart();
    runUntilTrue(sim, () => sim.partition('orders-0')!.leader === 1, 30 * SEC);
    expect(events(sim, 'leader-elected').at(-1)).toMatchObject({ leader: 1, clean: true });
    sim.runUntil(sim.now + 10 * MS);
    const third = client.produce(1, 'orders-0');
    runUntilTrue(sim, () => third.done && sim.partition('orders-0')!.isr.length === 2, 60 * SEC);
    sim.broker(1).shutdown();
    runUntilTrue(sim, () => sim.partition('orders-0')!.leader === 2, 90 * SEC);
    sim.runUntil(sim.now + 1 * SEC);
    expect(third.error).toBe('NONE');
    expect(sim.ledgerSummary()).toMatchObject({ acked: 3, lost: 0, unavailable: 0 });
    expect(logOf(sim, 2, 'orders-0').leo).toBe(3);
  });
});

describe('case (c) RF=3, min.insync.replicas=2, acks=all: no loss', () => {
  it('acked records survive the leader\'s death; NOT_ENOUGH_REPLICAS while the ISR is short', () => {
    const { sim, client } = build({ topics: [topic('orders', [[1, 2, 3]], { 'min.insync.replicas': 2 })] });
    sim.runUntil(1 * SEC);
    sim.broker(3).crash('crash');
    runUntilTrue(sim, () => sim.partition('orders-0')!.isr.length === 2, 20 * SEC);
    const handles = [];
    for (let i = 0; i < 100; i++) {
      handles.push(client.produce(1, 'orders-0'));
      sim.runUntil(sim.now + 1 * MS);
    }
    // leader 1 dies with some batches appended but not all acknowledged
    sim.broker(1).crash('crash');
    runUntilTrue(sim, () => sim.partition('orders-0')!.leader === 2, sim.now + 20 * SEC);
    expect(sim.partition('orders-0')).toMatchObject({ leader: 2, isr: [2] });
    sim.runUntil(sim.now + 10 * MS);
    const acked = handles.filter((h) => h.error === 'NONE').length;
    expect(acked).toBeGreaterThan(90);
    expect(sim.ledgerSummary()).toMatchObject({ acked, lost: 0 });

    const refused = client.produce(2, 'orders-0', { acks: -1 });
    const accepted = client.produce(2, 'orders-0', { acks: 1 });
    sim.runUntil(sim.now + 100 * MS);
    expect(refused.error).toBe('NOT_ENOUGH_REPLICAS');
    expect(accepted.error).toBe('NONE');
    const hw = sim.partition('orders-0')!.highWatermark!;
    expect(hw).toBeLessThan(logOf(sim, 2, 'orders-0').leo);

    sim.broker(1).restart();
    runUntilTrue(sim, () => sim.partition('orders-0')!.isr.length === 2, sim.now + 30 * SEC);
    sim.runUntil(sim.now + 1 * SEC);
    expect(sim.partition('orders-0')!.highWatermark).toBe(logOf(sim, 2, 'orders-0').leo);
    expect(sim.ledgerSummary()).toMatchObject({ lost: 0 });
  });
});
