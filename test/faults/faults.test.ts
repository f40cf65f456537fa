// The fault vocabulary as timeline actions: power loss against a process crash (the page-cache
// model and log.flush.*), disk loss, pause and resume, one-way cuts, slow links, partitions, and the
// operator's alter-config, elect-leaders and add-partitions.
import { describe, it, expect } from 'vitest';
import { SEC, MS } from '../../sim/engine/index.ts';
import type { Action, TimelineStep } from '../../sim/kafka/index.ts';
import { build, events, logOf, runUntilTrue } from '../kafka/support/sim.ts';
import { topic } from '../kafka/support/cluster.ts';
import { LoadClient } from '../kafka/support/test-client.ts';

const at = (atUs: number, action: Action, note?: string): TimelineStep => ({ atUs, action, note });

describe('power loss and the page cache', () => {
  const setup = (kind: 'crash' | 'power-loss', brokerConfig = {}) => {
    const { sim, client } = build({
      brokerConfig,
      timeline: [at(2 * SEC, { type: kind === 'crash' ? 'crash' : 'power-loss', ...(kind === 'crash' ? { nodes: [1, 2, 3] } : { brokers: [1, 2, 3] }) } as Action), at(20 * SEC, { type: 'restart', nodes: [1, 2, 3] })],
    });
    client.produce(1, 'orders-0', { count: 10 });
    sim.runUntil(60 * SEC);
    return sim;
  };

  it('power loss of every replica loses what was only in the page cache', () => {
    const sim = setup('power-loss');
    expect(events(sim, 'truncated').map((e) => e.reason)).toEqual(['power-loss', 'power-loss', 'power-loss']);
    expect(sim.partition('orders-0')!.leader).not.toBeNull();
    expect(sim.ledgerSummary()).toMatchObject({ acked: 10, lost: 10 });
    expect(sim.lostRecords()[0].text).toMatch(/lost power/);
  });

  it('a process crash of every replica loses nothing: the OS keeps the page cache', () => {
    const sim = setup('crash');
    expect(events(sim, 'truncated')).toHaveLength(0);
    expect(sim.ledgerSummary()).toMatchObject({ acked: 10, lost: 0 });
  });

  it('log.flush.interval.messages=1 fsyncs every append, so power loss loses nothing', () => {
    const sim = setup('power-loss', { 'log.flush.interval.messages': 1 });
    expect(sim.ledgerSummary()).toMatchObject({ acked: 10, lost: 0 });
  });

  it('flush.ms fsyncs only when the flusher runs (log.flush.scheduler.interval.ms, never by default)', () => {
    const loses = (brokerConfig: Record<string, number>) => {
      const { sim, client } = build({ brokerConfig, topics: [topic('orders', [[1, 2, 3]], { 'flush.ms': 1000 })] });
      client.produce(1, 'orders-0', { count: 10 });
      sim.runUntil(3 * SEC);
      for (const id of [1, 2, 3]) sim.broker(id).crash('power-loss');
      for (const id of [1, 2, 3]) sim.broker(id).restart();
      sim.runUntil(30 * SEC);
      return sim.ledgerSummary().lost;
    };
    expect(loses({})).toBe(10);
    expect(loses({ 'log.flush.scheduler.interval.ms': 500 })).toBe(0);
  });

  it('data older than the write-back delay is on disk', () => {
    const { sim, client } = build({ pageCacheWritebackUs: 1 * SEC });
    client.produce(1, 'orders-0', { count: 10 });
    sim.runUntil(3 * SEC);
    for (const id of [1, 2, 3]) sim.broker(id).crash('power-loss');
    sim.runUntil(4 * SEC);
    for (const id of [1, 2, 3]) sim.broker(id).restart();
    sim.runUntil(30 * SEC);
    expect(sim.ledgerSummary()).toMatchObject({ lost: 0 });
  });

  it('disk loss brings the broker back empty; it re-replicates everything from the leader', () => {
    const { sim, client } = build({ timeline: [at(5 * SEC, { type: 'disk-loss', brokers: [3] })] });
    client.produce(1, 'orders-0', { count: 50 });
    sim.runUntil(5 * SEC + 1);
    expect(logOf(sim, 3, 'orders-0').leo).toBe(0);
    runUntilTrue(sim, () => logOf(sim, 3, 'orders-0').leo === 50, 60 * SEC);
    expect(events(sim, 'broker-restarted', { broker: 3 })).toHaveLength(1);
  });
});

