// merge checks what each shard file holds, not only its header: exactly one run for every (cell, seed)
// of its slice, with the fields a run reports. Shards are built here by hand (no simulation): two cells,
// seeds 1–5 in two shards, so shard 1/2 holds seeds 1, 3, 5 and shard 2/2 seeds 2, 4 (every second
// seed from its own position, as sweep --shard runs them).
import { describe, expect, it } from 'vitest';
import type { RunOutcome } from '../../src/experiments/outcome.ts';
import { mergeShards, shardSeeds, type ShardFile } from '../../src/experiments/shard.ts';

const definition = {
  scenario: 's', file: 's.yaml', scenarioHash: 'h', seeds: { first: 1, count: 5 }, axes: [{ key: 'producer.p.acks', values: ['1', 'all'] }],
  cells: [0, 1].map((index) => ({ index, label: `producer.p.acks=${['1', 'all'][index]}`, settings: [{ key: 'producer.p.acks', value: ['1', 'all'][index] }] })),
  expectations: [],
};

const run = (cell: number, seed: number): RunOutcome => ({ cell, seed, acked: 10, lost: cell === 0 ? 1 : 0, duplicates: 0, unavailable: 0, errors: {}, leaderlessMs: 8000, failed: [] });

function shard(index: number): ShardFile {
  const seeds = shardSeeds([1, 2, 3, 4, 5], { index, count: 2 });
  return { kafkasimShard: 1, shard: { index, count: 2 }, definition, outcomes: seeds.flatMap((s) => [run(0, s), run(1, s)]) };
}

const merge = (one: ShardFile, two: ShardFile = shard(2)) => mergeShards([{ name: 'one.json', content: one }, { name: 'two.json', content: two }]);

describe('merge: what a shard holds', () => {
  it('whole shards merge: 5 runs per cell, cell 1 lost data in all 5', () => {
    const r = merge(shard(1));
    expect(r.cells.map((c) => [c.runs, c.lossRuns])).toEqual([[5, 5], [5, 0]]);
  });

  it('refuses a shard with a run missing (the report would count 9 runs as the whole sweep)', () => {
    const s = shard(1);
    s.outcomes.pop();
    expect(() => merge(s)).toThrow(/one\.json .*1 of its 6 runs are missing/);
  });

  it('refuses a run that is there twice', () => {
    const s = shard(1);
    s.outcomes[1] = run(0, 1);
    expect(() => merge(s)).toThrow(/cell 1 at seed 1 is there twice/);
  });

  it("refuses a seed of another shard (seed 2 is shard 2/2's) and a seed outside the sweep", () => {
    const s = shard(1);
    s.outcomes[0] = run(0, 2);
    expect(() => merge(s)).toThrow(/seed 2 belongs to shard 2\/2, not to this shard 1\/2/);
    const t = shard(1);
    t.outcomes[0] = run(0, 7);
    expect(() => merge(t)).toThrow(/seed 7 is not one of the sweep's seeds \(1–5\)/);
  });

  it('refuses a cell the sweep does not have, and a field that is not a count', () => {
    const s = shard(2);
    s.outcomes[0] = run(2, 2);
    expect(() => merge(shard(1), s)).toThrow(/two\.json .*cell 2 is not one of the sweep's 2 cell/);
    const t = shard(1);
    (t.outcomes[0] as unknown as Record<string, unknown>).lost = 'x';
    expect(() => merge(t)).toThrow(/lost is "x", not a count/);
    const u = shard(1);
    (u.outcomes[0] as unknown as Record<string, unknown>).errors = { NETWORK_EXCEPTION: -1 };
    expect(() => merge(u)).toThrow(/errors is not a count per error code/);
  });

  it('refuses a shard header whose index is not 1..N', () => {
    const s = shard(1);
    s.shard = { index: 3, count: 2 };
    expect(() => merge(s)).toThrow(/one\.json is not a shard file/);
  });
});

describe('merge: shards of different sweeps', () => {
  it('names what differs: the scenario, the seeds, the keys, --metrics', () => {
    const other = (change: Partial<ShardFile['definition']>): ShardFile => ({ ...shard(2), definition: { ...definition, ...change } });
    expect(() => merge(shard(1), other({ scenarioHash: 'h2' }))).toThrow(/two\.json is a shard of a different sweep than one\.json: the scenario differs \(s\.yaml, SHA-256 h… against s\.yaml, h2…\)/);
    expect(() => merge(shard(1), other({ seeds: { first: 1, count: 6 } }))).toThrow(/--seeds differs \(seeds 1–5 against 1–6\)/);
    expect(() => merge(shard(1), other({ axes: [{ key: 'producer.p.acks', values: ['1', '0'] }] }))).toThrow(/the --set keys or values differ/);
    expect(() => merge(shard(1), other({ metrics: true }))).toThrow(/one ran with --metrics, the other without/);
  });
});
