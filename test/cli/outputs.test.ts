// What the command writes: --trace and the other output files appear whole or not at all (a temporary
// file renamed into place), never over an input, never through a symbolic link; a write that fails is
// one line naming the path, exit 2; stdout that fails likewise, and a closed pipe ends quietly.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, lstatSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OutputFile, writeOutputFile } from '../../src/cli/outputs.ts';
import { cli, REPO, STACK_TRACE } from './support.ts';

const TINY = 'name: tiny\nduration: 2s\ncluster: { brokers: 3 }\ntopics:\n  - { name: orders, partitions: 1, replicas: [[1, 2, 3]] }\n';
const ENDLESS = 'name: endless\nduration: 2000000h\ncluster: { brokers: 3 }\ntopics:\n  - { name: orders, partitions: 1, replicas: [[1, 2, 3]] }\nproducers:\n  - { id: checkout, topic: orders, rate: 100/s }\n';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kafkasim-outputs-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
}

const leftovers = () => readdirSync(dir).filter((n) => n.endsWith('.tmp'));

describe('--trace OUT', () => {
  it('refuses to write over the scenario it runs, which stays as it was', async () => {
    const file = write('x.yaml', TINY);
    const r = await cli('run', file, '--trace', file);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`--trace ${file}: that is the input file; refusing to write over it (name another file)`);
    expect(readFileSync(file, 'utf8')).toBe(TINY);
    expect(leftovers()).toEqual([]);
  });

  it('refuses another name of the scenario too (a link named as a scenario input, a hard link as the output)', async () => {
    const file = write('x.yaml', TINY);
    symlinkSync(file, join(dir, 'link.yaml'));
    const viaLink = await cli('run', join(dir, 'link.yaml'), '--trace', file);
    expect(viaLink.code).toBe(2);
    expect(viaLink.stderr).toContain('refusing to write over it');
    spawnSync('ln', [file, join(dir, 'hard.jsonl')]);
    const viaHardLink = await cli('run', file, '--trace', join(dir, 'hard.jsonl'));
    expect(viaHardLink.code).toBe(2);
    expect(readFileSync(file, 'utf8')).toBe(TINY);
  });

  it('replaces a symbolic link at the destination instead of writing through it', async () => {
    const file = write('x.yaml', TINY);
    const target = write('elsewhere.txt', 'keep me\n');
    const link = join(dir, 'out.jsonl');
    symlinkSync(target, link);
    const r = await cli('run', file, '--trace', link, '--json');
    expect(r.code).toBe(0);
    expect(readFileSync(target, 'utf8')).toBe('keep me\n');
    expect(lstatSync(link).isSymbolicLink()).toBe(false);
    expect(readFileSync(link, 'utf8').split('\n').length - 2).toBe(JSON.parse(r.stdout).events); // the header, then the events
  });

  it('a link to the scenario at the destination is replaced, and the scenario stays', async () => {
    const file = write('x.yaml', TINY);
    const link = join(dir, 'out.jsonl');
    symlinkSync(file, link);
    expect((await cli('run', file, '--trace', link)).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(TINY);
    expect(lstatSync(link).isFile()).toBe(true);
  });

  it('a run that stops early (the event limit) leaves the file that was there, and no temporary file', async () => {
    const file = write('endless.yaml', ENDLESS);
    const out = write('out.jsonl', 'the previous trace\n');
    const r = await cli('run', file, '--trace', out, '--event-limit', '20000');
    expect(r.code).toBe(3);
    expect(readFileSync(out, 'utf8')).toBe('the previous trace\n');
    expect(leftovers()).toEqual([]);
  });

  it('a trace that cannot be written is one line naming the path and the error, exit 2', async () => {
    const file = write('x.yaml', TINY);
    const full = await cli('run', file, '--trace', '/dev/full');
    expect(full.code).toBe(2);
    expect(full.stderr).toBe('--trace /dev/full: cannot write (ENOSPC: no space left on the device)');
    const missing = join(dir, 'no', 'such', 'folder', 'out.jsonl');
    const r = await cli('run', file, '--trace', missing);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`--trace ${missing}: cannot write (ENOENT: no such file or folder)`);
    const folder = await cli('run', file, '--trace', dir);
    expect(folder.stderr).toBe(`--trace ${dir}: is a folder; name a file`);
  });

  it('/dev/null and /dev/stdout are written in place, never replaced', async () => {
    const file = write('x.yaml', TINY);
    expect((await cli('run', file, '--trace', '/dev/null')).code).toBe(0);
    expect(lstatSync('/dev/null').isCharacterDevice()).toBe(true);
    // through a shell's pipe, as `kafkasim run x.yaml --trace /dev/stdout | jq` would
    const r = spawnSync('sh', ['-c', `"${process.execPath}" bin/kafkasim.js run "${file}" --trace /dev/stdout --json | cat`], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('{"')).length).toBeGreaterThan(10);
    expect(readlinkSync('/dev/stdout')).toBe('/proc/self/fd/1');
  });
});

