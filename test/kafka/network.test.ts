// The simulated network: latency, FIFO per link, cuts in one or both directions, isolation,
// added latency, pause and crash as a sender sees them (no reply, never an error).
import { describe, it, expect } from 'vitest';
import { Scheduler, RandomStreams, TraceRecorder, MS } from '../../sim/engine/index.ts';
import { Network, type Envelope } from '../../sim/kafka/network.ts';

function net(minUs = 1 * MS, maxUs = minUs) {
  const scheduler = new Scheduler();
  const trace = new TraceRecorder();
  const network = new Network(scheduler, new RandomStreams(1), trace, { latency: { minUs, maxUs } });
  const inbox: Record<string, [number, string][]> = { a: [], b: [], c: [] };
  for (const n of ['a', 'b', 'c']) {
    network.attach(n, (m: Envelope) => inbox[n].push([scheduler.now, m.body.kind]));
  }
  return { scheduler, network, inbox, trace };
}

describe('network', () => {
  it('delivers after the link latency and traces the message with its delivery time', () => {
    const { scheduler, network, inbox, trace } = net(2 * MS);
    network.context('a').send('b', { kind: 'hello' });
    scheduler.runUntil(10 * MS);
    expect(inbox.b).toEqual([[2000, 'hello']]);
    expect(trace.events[0]).toMatchObject({ type: 'msg', k: 'hello', f: 'a', to: 'b', d: 2000 });
  });

  it('keeps each directed link FIFO even when latency is drawn per message', () => {
    const { scheduler, network, inbox } = net(1 * MS, 50 * MS);
    const a = network.context('a');
    for (let i = 0; i < 50; i++) a.send('b', { kind: `m${i}` });
    scheduler.runUntil(100 * MS);
    expect(inbox.b.map(([, k]) => k)).toEqual(Array.from({ length: 50 }, (_, i) => `m${i}`));
  });

  it('a one-way cut drops one direction only; heal restores it', () => {
    const { scheduler, network, inbox, trace } = net();
    network.cut('a', 'b');
    network.context('a').send('b', { kind: 'x' });
    network.context('b').send('a', { kind: 'y' });
    scheduler.runUntil(5 * MS);
    expect(inbox.b).toEqual([]);
    expect(inbox.a).toHaveLength(1);
    expect(trace.events.find((e) => e.type === 'msg-dropped')).toMatchObject({ why: 'cut', f: 'a', to: 'b' });
    network.heal('all');
    network.context('a').send('b', { kind: 'x' });
    scheduler.runUntil(10 * MS);
    expect(inbox.b).toHaveLength(1);
  });

  it('isolation and partitions cut links; messages in flight across a new cut are lost', () => {
    const { scheduler, network, inbox } = net(5 * MS);
    network.context('a').send('c', { kind: 'in-flight' });
    scheduler.runUntil(1 * MS);
    network.partition([['a', 'b'], ['c']]);
    network.context('a').send('b', { kind: 'same-side' });
    scheduler.runUntil(20 * MS);
    expect(inbox.c).toEqual([]);
    expect(inbox.b).toHaveLength(1);
    network.heal('c');
    network.isolate('b');
    network.context('a').send('b', { kind: 'z' });
    network.context('a').send('c', { kind: 'z' });
    scheduler.runUntil(40 * MS);
    expect(inbox.b).toHaveLength(1);
    expect(inbox.c).toHaveLength(1);
  });

  it('adds latency per node and per link', () => {
    const { scheduler, network, inbox } = net(1 * MS);
    network.slowNode('b', 10 * MS);
    network.slowLink('a', 'c', 3 * MS);
    network.context('a').send('b', { kind: 'x' });
    network.context('a').send('c', { kind: 'y' });
    scheduler.runUntil(50 * MS);
    expect(inbox.b[0][0]).toBe(11 * MS);
    expect(inbox.c[0][0]).toBe(4 * MS);
  });

  it('a paused node queues messages and timers and runs them in order on resume', () => {
    const { scheduler, network, inbox } = net(1 * MS);
    const log: string[] = [];
    network.context('b').after(3 * MS, () => log.push(`timer@${scheduler.now}`));
    network.pause('b');
    network.context('a').send('b', { kind: 'x' });
    scheduler.runUntil(10 * MS);
    expect(inbox.b).toEqual([]);
    network.resume('b');
    expect(inbox.b).toEqual([[10 * MS, 'x']]);
    expect(log).toEqual([`timer@${10 * MS}`]);
  });

  it('a crashed node never answers; a reply to a restarted sender is dropped', () => {
    const { scheduler, network, inbox } = net(1 * MS);
    const b = network.context('b');
    network.down('a');
    network.context('c').send('a', { kind: 'lost' });
    scheduler.runUntil(5 * MS);
    network.up('a');
    expect(inbox.a).toEqual([]);
    // a request from the new incarnation, answered after a restart of the requester
    let req: Envelope | undefined;
    network.attach('d', (m) => { req = m; });
    network.context('a').send('d', { kind: 'req' });
    scheduler.runUntil(7 * MS);
    network.down('a');
    network.up('a');
    network.context('d').reply(req as Envelope, { kind: 'resp' });
    scheduler.runUntil(10 * MS);
    expect(inbox.a).toEqual([]);
    expect(b.name).toBe('b');
  });
});
