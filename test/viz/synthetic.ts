// A synthetic run for exercising the views without the model: three brokers, one partition, a
// producer at 20 records/s with acks=1, followers fetching every 50 ms, the leader crashing at 10 s
// with two acked records unreplicated, an unclean election, and the old leader truncating on return.
// Only the shapes matter here; the real runs come from the simulator.
import type { VizEvent } from '../../viz/lib/events.ts';
import type { Flight } from '../../viz/lib/in-flight.ts';
import type { RunData } from '../../viz/lib/run-data.ts';

export function syntheticRun(partitions = 1, brokers = [1, 2, 3]): RunData {
  const ev: VizEvent[] = [];
  const flights: Flight[] = [];
  const s = 1_000_000;
  const names = Array.from({ length: partitions }, (_, i) => `orders-${i}`);
  const replicas = (i: number) => [0, 1, 2].map((k) => brokers[(i + k) % brokers.length]);
  for (const [i, p] of names.entries()) ev.push({ tUs: 0, type: 'leader', partition: p, leader: replicas(i)[0], epoch: 0, isr: replicas(i), clean: true });
  ev.push({ tUs: 0, type: 'metadata', client: 'checkout', leaders: Object.fromEntries(names.map((p, i) => [p, { leader: replicas(i)[0], epoch: 0 }])) });
  ev.push({ tUs: 1 * s, type: 'note', text: 'Three replicas in sync; the producer is acknowledged as soon as the leader has written.' });
  const leo = new Map<string, number>();
  let seq = 0;
  const step = partitions > 12 ? 1_000_000 : 50_000;
  for (let t = step; t < 10 * s + 20_000; t += step) {
    for (const [i, p] of names.entries()) {
      const [l, f1, f2] = replicas(i);
      const o = leo.get(p) ?? 0;
      flights.push({ from: 'checkout', to: String(l), sentUs: t - 1000, deliverUs: t, kind: 'produce', index: flights.length });
      ev.push({ tUs: t, type: 'append', partition: p, broker: l, from: o, to: o + 1, epoch: 0 });
      ev.push({ tUs: t + 1, type: 'acked', producer: 'checkout', partition: p, from: o, to: o + 1, broker: l, epoch: 0 });
      flights.push({ from: String(l), to: 'checkout', sentUs: t, deliverUs: t + 1000, kind: 'produce-response', index: flights.length });
      if (t < 10 * s - 30_000) {
        for (const f of [f1, f2]) {
          flights.push({ from: String(f), to: String(l), sentUs: t + 1000, deliverUs: t + 2000, kind: 'fetch', index: flights.length });
          flights.push({ from: String(l), to: String(f), sentUs: t + 2000, deliverUs: t + 3000, kind: 'fetch-response', index: flights.length });
          ev.push({ tUs: t + 3000, type: 'append', partition: p, broker: f, from: o, to: o + 1, epoch: 0 });
        }
        ev.push({ tUs: t + 4000, type: 'hw', partition: p, broker: l, hw: o + 1 });
      }
      leo.set(p, o + 1);
      seq++;
    }
  }
  ev.push({ tUs: 10 * s + 30_000, type: 'note', text: 'The leader dies. Records it acknowledged but had not replicated exist nowhere else.' });
  ev.push({ tUs: 10 * s + 30_000, type: 'broker', broker: brokers[0], change: 'crashed' });
  ev.push({ tUs: 14 * s, type: 'net', change: { kind: 'cut', from: String(brokers[2]), to: String(brokers[1]) } });
  ev.push({ tUs: 15 * s, type: 'net', change: { kind: 'slow', node: String(brokers[2]), latencyUs: 200_000 } });
  ev.push({ tUs: 19 * s, type: 'broker', broker: brokers[0], change: 'fenced' });
  for (const [i, p] of names.entries()) {
    const [l, f1, f2] = replicas(i);
    if (l !== brokers[0]) continue;
    ev.push({ tUs: 19 * s + 10_000, type: 'leader', partition: p, leader: f1, epoch: 1, isr: [f1, f2], clean: true });
    ev.push({ tUs: 19 * s + 20_000, type: 'hw', partition: p, broker: f1, hw: (leo.get(p) ?? 0) - 2 });
  }
  ev.push({ tUs: 20 * s, type: 'produce-failed', producer: 'checkout', partition: 'orders-0', code: 'NOT_LEADER_OR_FOLLOWER', records: 3 });
  ev.push({ tUs: 21 * s, type: 'metadata', client: 'checkout', leaders: Object.fromEntries(names.map((p, i) => [p, { leader: replicas(i)[0] === brokers[0] ? replicas(i)[1] : replicas(i)[0], epoch: replicas(i)[0] === brokers[0] ? 1 : 0 }])) });
  ev.push({ tUs: 24 * s, type: 'net', change: { kind: 'heal', node: 'all' } });
  ev.push({ tUs: 25 * s, type: 'broker', broker: brokers[0], change: 'restarted' });
  ev.push({ tUs: 26 * s, type: 'broker', broker: brokers[0], change: 'unfenced' });
  const lost: RunData['lost'] = [];
  for (const [i, p] of names.entries()) {
    const [l] = replicas(i);
    if (l !== brokers[0]) continue;
    const end = leo.get(p) ?? 0;
    ev.push({ tUs: 26 * s + 100_000, type: 'truncate', partition: p, broker: l, from: end, to: end - 2, records: 2, reason: 'diverging-epoch' });
    for (const o of [end - 2, end - 1])
      lost.push({
        producer: 'checkout', sequence: o, partition: p, offset: o, epoch: 0, ackedUs: 10 * s, ackedBy: l, lostUs: 19 * s + 10_000,
        story: [
          { tUs: 10 * s, text: `acked by leader ${l} with acks=1`, broker: l },
          { tUs: 10 * s + 30_000, text: `broker ${l} crashed before followers fetched it`, broker: l },
          { tUs: 19 * s + 10_000, text: `broker ${replicas(i)[1]} elected leader, epoch 1, without it`, broker: replicas(i)[1] },
          { tUs: 26 * s + 100_000, text: `broker ${l} truncated offsets ${end - 2}–${end - 1}`, broker: l },
        ],
      });
  }
  ev.sort((a, b) => a.tUs - b.tUs);
  return {
    name: 'synthetic', title: 'Synthetic', description: '', seed: 1, kafkaVersion: '4.0', durationUs: 40 * s, traceHash: '0'.repeat(64), traceEvents: ev.length,
    scenarioText: 'name: synthetic', scenarioFile: 'synthetic.yaml', lessonMetrics: [], processing: [],
    topology: {
      brokers, controller: 'kraft',
      partitions: names.map((p, i) => ({ name: p, topic: 'orders', index: i, replicas: replicas(i) })),
      producers: [{ id: 'checkout', topic: 'orders', acks: '1' }], consumers: [], durationUs: 40 * s,
    },
    events: ev, flights, flightsSampled: false, lost,
    final: { produced: seq, acked: seq, lost: lost.length, unavailable: 0, duplicates: 0 },
    fingerprints: new Uint32Array(0), rawTimes: new Float64Array(0), wallMs: 1,
  };
}
