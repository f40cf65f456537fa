// A hand-written trace of the classic unclean-election story (docs/scenarios.md, case (b)), in the viz's
// normalised vocabulary, so the pure parts are tested without the model.
import type { VizEvent } from '../../viz/lib/events.ts';
import type { Topology } from '../../viz/lib/view-state.ts';

export const topo: Topology = {
  brokers: [1, 2],
  controller: 'kraft',
  partitions: [{ name: 'orders-0', topic: 'orders', index: 0, replicas: [1, 2] }],
  producers: [{ id: 'checkout', topic: 'orders', acks: 'all' }],
  consumers: [{ id: 'billing-1', group: 'billing' }],
  durationUs: 60_000_000,
};

const s = 1_000_000;
export const story: VizEvent[] = [
  { tUs: 0, type: 'leader', partition: 'orders-0', leader: 1, epoch: 0, isr: [1, 2], clean: true },
  { tUs: 10_000, type: 'metadata', client: 'checkout', leaders: { 'orders-0': { leader: 1, epoch: 0 } } },
  { tUs: 20_000, type: 'append', partition: 'orders-0', broker: 1, from: 0, to: 1, epoch: 0 },
  { tUs: 21_000, type: 'append', partition: 'orders-0', broker: 2, from: 0, to: 1, epoch: 0 },
  { tUs: 22_000, type: 'hw', partition: 'orders-0', broker: 1, hw: 1 },
  { tUs: 22_000, type: 'acked', producer: 'checkout', partition: 'orders-0', from: 0, to: 1, broker: 1 },
  { tUs: 1 * s, type: 'note', text: 'Broker 2 shuts down.' },
  { tUs: 1 * s, type: 'broker', broker: 2, change: 'shutdown' },
  { tUs: 1 * s + 5000, type: 'isr', partition: 'orders-0', isr: [1], change: 'shrink' },
  { tUs: 2 * s, type: 'append', partition: 'orders-0', broker: 1, from: 1, to: 2, epoch: 0 },
  { tUs: 2 * s + 1000, type: 'hw', partition: 'orders-0', broker: 1, hw: 2 },
  { tUs: 2 * s + 1000, type: 'acked', producer: 'checkout', partition: 'orders-0', from: 1, to: 2, broker: 1 },
  { tUs: 3 * s, type: 'broker', broker: 1, change: 'shutdown' },
  { tUs: 3 * s + 5000, type: 'leader', partition: 'orders-0', leader: null, epoch: 0, clean: true },
  { tUs: 4 * s, type: 'broker', broker: 2, change: 'restarted' },
  { tUs: 5 * s, type: 'leader', partition: 'orders-0', leader: 2, epoch: 1, isr: [2], clean: false },
  { tUs: 6 * s, type: 'append', partition: 'orders-0', broker: 2, from: 1, to: 2, epoch: 1 },
  { tUs: 7 * s, type: 'broker', broker: 1, change: 'restarted' },
  { tUs: 8 * s, type: 'truncate', partition: 'orders-0', broker: 1, from: 2, to: 1, records: 1, reason: 'diverging epoch' },
  { tUs: 8 * s + 1000, type: 'append', partition: 'orders-0', broker: 1, from: 1, to: 2, epoch: 1 },
  { tUs: 9 * s, type: 'net', change: { kind: 'cut', from: '1', to: '2' } },
  { tUs: 10 * s, type: 'net', change: { kind: 'heal', node: 'all' } },
];