describe('other output files', () => {
  it('sweep --out, merge --out and explore --out refuse their inputs at once, before any run', async () => {
    const json = write('s.json', JSON.stringify({ name: 'tiny', duration: '2s', cluster: { brokers: 3 } }));
    const sweep = await cli('sweep', json, '--seeds', '1', '--workers', '1', '--out', json);
    expect(sweep.code).toBe(2);
    expect(sweep.stderr).toBe(`--out ${json}: that is the input file; refusing to write over it (name another file)`);
    const shard = write('shard.json', '{}');
    const merge = await cli('merge', shard, '--out', shard);
    expect(merge.code).toBe(2);
    expect(merge.stderr).toBe(`--out ${shard}: that is the input file; refusing to write over it (name another file)`);
    const yaml = write('s.yaml', TINY);
    const explore = await cli('explore', yaml, '--budget', '1', '--out', yaml);
    expect(explore.code).toBe(2);
    expect(explore.stderr).toBe(`--out ${yaml}: that is the input file; refusing to write over it (name another file)`);
    expect(explore.stdout).toBe('');
    expect(readFileSync(yaml, 'utf8')).toBe(TINY);
    expect(readFileSync(shard, 'utf8')).toBe('{}');
  });

  it('writeOutputFile puts the whole file in place and leaves no temporary file', () => {
    const out = join(dir, 'r.csv');
    writeOutputFile(out, 'a,b\n1,2\n');
    expect(readFileSync(out, 'utf8')).toBe('a,b\n1,2\n');
    expect(leftovers()).toEqual([]);
  });

  it('an output abandoned half-way leaves the old file whole and no temporary file', () => {
    const out = write('r.json', '{"old":true}\n');
    const f = OutputFile.open(out);
    f.write('{"new":');
    expect(leftovers().length).toBe(1);
    f.abort();
    expect(readFileSync(out, 'utf8')).toBe('{"old":true}\n');
    expect(leftovers()).toEqual([]);
  });

  it('a process that exits before committing removes its temporary file', () => {
    const script = `import { OutputFile } from ${JSON.stringify(join(REPO, 'src/cli/outputs.ts'))};\nOutputFile.open(${JSON.stringify(join(dir, 'out.json'))}).write('{');\nprocess.exit(0);\n`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('stdout', () => {
  const bin = join(REPO, 'bin/kafkasim.js');

  it('a full disk (/dev/full) is one line naming it, exit 2, no stack trace', () => {
    const file = write('x.yaml', TINY);
    const fd = openSync('/dev/full', 'w');
    try {
      for (const argv of [['run', file], ['validate', file]]) {
        const r = spawnSync(process.execPath, [bin, ...argv], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', fd, 'pipe'], timeout: 60_000 });
        expect(r.status, argv[0]).toBe(2);
        expect(r.stderr).not.toMatch(STACK_TRACE);
        expect(r.stderr).toBe('kafkasim: cannot write to stdout (/dev/full): ENOSPC: no space left on device\n');
      }
    } finally {
      closeSync(fd);
    }
  });

  it('a reader that leaves (| head) ends the command quietly, exit 0', async () => {
    // 3,000 scenarios validate to ~200 kB of output, more than a pipe holds
    const many = join(dir, 'many');
    mkdirSync(many);
    for (let i = 0; i < 3000; i++) writeFileSync(join(many, `s${String(i).padStart(4, '0')}.yaml`), `name: s${i}\nduration: 1s\ncluster: { brokers: 1 }\n`);
    const child = spawn(process.execPath, [bin, 'validate', many], { cwd: REPO, env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy(); // the reader leaves, as head does after its lines
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const code = await exited;
    clearTimeout(timer);
    expect(stderr).toBe('');
    expect(code).toBe(0);
  }, 90_000);

  it('--trace /dev/stdout into a reader that leaves (| head -1) ends quietly, exit 0', () => {
    const file = write('x.yaml', TINY.replace('2s', '600s')); // ~700 kB of trace: more than a pipe holds
    const r = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" bin/kafkasim.js run "${file}" --trace /dev/stdout --json | head -1`], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^\{"type":"kafkasim-trace",/);
    expect(r.status).toBe(0);
  });

  it('the trace and story of a run, written through a pipe to a full disk, leave no temporary file', () => {
    const file = write('x.yaml', TINY);
    const out = join(dir, 'out.jsonl');
    const fd = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [bin, 'run', file, '--trace', out], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', fd, 'pipe'], timeout: 60_000 });
      expect(r.status).toBe(2);
    } finally {
      closeSync(fd);
    }
    // the trace was complete before the story was printed, so it is in place; nothing half-written is
    expect(existsSync(out)).toBe(true);
    expect(leftovers()).toEqual([]);
  });
});
