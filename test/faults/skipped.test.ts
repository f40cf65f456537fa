// A step that finds its broker where the action does nothing (crash of a crashed broker, restart of a
// running one, shutdown of a stopped one, pause of a crashed one) is traced as `step-skipped` with
// the reason (issue 10, point 10), the event a broker choice that names nobody gets. The validator
// refuses such steps when the timeline alone shows them (test/scenario/process-states.test.ts); here
// are the ones that depend on the run: a drawn broker, a drawn moment, a shutdown still in progress.
import { describe, expect, it } from 'vitest';
import { SEC } from '../../sim/engine/index.ts';
import type { Action, TimelineStep } from '../../sim/kafka/index.ts';
import { build, events } from '../kafka/support/sim.ts';

const step = (atUs: number, action: Action, more: Partial<TimelineStep> = {}): TimelineStep => ({ atUs, action, ...more });

function run(timeline: TimelineStep[], untilUs = 30 * SEC, seed = 1) {
  const { sim } = build({ seed, timeline, durationUs: 60 * SEC });
  sim.runUntil(untilUs);
  return sim;
}

describe('a step that would do nothing is traced as skipped, with the reason', () => {
  it('crash of a crashed broker', () => {
    const sim = run([step(1 * SEC, { type: 'crash', nodes: [1] }), step(2 * SEC, { type: 'crash', nodes: [1, 2] })]);
    expect(events(sim, 'step-skipped')).toEqual([{ t: 2 * SEC, type: 'step-skipped', step: 1, action: 'crash', broker: 1, reason: 'broker 1 is already crashed' }]);
    // the other broker of the step is crashed all the same
    expect(events(sim, 'broker-crashed').map((e) => [e.t, e.broker])).toEqual([[1 * SEC, 1], [2 * SEC, 2]]);
  });

  it('restart of a running broker, of a paused one, and of one still shutting down', () => {
    const sim = run([
      step(1 * SEC, { type: 'restart', nodes: [1] }),
      step(2 * SEC, { type: 'pause', node: 2, forUs: 5 * SEC }),
      step(3 * SEC, { type: 'restart', nodes: [2] }),
      step(4 * SEC, { type: 'shutdown', brokers: [3] }),
      step(4 * SEC + 1, { type: 'restart', nodes: [3] }),
    ]);
    expect(events(sim, 'step-skipped').map((e) => [e.step, e.reason])).toEqual([
      [0, 'broker 1 is already running'], [2, 'broker 2 is paused, not down'], [4, 'broker 3 is still shutting down'],
    ]);
    expect(events(sim, 'broker-restarted')).toHaveLength(0);
  });

  it('shutdown and pause of a broker that is down, paused or already shutting down', () => {
    const sim = run([
      step(1 * SEC, { type: 'crash', nodes: [1] }),
      step(2 * SEC, { type: 'shutdown', brokers: [1] }),
      step(2 * SEC, { type: 'pause', node: 1, forUs: SEC }),
      step(3 * SEC, { type: 'pause', node: 2, forUs: 5 * SEC }),
      step(4 * SEC, { type: 'pause', node: 2, forUs: SEC }),
      step(4 * SEC, { type: 'shutdown', brokers: [2] }),
      step(5 * SEC, { type: 'shutdown', brokers: [3] }),
      step(5 * SEC + 1, { type: 'shutdown', brokers: [3] }),
    ]);
    expect(events(sim, 'step-skipped').map((e) => [e.step, e.action, e.reason])).toEqual([
      [1, 'shutdown', 'broker 1 is crashed'], [2, 'pause', 'broker 1 is crashed'], [4, 'pause', 'broker 2 is already paused'],
      [5, 'shutdown', 'broker 2 is paused'], [7, 'shutdown', 'broker 3 is already shutting down'],
    ]);
    expect(events(sim, 'broker-shutdown').map((e) => e.broker)).toEqual([3]);
  });

  it('a broker drawn by any-of that is already down: resolved, then skipped, naming the choice', () => {
    // seed by seed, any-of [1, 2] draws 1 (crashed at 1s) or 2 (running)
    const timeline = [step(1 * SEC, { type: 'crash', nodes: [1] }), step(2 * SEC, { type: 'crash', nodes: { choose: 'any-of', brokers: [1, 2] } })];
    const outcomes = [1, 2, 3, 4, 5, 6, 7, 8].map((seed) => {
      const sim = run(timeline, 3 * SEC, seed);
      const drawn = (events(sim, 'step-resolved')[0].brokers as number[])[0];
      const skipped = events(sim, 'step-skipped');
      if (drawn === 1) {
        expect(skipped).toEqual([{ t: 2 * SEC, type: 'step-skipped', step: 1, action: 'crash', choice: 'any-of', among: [1, 2], broker: 1, reason: 'broker 1 is already crashed' }]);
      } else expect(skipped).toEqual([]);
      return drawn;
    });
    expect(new Set(outcomes)).toEqual(new Set([1, 2]));
  });

  it('a crash at a drawn moment that falls after another crash of the same broker: skipped, with its window', () => {
    const timeline = [step(5 * SEC, { type: 'crash', nodes: [1] }), step(1 * SEC, { type: 'crash', nodes: [1] }, { between: { minUs: 1 * SEC, maxUs: 9 * SEC } })];
    const skipped = [1, 2, 3, 4, 5, 6].flatMap((seed) => events(run(timeline, 10 * SEC, seed), 'step-skipped'));
    expect(skipped.length).toBeGreaterThan(0);
    for (const e of skipped) expect(e).toMatchObject({ type: 'step-skipped', action: 'crash', broker: 1, reason: 'broker 1 is already crashed' });
    expect(skipped.some((e) => Array.isArray(e.between))).toBe(true);
  });

  it('power and disk loss of a crashed broker still act on the machine: not skipped', () => {
    const sim = run([step(1 * SEC, { type: 'crash', nodes: [1] }), step(2 * SEC, { type: 'power-loss', brokers: [1] }), step(3 * SEC, { type: 'disk-loss', brokers: [1] })]);
    expect(events(sim, 'step-skipped')).toEqual([]);
  });
});
