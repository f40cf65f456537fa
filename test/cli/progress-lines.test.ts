// Progress without a terminal (a CI log, `2> file`): a line at every 10%, and one at least every
// minute of wall clock in between, so a sweep whose 10% takes twenty minutes does not look hung. The
// clock is passed in: no test here waits.
import { describe, expect, it } from 'vitest';
import type { Out } from '../../src/cli/io.ts';
import { QUIET_LINE_MS, startProgress } from '../../src/cli/progress.ts';

function capture(): { o: Out; lines: string[] } {
  const lines: string[] = [];
  return { lines, o: { out: () => {}, err: (l) => lines.push(l), color: false, stderrTTY: false } as Out };
}

describe('progress without a terminal', () => {
  it('writes every 10%, and a line after a quiet minute', () => {
    const { o, lines } = capture();
    let t = 0;
    const p = startProgress(o, 'sweep', 1000, 'runs', { now: () => t });
    p.update(1);
    t = QUIET_LINE_MS - 1;
    p.update(2); // not yet a minute
    expect(lines).toEqual([]);
    t = QUIET_LINE_MS;
    p.update(3);
    expect(lines).toEqual(['sweep: 0% (3/1000 runs)']);
    t += 1000;
    p.update(100); // 10%
    t += 1000;
    p.update(101); // a second after the 10% line: quiet
    t += QUIET_LINE_MS;
    p.update(150);
    expect(lines).toEqual(['sweep: 0% (3/1000 runs)', 'sweep: 10% (100/1000 runs)', 'sweep: 15% (150/1000 runs)']);
  });

  it('says nothing new when nothing finished, however long it has been', () => {
    const { o, lines } = capture();
    let t = 0;
    const p = startProgress(o, 'explore', 10, 'schedules', { now: () => t });
    p.update(0);
    t = 10 * QUIET_LINE_MS;
    p.update(0);
    expect(lines).toEqual([]);
  });
});