describe('pause', () => {
  it('a pause shorter than the session timeout changes nothing but delays the work', () => {
    const { sim, client } = build({ timeline: [at(1 * SEC, { type: 'pause', node: 1, forUs: 5 * SEC })] });
    sim.runUntil(2 * SEC);
    expect(sim.broker(1).status).toBe('paused');
    const h = client.produce(1, 'orders-0');
    sim.runUntil(5 * SEC);
    expect(h.done).toBe(false);
    sim.runUntil(6 * SEC + 10 * MS);
    expect(h.error).toBe('NONE');
    expect(sim.broker(1).status).toBe('running');
    expect(events(sim, 'broker-fenced')).toHaveLength(0);
    expect(sim.partition('orders-0')!.leader).toBe(1);
  });

  it('a pause longer than the session timeout: fenced, leadership moves, the broker follows on resume', () => {
    const { sim, client } = build({ timeline: [at(1 * SEC, { type: 'pause', node: 1, forUs: 15 * SEC })] });
    sim.runUntil(12 * SEC);
    expect(sim.partition('orders-0')!.leader).toBe(2);
    // a write queued at the paused broker: it still believes it leads when it resumes
    const zombie = client.produce(1, 'orders-0', { acks: 1 });
    sim.runUntil(16 * SEC + 2 * MS);
    expect(zombie.error).toBe('NONE');
    runUntilTrue(sim, () => sim.partition('orders-0')!.isr.includes(1), 30 * SEC);
    expect(events(sim, 'broker-unfenced', { broker: 1 })).toHaveLength(1);
    expect(events(sim, 'truncated', { broker: 1 })[0]).toMatchObject({ reason: 'diverging-epoch', records: 1 });
    expect(sim.ledgerSummary()).toMatchObject({ lost: 1 });
  });
});

describe('network faults from the timeline', () => {
  it('a one-way cut from a follower to its leader drops it from the ISR while the controller still sees it', () => {
    const { sim } = build({ timeline: [at(2 * SEC, { type: 'cut', from: 3, to: 1 })] });
    new LoadClient(sim, ['orders-0'], 20);
    sim.runUntil(60 * SEC);
    expect(sim.partition('orders-0')!.isr).toEqual([1, 2]);
    expect(sim.brokers().find((b) => b.id === 3)!.fenced).toBe(false);
    expect(events(sim, 'network-fault')[0]).toMatchObject({ action: 'cut', from: 3, to: 1 });
  });

  it('isolating the leader: nobody reaches it, it is fenced and replaced, and it loses nothing it acked', () => {
    const { sim } = build({ timeline: [at(5 * SEC, { type: 'isolate', node: 1 }), at(30 * SEC, { type: 'heal', node: 'all' })] });
    new LoadClient(sim, ['orders-0'], 50, { acks: 1 });
    sim.runUntil(60 * SEC);
    expect(sim.partition('orders-0')!.leader).toBe(2);
    expect(sim.ledgerSummary().lost).toBe(0);
  });

  it('a partition that keeps the client with the old leader: acks=1 writes to the zombie leader are lost', () => {
    const { sim } = build({
      timeline: [at(5 * SEC, { type: 'partition', groups: [[1, 'load'], [2, 3, 'controller']] }), at(30 * SEC, { type: 'heal', node: 'all' })],
    });
    new LoadClient(sim, ['orders-0'], 50, { acks: 1 });
    sim.runUntil(60 * SEC);
    expect(sim.partition('orders-0')!.leader).toBe(2);
    const lost = sim.ledgerSummary().lost;
    expect(lost).toBeGreaterThan(900);
    expect(events(sim, 'truncated', { broker: 1 })[0]).toMatchObject({ reason: 'diverging-epoch' });
  });

  it('slow adds latency to a node\'s links', () => {
    const { sim, client } = build({ timeline: [at(1 * SEC, { type: 'slow', node: 1, latencyUs: 200 * MS })] });
    sim.runUntil(2 * SEC);
    const h = client.produce(1, 'orders-0', { acks: -1 });
    sim.runUntil(5 * SEC);
    // the request, two fetch round trips over slow links, and the response
    expect(h.doneAt! - h.sentAt).toBeGreaterThan(400 * MS);
  });
});

