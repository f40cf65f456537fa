// Hundreds of seeds, each a random small cluster under load with a random schedule of faults: no run
// may break an invariant (checked after every event and in full at the end) or run away (event limit).
// A failure names the seed; randomizedRun(seed) replays it.
import { describe, it, expect } from 'vitest';
import { randomizedRun } from './support/random-run.ts';

describe('randomized fault schedules', () => {
  it('300 seeds: no invariant is ever violated and every run ends within its event limit', () => {
    const failures: string[] = [];
    let events = 0;
    let lossy = 0;
    for (let seed = 1; seed <= 300; seed++) {
      try {
        const r = randomizedRun(seed);
        events += r.events;
        if (r.lost > 0) lossy++;
      } catch (e) {
        failures.push(`seed ${seed}: ${(e as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
    // the schedules are rough enough that some runs lose acknowledged writes (acks=0/1, unclean, power loss)
    expect(lossy).toBeGreaterThan(10);
    expect(events).toBeGreaterThan(0);
  });
});
