// The simulated network: latency, FIFO per link, cuts in one or both directions, isolation,
// added latency, pause and crash as a sender sees them, and what a peer hears when a process dies:
// a reset of its open connections and refusals of new ones while the machine runs, silence after a
// power loss, a pause or across a cut.
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

  it('a one-way cut stops one direction only; TCP retransmits what it swallowed once the link heals', () => {
    const { scheduler, network, inbox, trace } = net();
    network.cut('a', 'b');
    network.context('a').send('b', { kind: 'x' });
    network.context('b').send('a', { kind: 'y' });
    scheduler.runUntil(5 * MS);
    expect(inbox.b).toEqual([]);
    expect(inbox.a).toHaveLength(1);
    expect(trace.events.find((e) => e.type === 'msg-held')).toMatchObject({ k: 'x', f: 'a', to: 'b', s: 0 });
    expect(trace.events.some((e) => e.type === 'msg-dropped')).toBe(false);
    scheduler.runUntil(1000 * MS);
    network.heal('all');
    // sent behind the swallowed one on the same connection: it waits for the retransmission, in order
    network.context('a').send('b', { kind: 'x2' });
    scheduler.runUntil(2000 * MS);
    // retransmissions of a segment first sent at 0: after 200 ms (TCP_RTO_MIN), then doubling: at
    // 200, 600 and 1400 ms; the first after the heal at 1 s is at 1400 ms, delivered 1 ms later
    expect(inbox.b).toEqual([[1401 * MS, 'x'], [1401 * MS, 'x2']]);
    expect(trace.events.filter((e) => e.type === 'msg' && e.f === 'a' && e.to === 'b')).toEqual([
      { t: 1400 * MS, type: 'msg', k: 'x', f: 'a', to: 'b', d: 1401 * MS },
      { t: 1400 * MS, type: 'msg', k: 'x2', f: 'a', to: 'b', d: 1401 * MS },
    ]);
  });

  it('TCP gives up after tcp_retries2 = 15 retransmissions: a cut that never heals drops the message at 924.6 s', () => {
    const { scheduler, network, inbox, trace } = net();
    network.cut('a', 'b');
    network.context('a').send('b', { kind: 'x' });
    // Σ min(200 ms · 2^i, 120 s) for i = 0..15: 0.2 + 0.4 + … + 102.4 (204.6 s) + 6 × 120 s = 924.6 s
    scheduler.runUntil(924_599 * MS);
    expect(trace.events.some((e) => e.type === 'msg-dropped')).toBe(false);
    scheduler.runUntil(925_000 * MS);
    expect(trace.events.filter((e) => e.type === 'msg-dropped')).toEqual([{ t: 924_600 * MS, type: 'msg-dropped', k: 'x', f: 'a', to: 'b', s: 0, why: 'cut' }]);
    network.heal('all');
    scheduler.runUntil(2_000_000 * MS);
    expect(inbox.b).toEqual([]);
  });

  it('what a cut held dies with its sender: a crash before the retransmission resets the connection', () => {
    const { scheduler, network, inbox, trace } = net();
    network.cut('a', 'b');
    network.context('a').send('b', { kind: 'x' });
    scheduler.runUntil(100 * MS);
    network.down('a');
    network.heal('all');
    scheduler.runUntil(1000 * MS);
    expect(inbox.b).toEqual([]);
    expect(trace.events.find((e) => e.type === 'msg-dropped')).toMatchObject({ t: 200 * MS, k: 'x', why: 'connection-reset' });
  });

  it('isolation and partitions cut links; a message in flight across a new cut is retransmitted after the heal', () => {
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
    // the link a→c is healed, but 'z' waits behind 'in-flight', lost at 5 ms and retransmitted at
    // 200 ms (first sent at 0 + TCP_RTO_MIN), each delivered 5 ms later
    expect(inbox.c).toEqual([]);
    scheduler.runUntil(300 * MS);
    expect(inbox.c).toEqual([[205 * MS, 'in-flight'], [205 * MS, 'z']]);
    expect(inbox.b).toHaveLength(1);
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

describe('connections when a process dies (the OS resets them) or its machine does (silence)', () => {
  /** Every message a node got, with its time, kind and correlation id. */
  function netWithIds(latencyUs = 1 * MS) {
    const scheduler = new Scheduler();
    const trace = new TraceRecorder();
    const network = new Network(scheduler, new RandomStreams(1), trace, { latency: { minUs: latencyUs, maxUs: latencyUs } });
    const inbox: Record<string, [number, string, number | undefined][]> = { a: [], b: [], c: [], d: [] };
    for (const n of ['a', 'b', 'c', 'd']) network.attach(n, (m: Envelope) => inbox[n].push([scheduler.now, m.body.kind, m.body.correlationId]));
    return { scheduler, network, inbox, trace };
  }

  it('a crash resets every open connection: each peer gets a disconnect one latency later, after what the node sent before', () => {
    const { scheduler, network, inbox, trace } = netWithIds(2 * MS);
    network.context('b').send('a', { kind: 'req', correlationId: 1 });
    network.context('a').send('c', { kind: 'push' });
    scheduler.runUntil(5 * MS);
    network.context('a').send('b', { kind: 'late-answer' });
    network.down('a');
    scheduler.runUntil(20 * MS);
    expect(inbox.b).toEqual([[7 * MS, 'late-answer', undefined], [7 * MS, 'disconnect', undefined]]);
    expect(inbox.c).toEqual([[2 * MS, 'push', undefined], [7 * MS, 'disconnect', undefined]]);
    // d never talked to a: it hears nothing
    expect(inbox.d).toEqual([]);
    expect(trace.events.filter((e) => e.k === 'disconnect')).toEqual([
      { t: 5 * MS, type: 'msg', k: 'disconnect', f: 'a', to: 'b', d: 7 * MS },
      { t: 5 * MS, type: 'msg', k: 'disconnect', f: 'a', to: 'c', d: 7 * MS },
    ]);
  });

  it('a message sent to a crashed process is refused one round trip later; one sent before the crash is covered by the reset', () => {
    const { scheduler, network, inbox, trace } = netWithIds(2 * MS);
    network.down('a');
    network.context('d').send('a', { kind: 'req', correlationId: 7 });
    scheduler.runUntil(10 * MS);
    expect(inbox.d).toEqual([[4 * MS, 'connection-refused', 7]]);
    expect(trace.events.find((e) => e.type === 'msg-dropped')).toMatchObject({ k: 'req', f: 'd', to: 'a', why: 'node-down' });
    // in flight when a died: d's connection to a existed, so the reset (not a refusal) tells d
    const t = netWithIds(2 * MS);
    t.network.context('d').send('a', { kind: 'req', correlationId: 8 });
    t.scheduler.runUntil(1 * MS);
    t.network.down('a');
    t.scheduler.runUntil(10 * MS);
    expect(t.inbox.d).toEqual([[3 * MS, 'disconnect', undefined]]);
    // the notices themselves are never answered: no storm between two dead nodes
    t.network.down('d');
    t.network.context('b').send('a', { kind: 'req', correlationId: 9 });
    t.scheduler.runUntil(30 * MS);
    expect(t.inbox.b).toEqual([[14 * MS, 'connection-refused', 9]]);
  });

  it('after a power loss, and across a cut, nobody is told; a paused process holds its connections', () => {
    const { scheduler, network, inbox, trace } = netWithIds(1 * MS);
    network.context('b').send('a', { kind: 'req' });
    network.context('c').send('a', { kind: 'req' });
    network.context('d').send('b', { kind: 'req' });
    scheduler.runUntil(5 * MS);
    network.down('a', 'power-loss');
    network.context('c').send('a', { kind: 'req', correlationId: 3 });
    network.pause('b');
    network.context('d').send('b', { kind: 'again' });
    scheduler.runUntil(20 * MS);
    const since = (box: [number, string, number | undefined][], t: number) => box.filter(([at]) => at > t);
    expect(since(inbox.b, 5 * MS)).toEqual([]);
    expect(since(inbox.c, 5 * MS)).toEqual([]);
    expect(since(inbox.d, 5 * MS)).toEqual([]);
    // the machine comes back: TCP retransmits c's request (first sent at 5 ms) at 205 ms, and the new
    // kernel, which knows nothing of that connection, resets it; what c wrote behind it goes too
    network.up('a');
    network.context('c').send('a', { kind: 'req' });
    scheduler.runUntil(300 * MS);
    expect(since(inbox.a, 5 * MS)).toEqual([]);
    expect(since(inbox.c, 5 * MS)).toEqual([[207 * MS, 'disconnect', undefined]]);
    // a crash whose reset crosses a cut link: the RST is lost like any packet
    network.context('d').send('a', { kind: 'req' });
    scheduler.runUntil(305 * MS);
    network.cut('a', 'd');
    network.down('a');
    scheduler.runUntil(320 * MS);
    expect(since(inbox.d, 5 * MS)).toEqual([]);
    expect(trace.events.at(-1)).toMatchObject({ type: 'msg-dropped', k: 'disconnect', f: 'a', to: 'd', why: 'cut' });
    // a crashed process whose machine then loses power stops refusing
    network.heal('all');
    network.powerOff('a');
    network.context('d').send('a', { kind: 'req', correlationId: 4 });
    scheduler.runUntil(350 * MS);
    expect(since(inbox.d, 5 * MS)).toEqual([]);
  });


  it('a connect is answered by the host: connected from a live or paused process, refused by a dead one, nothing without power', () => {
    const { scheduler, network, inbox } = netWithIds(1 * MS);
    network.pause('b');
    network.down('c');
    network.down('a', 'power-loss');
    const d = network.context('d');
    d.send('b', { kind: 'connect', correlationId: 1 });
    d.send('c', { kind: 'connect', correlationId: 2 });
    d.send('a', { kind: 'connect', correlationId: 3 });
    scheduler.runUntil(10 * MS);
    expect(inbox.d).toEqual([[2 * MS, 'connected', 1], [2 * MS, 'connection-refused', 2]]);
    // the paused process's connection is open: when it dies, d is told
    network.resume('b');
    network.down('b');
    scheduler.runUntil(20 * MS);
    expect(inbox.d.at(-1)).toEqual([11 * MS, 'disconnect', undefined]);
  });
});
