// JSON that kafkasim prints names its units: a field holding a time or duration ends in Us, Ms or
// Seconds, so nobody reads microseconds as milliseconds (issue 14).
import { describe, expect, it } from 'vitest';
import { cli } from './support.ts';

/** Every key path whose value is a number and whose name speaks of time without a unit suffix. */
function unitless(x: unknown, path = ''): string[] {
  if (Array.isArray(x)) return x.flatMap((v) => unitless(v, `${path}[]`));
  if (x === null || typeof x !== 'object') return [];
  return Object.entries(x).flatMap(([k, v]) => {
    const p = `${path}.${k}`;
    const timeish = /(^|[a-z])(at|time|from|to|duration|when|since|until|lost|leaderless)$/i.test(k) && !/(Us|Ms|Seconds)$/.test(k);
    return [...(typeof v === 'number' && timeish && !/lost$/i.test(k) ? [p] : []), ...unitless(v, p)];
  });
}

describe('JSON units', () => {
  it('run --json and check --json name the unit of every time they print', async () => {
    const run = await cli('run', 'scenarios/library/acks-1-leader-crash.yaml', '--json');
    const j = JSON.parse(run.stdout);
    expect(j.lost.length).toBeGreaterThan(0);
    expect(j.lost[0].ackFromUs).toBe(10_000_000);
    expect(unitless(j)).toEqual([]);
    const check = await cli('check', 'scenarios/library/acks-1-leader-crash.yaml', '--json');
    expect(unitless(JSON.parse(check.stdout))).toEqual([]);
  });
});
