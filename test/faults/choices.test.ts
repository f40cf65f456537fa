// A timeline step that describes a family of failures: its moment drawn in a window (`between`), its
// broker drawn from a list (any-of), the partition's current leader (leader-of), or every broker that
// is down (restart: crashed). Each draw comes from the step's own stream and is traced.
import { describe, it, expect } from 'vitest';
import { SEC } from '../../sim/engine/index.ts';
import type { Action, TimelineStep } from '../../sim/kafka/index.ts';
import { build, events } from '../kafka/support/sim.ts';

const step = (atUs: number, action: Action, more: Partial<TimelineStep> = {}): TimelineStep => ({ atUs, action, ...more });
const window = (minUs: number, maxUs: number, action: Action): TimelineStep => step(minUs, action, { between: { minUs, maxUs } });

/** When broker `id` crashed in a run of these steps with this seed (undefined: it did not). */
function crashTime(seed: number, timeline: TimelineStep[], id = 1): number | undefined {
  const { sim } = build({ seed, timeline, durationUs: 30 * SEC });
  sim.runUntil(30 * SEC);
  return events(sim, 'broker-crashed', { broker: id })[0]?.t;
}

/** Which brokers crashed in a run of these steps with this seed. */
function crashed(seed: number, timeline: TimelineStep[]): number[] {
  const { sim } = build({ seed, timeline, durationUs: 30 * SEC });
  sim.runUntil(30 * SEC);
  return events(sim, 'broker-crashed').map((e) => e.broker as number);
}

describe('at: { between: [min, max] }', () => {
  const crashIn = (minUs: number, maxUs: number) => [window(minUs, maxUs, { type: 'crash', nodes: [1] })];

  it('draws a moment inside the window, a different one for different seeds', () => {
    const times = [1, 2, 3, 4, 5, 6, 7, 8].map((seed) => crashTime(seed, crashIn(5 * SEC, 15 * SEC))!);
    for (const t of times) {
      expect(t).toBeGreaterThanOrEqual(5 * SEC);
      expect(t).toBeLessThanOrEqual(15 * SEC);
      expect(Number.isInteger(t)).toBe(true);
    }
    expect(new Set(times).size).toBe(times.length);
  });

  it('the same seed draws the same moment', () => {
    expect(crashTime(42, crashIn(5 * SEC, 15 * SEC))).toBe(crashTime(42, crashIn(5 * SEC, 15 * SEC)));
  });

  it('includes both ends: a window of one microsecond draws each end over a few seeds', () => {
    const seen = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((seed) => crashTime(seed, crashIn(5 * SEC, 5 * SEC + 1))));
    expect([...seen].sort()).toEqual([5 * SEC, 5 * SEC + 1]);
  });

  it('traces the drawn moment with the window and the step\'s index in the file', () => {
    const { sim } = build({ seed: 3, timeline: [step(1 * SEC, { type: 'restart', nodes: [2] }, { index: 0 }), { ...crashIn(5 * SEC, 15 * SEC)[0], index: 1 }] });
    sim.runUntil(20 * SEC);
    const [resolved] = events(sim, 'step-resolved');
    expect(resolved).toMatchObject({ step: 1, action: 'crash', between: [5 * SEC, 15 * SEC] });
    expect(resolved.t).toBe(events(sim, 'broker-crashed')[0].t);
    expect(events(sim, 'step-resolved')).toHaveLength(1);
  });

  it('draws from the step\'s own stream: another step\'s draws do not move it', () => {
    const alone = crashTime(9, crashIn(5 * SEC, 15 * SEC));
    // in time order the other step comes first, so a shared stream would give it the first draw
    const withOthers = crashTime(9, [
      step(1 * SEC, { type: 'pause', node: { choose: 'any-of', brokers: [2, 3] }, forUs: 1 * SEC }, { index: 1, between: { minUs: 1 * SEC, maxUs: 3 * SEC } }),
      { ...crashIn(5 * SEC, 15 * SEC)[0], index: 0 },
    ]);
    expect(withOthers).toBe(alone);
  });
});

