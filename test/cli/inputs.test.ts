// What the command reads: folders with links that dangle or loop, FIFOs and other files that are not
// regular, and seeds given on the command line. Each is a located error (exit 2) and the rest still run.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli, REPO, STACK_TRACE } from './support.ts';

const QUICK = join(REPO, 'scenarios/examples/quickstart.yaml');
/** A scenario that runs in a blink. */
const TINY = 'name: tiny\nduration: 1s\ncluster: { brokers: 1 }\n';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kafkasim-inputs-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The real command with a short timeout: a read that blocks fails the test instead of hanging it. */
function bounded(...argv: string[]) {
  const r = spawnSync(process.execPath, [join(REPO, 'bin/kafkasim.js'), ...argv], { cwd: REPO, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 30_000 });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

describe('folders with symbolic links', () => {
  beforeEach(() => {
    writeFileSync(join(dir, 'a.yaml'), TINY);
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'b.yaml'), TINY.replace('tiny', 'tiny-b'));
  });

  it('a dangling link named like a scenario is an error naming it; the other files are still validated', async () => {
    symlinkSync('nowhere.yaml', join(dir, 'dangling.yaml'));
    symlinkSync('nowhere', join(dir, 'README')); // not a scenario name: not looked at
    const r = await cli('validate', dir);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(STACK_TRACE);
    expect(r.stderr).toBe(`${join(dir, 'dangling.yaml')}: cannot read scenario (a symbolic link to 'nowhere.yaml', which does not exist)`);
    expect(r.stdout).toContain(`ok  ${join(dir, 'a.yaml')}  tiny`);
    expect(r.stdout).toContain(`ok  ${join(dir, 'sub', 'b.yaml')}  tiny-b`);
  });

  it('a link back to its own folder (self -> .) or a parent is walked once, not until ELOOP', async () => {
    symlinkSync('.', join(dir, 'self'));
    symlinkSync('..', join(dir, 'sub', 'up'));
    const r = await cli('validate', dir);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')).toEqual([`ok  ${join(dir, 'a.yaml')}  tiny`, `ok  ${join(dir, 'sub', 'b.yaml')}  tiny-b`]);
    expect(r.code).toBe(0);
  });

  it('a loop of file links is an error naming each; a linked folder elsewhere is walked', async () => {
    symlinkSync('loop-b.yaml', join(dir, 'loop-a.yaml'));
    symlinkSync('loop-a.yaml', join(dir, 'loop-b.yaml'));
    const elsewhere = mkdtempSync(join(tmpdir(), 'kafkasim-elsewhere-'));
    try {
      writeFileSync(join(elsewhere, 'c.yaml'), TINY.replace('tiny', 'tiny-c'));
      symlinkSync(elsewhere, join(dir, 'linked'));
      const r = await cli('validate', dir);
      expect(r.code).toBe(2);
      expect(r.stderr.split('\n')).toEqual([
        `${join(dir, 'loop-a.yaml')}: cannot read scenario (a loop of symbolic links)`,
        `${join(dir, 'loop-b.yaml')}: cannot read scenario (a loop of symbolic links)`,
      ]);
      expect(r.stdout).toContain(`ok  ${join(dir, 'linked', 'c.yaml')}  tiny-c`);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('check DIR runs the readable scenarios and reports the dangling link as INVALID, exit 2', async () => {
    symlinkSync('nowhere.yaml', join(dir, 'dangling.yaml'));
    symlinkSync('.', join(dir, 'self'));
    const r = await cli('check', dir);
    expect(r.stdout).toContain(`INVALID ${join(dir, 'dangling.yaml')}`);
    expect(r.stdout).toMatch(/^PASS tiny /m);
    expect(r.stdout).toMatch(/^PASS tiny-b /m);
    expect(r.stdout).toContain('2 passed, 1 failed');
    expect(r.stderr).toContain("cannot read scenario (a symbolic link to 'nowhere.yaml', which does not exist)");
    expect(r.code).toBe(2);
  });
});

describe('only regular files are read', () => {
  it('a FIFO given as the scenario is refused at once, not read forever', () => {
    const fifo = join(dir, 'pipe.yaml');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    for (const cmd of ['validate', 'run', 'check']) {
      const r = bounded(cmd, fifo);
      expect(r.signal, `${cmd} hung on a FIFO`).toBeNull();
      expect(r.code, cmd).toBe(2);
      expect(r.stderr).toContain(`${fifo}: cannot read scenario (a FIFO (named pipe), not a regular file)`);
    }
  });

  it('a FIFO named *.yaml in a folder does not hang check DIR; the other scenarios run', () => {
    copyFileSync(QUICK, join(dir, 'quickstart.yaml'));
    expect(spawnSync('mkfifo', [join(dir, 'pipe.yaml')]).status).toBe(0);
    const r = bounded('check', dir);
    expect(r.signal, 'check DIR hung on a FIFO').toBeNull();
    expect(r.stdout).toContain(`INVALID ${join(dir, 'pipe.yaml')}`);
    expect(r.stdout).toMatch(/^PASS quickstart /m);
    expect(r.code).toBe(2);
  });

  it('a folder or a device given as a scenario is refused by what it is', async () => {
    expect((await cli('validate', '/dev/null')).stderr).toBe('/dev/null: cannot read scenario (a character device, not a regular file)');
    const sub = join(dir, 'sub.yaml');
    mkdirSync(sub);
    expect((await cli('run', sub)).stderr).toBe(`${sub}: cannot read scenario (is a folder)`);
  });

  it('a shard given to merge must be a regular file too', () => {
    const fifo = join(dir, 'shard.json');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const r = bounded('merge', fifo);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${fifo}: cannot read (a FIFO (named pipe), not a regular file)`);
  });
});

describe('--seed follows the rule of the file\'s seed: field', () => {
  const file = () => {
    const f = join(dir, 'tiny.yaml');
    writeFileSync(f, TINY);
    return f;
  };

  it.each(['--seed=-1', '--seed 9007199254740992', '--seed 9007199254740993', '--seed 1.5', '--seed 1e3'])('%s is refused, exit 2', async (text) => {
    const flag = text.split(' ');
    const f = file();
    for (const cmd of ['run', 'check', 'describe']) {
      const r = await cli(cmd, f, ...flag);
      expect(r.code, cmd).toBe(2);
      expect(r.stderr).toContain(`--seed expects a non-negative integer seed from 0 to 9007199254740991 (as a scenario's seed: field), got '`);
    }
  });

  it('the largest exact seed and 0 are accepted, as in the file', async () => {
    const f = file();
    for (const seed of ['0', '9007199254740991']) {
      const r = await cli('run', f, '--seed', seed, '--json');
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).seed).toBe(Number(seed));
    }
  });

  it('sweep --seeds refuses a range past 2^53 - 1', async () => {
    const r = await cli('sweep', file(), '--seeds', '9007199254740993-9007199254740995');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('a seed is a non-negative integer up to 9007199254740991');
  });
});
