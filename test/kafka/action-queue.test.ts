// The replica manager's ActionQueue (Kafka's DelayedActionQueue): follow-up work runs after the step
// that queued it, depth first, and a handler's next step waits for the follow-ups of the one before.
import { describe, it, expect } from 'vitest';
import { ActionQueue } from '../../sim/kafka/action-queue.ts';

describe('the action queue', () => {
  it('runs what an action queues right after it, before what was queued earlier, in the order queued', () => {
    const q = new ActionQueue();
    const log: string[] = [];
    q.add(() => {
      log.push('a');
      q.add(() => {
        log.push('a1');
        q.add(() => log.push('a1x'));
      });
      q.add(() => log.push('a2'));
    });
    q.add(() => log.push('b'));
    q.tryCompleteActions();
    expect(log).toEqual(['a', 'a1', 'a1x', 'a2', 'b']);
  });

  it('is not re-entrant: asked to run from inside an action, it leaves the work to the loop already running', () => {
    const q = new ActionQueue();
    const log: string[] = [];
    q.add(() => {
      q.add(() => log.push('inner'));
      q.tryCompleteActions();
      log.push('outer done');
    });
    q.tryCompleteActions();
    expect(log).toEqual(['outer done', 'inner']);
  });

  it('runs steps at once while they queue nothing; once one queues follow-ups, the next step waits for them', () => {
    const q = new ActionQueue();
    const log: string[] = [];
    q.runSteps(4, (i) => {
      log.push(`step ${i}`);
      if (i === 1) q.add(() => log.push('follow-up of step 1'));
    });
    expect(log).toEqual(['step 0', 'step 1']);
    q.tryCompleteActions();
    expect(log).toEqual(['step 0', 'step 1', 'follow-up of step 1', 'step 2', 'step 3']);
  });

  it('runs no step ahead of work queued before the steps were', () => {
    const q = new ActionQueue();
    const log: string[] = [];
    q.add(() => log.push('queued first'));
    q.runSteps(2, (i) => log.push(`step ${i}`));
    q.tryCompleteActions();
    expect(log).toEqual(['queued first', 'step 0', 'step 1']);
  });

  it('is empty and usable again after an action threw', () => {
    const q = new ActionQueue();
    q.add(() => {
      q.add(() => { throw new Error('never run'); });
      throw new Error('boom');
    });
    expect(() => q.tryCompleteActions()).toThrow('boom');
    const log: string[] = [];
    q.add(() => log.push('next'));
    q.tryCompleteActions();
    expect(log).toEqual(['next']);
  });
});