describe('operator actions', () => {
  it('ZooKeeper mode: alter-config enabling unclean election elects a leader for a leaderless partition at once', () => {
    // TopicConfigHandler → KafkaController.enableTopicUncleanLeaderElection; KRaft waits for its
    // periodic check instead (test/kafka/controller-tasks.test.ts)
    const { sim } = build({
      controller: 'zookeeper',
      brokers: [1, 2],
      topics: [topic('orders', [[1, 2]])],
      timeline: [
        at(1 * SEC, { type: 'crash', nodes: [2] }),
        at(15 * SEC, { type: 'crash', nodes: [1] }),
        at(30 * SEC, { type: 'restart', nodes: [2] }),
        at(50 * SEC, { type: 'alter-config', topic: 'orders', set: { 'unclean.leader.election.enable': true }, delete: [] }),
      ],
    });
    sim.runUntil(49 * SEC);
    expect(sim.partition('orders-0')!.leader).toBeNull();
    sim.runUntil(50 * SEC + 1 * MS);
    expect(sim.partition('orders-0')).toMatchObject({ leader: 2, isr: [2] });
    expect(events(sim, 'unclean-election')).toHaveLength(1);
    expect(sim.topics()[0].configs).toEqual({ 'unclean.leader.election.enable': true });
  });

  it('the periodic unclean election picks up a leaderless partition when the config allows it', () => {
    const { sim } = build({
      brokers: [1, 2],
      brokerConfig: { 'unclean.leader.election.enable': true, 'unclean.leader.election.interval.ms': 60000 },
      topics: [topic('orders', [[1, 2]])],
      timeline: [at(1 * SEC, { type: 'crash', nodes: [2] }), at(15 * SEC, { type: 'crash', nodes: [1] })],
    });
    sim.runUntil(30 * SEC);
    expect(sim.partition('orders-0')!.leader).toBeNull();
    // broker 2 back: unfencing already tries an (unclean) election
    sim.broker(2).restart();
    sim.runUntil(35 * SEC);
    expect(sim.partition('orders-0')!.leader).toBe(2);
  });

  it('elect-leaders unclean forces a leader; add-partitions grows a topic and refuses to shrink it', () => {
    const { sim } = build({
      brokers: [1, 2],
      topics: [topic('orders', [[1, 2]])],
      timeline: [
        at(1 * SEC, { type: 'crash', nodes: [2] }),
        at(15 * SEC, { type: 'crash', nodes: [1] }),
        at(30 * SEC, { type: 'restart', nodes: [2] }),
        at(40 * SEC, { type: 'elect-leaders', partitions: ['orders-0'], electionType: 'unclean' }),
        at(41 * SEC, { type: 'restart', nodes: [1] }),
        at(50 * SEC, { type: 'add-partitions', topic: 'orders', count: 3 }),
        at(51 * SEC, { type: 'add-partitions', topic: 'orders', count: 2 }),
      ],
    });
    sim.runUntil(40 * SEC + 1 * MS);
    expect(sim.partition('orders-0')).toMatchObject({ leader: 2 });
    sim.runUntil(55 * SEC);
    expect(sim.topics()[0].partitionCount).toBe(3);
    expect(sim.partition('orders-2')!.leader).not.toBeNull();
    expect(events(sim, 'admin-error')[0]).toMatchObject({ code: 'INVALID_PARTITIONS', topic: 'orders' });
  });

  it('notes are traced as captions', () => {
    const { sim } = build({ timeline: [{ atUs: 1 * SEC, note: 'nothing happens' }] });
    sim.runUntil(2 * SEC);
    expect(events(sim, 'note')[0]).toMatchObject({ t: 1 * SEC, text: 'nothing happens' });
  });
});
