// `kafkasim run --trace`: the header line first (the scenario, its text, the seed, the format and
// the version), then the event lines, whose hash alone is the run's trace hash; `.gz` is gzipped.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { hashJSONL } from '../../sim/engine/trace.ts';
import { KAFKASIM_VERSION } from '../../src/cli/trace-file.ts';
import { cli, REPO } from './support.ts';

const dir = mkdtempSync(join(tmpdir(), 'kafkasim-trace-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const scenario = join(REPO, 'scenarios/library/acks-1-leader-crash.yaml');

describe('kafkasim run --trace', () => {
  it('writes a header naming the run, then the events; the hash is of the event lines only', async () => {
    const out = join(dir, 'a.jsonl');
    const r = await cli('run', scenario, '--seed', '7', '--trace', out);
    expect(r.code).toBe(0);
    const [head, ...rest] = readFileSync(out, 'utf8').split('\n');
    expect(JSON.parse(head)).toEqual({
      type: 'kafkasim-trace', format: 1, kafkasim: KAFKASIM_VERSION, scenario: 'acks-1-leader-crash', file: 'acks-1-leader-crash.yaml',
      text: readFileSync(scenario, 'utf8'), seed: 7,
    });
    expect(r.stdout).toContain(`trace ${hashJSONL(rest.join('\n'))}`);
  });

  it('gzips a .gz trace into the same lines, and names --until in the header', async () => {
    const plain = join(dir, 'b.jsonl');
    const gz = join(dir, 'b.jsonl.gz');
    await cli('run', scenario, '--until', '20s', '--trace', plain);
    await cli('run', scenario, '--until', '20s', '--trace', gz);
    expect(gunzipSync(readFileSync(gz)).toString('utf8')).toBe(readFileSync(plain, 'utf8'));
    expect(JSON.parse(readFileSync(plain, 'utf8').split('\n')[0]).untilUs).toBe(20_000_000);
  });

  it('names the version package.json gives', () => {
    expect(KAFKASIM_VERSION).toBe(JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version);
  });
});
