// The page's side of retention and racks: a `log-start-advanced` line moves a replica's log start
// in the view, the offsets below it show as deleted, a follower that started its log again holds
// nothing below it, and the ledger line's retention counts reach the view.
import { describe, it, expect } from 'vitest';
import { normalizeTrace } from '../../viz/run/normalize.ts';
import { cellInfo, LostIndex } from '../../viz/views/partitions.ts';
import { applyEvent, initialState } from '../../viz/lib/view-state.ts';
import { topo } from './fixtures.ts';
import { logLine } from '../../viz/views/prose.ts';

const T = { ...topo, brokers: [1, 2, 3], partitions: [{ name: 'orders-0', topic: 'orders', index: 0, replicas: [1, 2, 3] }] };

describe('the log start on the page', () => {
  it('retention moves the log start; the deleted prefix is drawn as deleted, the rest as before', () => {
    const { events } = normalizeTrace([
      { t: 0, type: 'partition-change', partition: 'orders-0', leader: 1, epoch: 0, partitionEpoch: 0, isr: [1, 2, 3], replicas: [1, 2, 3] },
      { t: 1, type: 'append', broker: 1, partition: 'orders-0', offset: 0, n: 10, epoch: 0, producerId: 0, sequence: 0 },
      { t: 2, type: 'hw-advanced', broker: 1, partition: 'orders-0', hw: 10 },
      { t: 3, type: 'log-start-advanced', broker: 1, partition: 'orders-0', from: 0, to: 4, records: 4, segments: 2, reason: 'retention-ms' },
      { t: 4, type: 'ledger', produced: 10, acked: 10, lost: 0, unavailable: 0, duplicates: 0, deleted: 4 },
    ]);
    expect(events.find((e) => e.type === 'log-start')).toMatchObject({ broker: 1, from: 0, to: 4, segments: 2, reason: 'retention-ms' });
    const s = initialState(T);
    for (const e of events) applyEvent(s, e);
    const p = s.partitions['orders-0'];
    expect(p.logs[1]).toMatchObject({ logStart: 4, leo: 10, hw: 10 });
    const none = new LostIndex([]);
    expect(cellInfo(p, p.logs[1], 3, none, 5).state).toBe('deleted');
    expect(cellInfo(p, p.logs[1], 4, none, 5).state).toBe('committed');
    expect(s.counts.ledger).toMatchObject({ lost: 0, deleted: 4 });
  });

  it('a follower whose log ended below the leader\'s start begins again there, empty', () => {
    const { events } = normalizeTrace([
      { t: 0, type: 'partition-change', partition: 'orders-0', leader: 1, epoch: 0, partitionEpoch: 0, isr: [1, 2, 3], replicas: [1, 2, 3] },
      { t: 1, type: 'append', broker: 3, partition: 'orders-0', offset: 0, n: 5, epoch: 0, producerId: 0, sequence: 0 },
      { t: 2, type: 'log-start-advanced', broker: 3, partition: 'orders-0', from: 0, to: 500, records: 5, segments: 0, reason: 'out-of-range' },
    ]);
    const s = initialState(T);
    for (const e of events) applyEvent(s, e);
    expect(s.partitions['orders-0'].logs[3]).toMatchObject({ logStart: 500, leo: 500, hw: 500, segments: [] });
  });
});

describe('the event log', () => {
  it('tells a retention deletion, a follower taking its leader\'s start quietly, and a consumer sent to its rack\'s replica', () => {
    const { events } = normalizeTrace([
      { t: 1, type: 'log-start-advanced', broker: 1, partition: 'orders-0', from: 0, to: 202, records: 202, segments: 2, reason: 'retention-ms' },
      { t: 2, type: 'preferred-read-replica', client: 'billing', group: 'billing', partition: 'orders-0', broker: 2 },
      { t: 3, type: 'preferred-read-replica', client: 'billing', group: 'billing', partition: 'orders-0', broker: null },
      { t: 4, type: 'rack-fault', action: 'power-loss', rack: 'a', brokers: [1, 2] },
    ]);
    expect(events.map((e) => logLine(e))).toEqual([
      'orders-0: retention.ms deletes 2 segments on broker 1: log start 0 → 202 (202 records)',
      'billing fetches orders-0 from broker 2, a replica in its rack (KIP-392)',
      'billing fetches orders-0 from its leader again',
      'rack a: power lost (brokers 1, 2)',
    ]);
  });
});
