// A sweep's failing cell comes with the command that replays it: `kafkasim run FILE --seed N --set
// KEY=VALUE …`, the cell's settings written in as the sweep wrote them. Run on its own, that
// command loses the records the sweep counted for that seed.
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, REPO } from '../cli/support.ts';

const ACKS1 = join(REPO, 'scenarios/library/acks-1-leader-crash.yaml');
const recordsLine = (stdout: string) => stdout.split('\n').find((l) => l.startsWith('Records'))!;

describe('run --set', () => {
  it('writes the value in: acks=all loses none of what acks=1 (the file) loses', async () => {
    const plain = await cli('run', ACKS1);
    const all = await cli('run', ACKS1, '--set', 'producer.checkout.acks=all');
    expect(recordsLine(plain.stdout)).toMatch(/ lost [1-9]\d*,/);
    expect(recordsLine(all.stdout)).toMatch(/ lost 0,/);
  });

  it('takes one value per key, and refuses a key the scenario does not have (exit 2)', async () => {
    const two = await cli('run', ACKS1, '--set', 'producer.checkout.acks=1,all');
    expect(two.code).toBe(2);
    expect(two.stderr).toContain('--set producer.checkout.acks: run takes one value per key (a sweep takes several)');
    const nobody = await cli('run', ACKS1, '--set', 'producer.nobody.acks=1');
    expect(nobody.code).toBe(2);
    expect(nobody.stderr).toContain('no producer in the scenario matches (producers: checkout)');
  });
});

describe('a failing sweep cell', () => {
  it('prints the run that replays its first failure, and that run loses what the sweep counted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafkasim-replay-'));
    copyFileSync(ACKS1, join(dir, 'acks-1-leader-crash.yaml'));
    const file = join(dir, 'acks-1-leader-crash.yaml');
    const json = join(dir, 'r.json');
    const r = await cli('sweep', file, '--set', 'producer.checkout.acks=1,all', '--set', 'timeline.1.at=9s', '--seeds', '3', '--workers', '1', '--out', json);
    const replay = /^ {4}replay: kafkasim run acks-1-leader-crash\.yaml --seed (\d+) --set producer\.checkout\.acks=all --set timeline\.1\.at=9s$/m.exec(r.stdout);
    expect(replay, r.stdout).not.toBeNull();
    const seed = replay![1];
    const report = JSON.parse(readFileSync(json, 'utf8'));
    const cell = report.cells[1];
    const lost = cell.samples.lost[cell.samples.seed.indexOf(Number(seed))];
    const run = await cli('run', file, '--seed', seed, '--set', 'producer.checkout.acks=all', '--set', 'timeline.1.at=9s');
    expect(recordsLine(run.stdout)).toContain(` lost ${lost},`);
    // and it fails the expectation the sweep named (exit 1)
    expect(run.code).toBe(1);
  }, 120_000);
});

describe('the replay command', () => {
  it('quotes a value a shell would split or interpret', async () => {
    const { replayCommand } = await import('../../src/experiments/format.ts');
    const def = { file: 'my file.yaml' } as Parameters<typeof replayCommand>[0];
    expect(replayCommand(def, { settings: [{ key: 'network.latency', value: '{min: 1ms, max: 20ms}' }, { key: 'producer.checkout.acks', value: 'all' }] }, 7))
      .toBe("kafkasim run 'my file.yaml' --seed 7 --set 'network.latency={min: 1ms, max: 20ms}' --set producer.checkout.acks=all");
    expect(replayCommand({ file: 'f.yaml' } as Parameters<typeof replayCommand>[0], { settings: [{ key: 'k', value: "it's" }] }, 1)).toBe("kafkasim run f.yaml --seed 1 --set 'k=it'\\''s'");
  });
});
