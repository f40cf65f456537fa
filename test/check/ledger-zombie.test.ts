// A zombie leader acknowledges writes in an epoch the controller has already replaced. Its lost
// records are explained by that earlier election and by the fault that cut it off, and every lost
// record says the epoch it was written in and when it was lost.
import { describe, it, expect } from 'vitest';
import { runScenario } from '../../src/scenario/run.ts';
import { SEC } from '../../sim/engine/index.ts';
import type { LostRecord } from '../../sim/kafka/index.ts';
import { faultCuttingOff, type Fault } from '../../sim/check/loss-story.ts';
import { libraryScenario } from './support/library.ts';

function lostIn(name: string): LostRecord[] {
  const { scenario, spec } = libraryScenario(name);
  const r = runScenario(scenario, spec, { keepTrace: false });
  expect(r.passed).toBe(true);
  return r.sim.lostRecords();
}

const kinds = (r: LostRecord): string[] => r.explanation.map((s) => s.kind);

describe('a zombie leader cut off by a network partition', () => {
  const lost = lostIn('zombie-leader-partition');
  const election = 18_763_440; // the controller fences broker 1 and elects broker 2 in epoch 1
  const zombie = lost.filter((r) => r.ack.t > election);
  const beforeElection = lost.filter((r) => r.ack.t < election);

  it('broker 1 acknowledged hundreds of records after broker 2 had replaced it', () => {
    expect(zombie.length).toBeGreaterThan(200);
    expect(zombie.every((r) => r.ack.broker === 1 && r.ack.epoch === 0)).toBe(true);
  });

  it('their story tells the partition at 10 s and the election of broker 2 before the ack, then the truncation', () => {
    const r = zombie[0];
    expect(kinds(r)).toEqual(['acked', 'fault', 'elected', 'truncated']);
    expect(r.explanation[1]).toMatchObject({ t: 10 * SEC, broker: 1, text: 'the network partition at 10s cut broker 1 off from the controller' });
    expect(r.explanation[2]).toMatchObject({
      t: election, broker: 2,
      text: 'broker 2 had been elected leader at 18.76344s, epoch 1, while broker 1, cut off, still acknowledged as leader of epoch 0',
    });
    // the partition heals at 30 s: TCP retransmits broker 1's pending heartbeat and metadata fetch within
    // a second, so broker 1 learns of epoch 1 and truncates from offset 200 (broker 2's epoch 1 start) then
    expect(r.text).toMatch(/^acked by leader 1 at offset \d+ with acks=1 at [\d.]+s; the network partition .*; broker 2 had been elected .*; broker 1 truncated offsets 200–\d+ at 30\.\d+s \(diverging-epoch\)$/);
  });

  it('a zombie acknowledgement is lost the moment it is given', () => {
    expect(zombie.every((r) => r.lostAt === r.ack.t)).toBe(true);
  });

  it('records broker 1 acknowledged before the election were lost by it: broker 2 took over without them', () => {
    expect(beforeElection.length).toBeGreaterThan(100);
    const r = beforeElection[0];
    expect(r.ack.epoch).toBe(0);
    expect(r.lostAt).toBe(election);
    expect(kinds(r)).toEqual(['acked', 'elected', 'truncated']);
    expect(r.explanation[1].text).toBe('broker 2 elected at 18.76344s, epoch 1 without the record');
  });
});

describe('a zombie leader frozen by a GC pause', () => {
  const lost = lostIn('gc-pause-zombie-leader');

  it('broker 1 woke up and acknowledged its backlog as leader of epoch 0, which broker 2 had replaced', () => {
    expect(lost.length).toBe(5);
    const r = lost[0];
    expect(r.ack).toMatchObject({ broker: 1, epoch: 0, acks: 1 });
    expect(r.lostAt).toBe(r.ack.t);
    expect(r.explanation.slice(1).map((s) => s.text)).toEqual([
      'broker 1 was paused at 5s for 15s',
      'broker 2 had been elected leader at 12.76344s, epoch 1, while broker 1, paused, still acknowledged as leader of epoch 0',
      'broker 1 truncated offsets 100–104 at 20.004s (diverging-epoch)',
    ]);
  });
});

describe('an ordinary loss', () => {
  it('acks=1 and a leader crash: written in epoch 0, lost when broker 2 was elected without it', () => {
    const lost = lostIn('acks-1-leader-crash');
    expect(lost.length).toBeGreaterThan(0);
    for (const r of lost) {
      expect(r.ack.epoch).toBe(0);
      const election = r.explanation.find((s) => s.kind === 'elected')!;
      expect(r.lostAt).toBe(election.t);
      expect(kinds(r)).not.toContain('fault');
    }
  });
});

describe('which fault cut the zombie off', () => {
  const election = 20 * SEC;
  const blamed = (...faults: Fault[]): string | undefined => faultCuttingOff(faults, 1, election)?.kind;

  it('a partition that separates it from the controller, an isolation, a cut link or a slow network', () => {
    expect(blamed({ t: 10 * SEC, kind: 'partition', groups: [[1, 'checkout'], [2, 3, 'controller']] })).toBe('partition');
    expect(blamed({ t: 10 * SEC, kind: 'isolate', node: 1 })).toBe('isolate');
    expect(blamed({ t: 10 * SEC, kind: 'cut', from: 1, to: 'controller' })).toBe('cut');
    expect(blamed({ t: 10 * SEC, kind: 'slow', node: 1, latencyUs: 30 * SEC })).toBe('slow');
  });

  it('not a partition that leaves it with the controller, nor a fault healed before the election', () => {
    expect(blamed({ t: 10 * SEC, kind: 'partition', groups: [[1, 'controller'], [2, 3]] })).toBeUndefined();
    expect(blamed({ t: 10 * SEC, kind: 'isolate', node: 1 }, { t: 15 * SEC, kind: 'heal' })).toBeUndefined();
    expect(blamed({ t: 25 * SEC, kind: 'isolate', node: 1 })).toBeUndefined();
  });

  it('a pause only while it lasts: the election must have happened during it', () => {
    expect(blamed({ t: 5 * SEC, kind: 'pause', broker: 1, forUs: 20 * SEC })).toBe('pause');
    expect(blamed({ t: 5 * SEC, kind: 'pause', broker: 1, forUs: 5 * SEC })).toBeUndefined();
  });
});