describe('any-of', () => {
  const anyOf = (brokers: number[]): TimelineStep[] => [step(5 * SEC, { type: 'crash', nodes: { choose: 'any-of', brokers } })];

  it('crashes one broker of the list, drawn per seed, and over seeds every one of them', () => {
    const picks = Array.from({ length: 24 }, (_, i) => crashed(i + 1, anyOf([1, 3])));
    for (const p of picks) expect(p.length === 1 && [1, 3].includes(p[0])).toBe(true);
    expect(new Set(picks.flat())).toEqual(new Set([1, 3]));
  });

  it('the same seed picks the same broker, and the pick is traced', () => {
    const { sim } = build({ seed: 5, timeline: anyOf([1, 2, 3]) });
    sim.runUntil(6 * SEC);
    const [resolved] = events(sim, 'step-resolved');
    expect(resolved).toMatchObject({ t: 5 * SEC, step: 0, action: 'crash', choice: 'any-of', among: [1, 2, 3] });
    expect(events(sim, 'broker-crashed').map((e) => e.broker)).toEqual(resolved.brokers);
    expect(crashed(5, anyOf([1, 2, 3]))).toEqual(resolved.brokers);
  });

  it('works for every broker action: shutdown, power-loss, disk-loss, pause, isolate', () => {
    const actions: [Action, string][] = [
      [{ type: 'shutdown', brokers: { choose: 'any-of', brokers: [2] } }, 'broker-shutdown'],
      [{ type: 'power-loss', brokers: { choose: 'any-of', brokers: [2] } }, 'broker-crashed'],
      [{ type: 'disk-loss', brokers: { choose: 'any-of', brokers: [2] } }, 'broker-restarted'],
      [{ type: 'pause', node: { choose: 'any-of', brokers: [2] }, forUs: 1 * SEC }, 'broker-paused'],
    ];
    for (const [action, type] of actions) {
      const { sim } = build({ timeline: [step(5 * SEC, action)] });
      sim.runUntil(6 * SEC);
      expect(events(sim, type, { broker: 2 }), action.type).toHaveLength(1);
    }
    const { sim } = build({ timeline: [step(5 * SEC, { type: 'isolate', node: { choose: 'any-of', brokers: [2] } })] });
    sim.runUntil(6 * SEC);
    expect(events(sim, 'network-fault')).toMatchObject([{ action: 'isolate', node: 2 }]);
  });
});

describe('leader-of', () => {
  it('crashes the partition\'s leader as the controller\'s metadata has it when the step runs', () => {
    // broker 1 leads first; once it is gone the controller elects 2, so the second crash hits 2
    const { sim } = build({
      timeline: [
        step(2 * SEC, { type: 'crash', nodes: { choose: 'leader-of', partition: 'orders-0' } }),
        step(20 * SEC, { type: 'crash', nodes: { choose: 'leader-of', partition: 'orders-0' } }),
      ],
    });
    sim.runUntil(19 * SEC);
    expect(events(sim, 'broker-crashed').map((e) => e.broker)).toEqual([1]);
    const leaderThen = sim.partition('orders-0')!.leader;
    expect(leaderThen).not.toBe(1);
    sim.runUntil(21 * SEC);
    expect(events(sim, 'broker-crashed').map((e) => e.broker)).toEqual([1, leaderThen]);
    expect(events(sim, 'step-resolved').map((e) => [e.choice, e.partition, e.brokers])).toEqual([
      ['leader-of', 'orders-0', [1]],
      ['leader-of', 'orders-0', [leaderThen]],
    ]);
  });

  it('a partition without a leader skips the step, and says so in the trace', () => {
    const { sim } = build({
      brokers: [1],
      topics: [{ name: 'orders', partitions: 1, replicationFactor: 1, replicas: [[1]], config: {} }],
      timeline: [step(2 * SEC, { type: 'crash', nodes: [1] }), step(20 * SEC, { type: 'shutdown', brokers: { choose: 'leader-of', partition: 'orders-0' } })],
    });
    sim.runUntil(21 * SEC);
    expect(sim.partition('orders-0')!.leader).toBeNull();
    expect(events(sim, 'step-skipped')).toMatchObject([{ t: 20 * SEC, step: 1, action: 'shutdown', choice: 'leader-of', partition: 'orders-0', reason: 'orders-0 has no leader' }]);
    expect(events(sim, 'step-resolved')).toHaveLength(0);
    expect(events(sim, 'broker-shutdown')).toHaveLength(0);
  });
});

describe('restart: crashed', () => {
  it('restarts every broker that is crashed or stopped, in ascending order', () => {
    const { sim } = build({
      timeline: [
        step(1 * SEC, { type: 'crash', nodes: [3] }),
        step(1 * SEC, { type: 'power-loss', brokers: [1] }),
        step(5 * SEC, { type: 'restart', nodes: { choose: 'crashed' } }),
      ],
    });
    sim.runUntil(6 * SEC);
    expect(events(sim, 'broker-restarted').map((e) => e.broker)).toEqual([1, 3]);
    expect(events(sim, 'step-resolved')).toMatchObject([{ step: 2, action: 'restart', choice: 'crashed', brokers: [1, 3] }]);
  });

  it('with nothing down, skips the step and says so', () => {
    const { sim } = build({ timeline: [step(5 * SEC, { type: 'restart', nodes: { choose: 'crashed' } })] });
    sim.runUntil(6 * SEC);
    expect(events(sim, 'step-skipped')).toMatchObject([{ step: 0, action: 'restart', reason: 'no broker is crashed or stopped' }]);
  });
});
