// sweep, merge and explore check that they can write their files before their work, which may take
// minutes or hours: a mistyped folder is a usage error at once (exit 2, no run made), not a failure
// after the last run with nothing written.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, REPO } from '../cli/support.ts';

const ACKS1 = join(REPO, 'scenarios/library/acks-1-leader-crash.yaml');
const EXPLORE = join(REPO, 'scenarios/explore/acks-1-unclean.yaml');

describe('outputs are checked before the work', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kafkasim-outputs-first-'));
  const missing = join(dir, 'no', 'such', 'folder');
  const aFile = join(dir, 'plain-file');
  writeFileSync(aFile, 'x');

  it.each([
    ['--html', join(missing, 'r.html'), 'ENOENT'],
    ['--out', join(missing, 'r.csv'), 'ENOENT'],
    ['--out', join(aFile, 'r.json'), 'ENOTDIR'],
  ])('sweep %s %s: exit 2 naming the flag, before any run', async (flag, path, code) => {
    const r = await cli('sweep', ACKS1, '--seeds', '1', '--workers', '1', flag, path);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${flag} ${path}: cannot write (${code}`);
    // the sweep's first line ("sweep NAME: 1 cell(s) × 1 seeds = 1 runs") never came
    expect(r.stderr).not.toMatch(/cell\(s\)|runs in/);
  });

  it('explore --out in a missing folder: exit 2 before the first schedule', async () => {
    const r = await cli('explore', EXPLORE, '--budget', '1', '--out', join(missing, 'found.yaml'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--out ${join(missing, 'found.yaml')}: cannot write (ENOENT`);
    expect(r.stderr).not.toContain('up to 1 schedules');
  });

  it('merge --html in a missing folder: exit 2', async () => {
    const r = await cli('merge', join(dir, 'shard.json'), '--html', join(missing, 'r.html'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot write (ENOENT');
  });
});

describe('a file that fails only when written', () => {
  // /proc takes no new file, yet a name in it passes the check before the work (it is written in
  // place, as a stream would be): the failure comes after the runs
  it('leaves the table on stdout, then exits 2 naming the file', async () => {
    const r = await cli('sweep', ACKS1, '--seeds', '1', '--workers', '1', '--out', '/proc/kafkasim-no-such.csv');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--out /proc/kafkasim-no-such.csv: cannot write');
    expect(r.stdout).toMatch(/^cell +runs +lost data/m);
  });
});
