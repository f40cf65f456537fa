// The command starts on compiled JavaScript (issue 12): after the build (bin/build.js, which
// `npm install` runs through `prepare`), bin/kafkasim.js runs dist/ and never loads tsx, sweep workers
// included; a source changed after the build is never run stale (the sources run through tsx
// instead, or the command refuses to start without it); `npm pack` ships dist/ and no tests.
//
// All of it happens in a copy of the project whose node_modules has every package but tsx, so any
// path that reaches for tsx fails there; the repository's own dist/ is left alone. No timings here:
// start-up times are measured by hand (hyperfine) and reported, never asserted.
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from './support.ts';

const SCENARIO = 'scenarios/library/acks-1-leader-crash.yaml';
const MARK = 'main.ts edited after the build';
let dir: string;

function kafkasim(...argv: string[]) {
  const r = spawnSync(process.execPath, [join(dir, 'bin', 'kafkasim.js'), ...argv], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function build() {
  const r = spawnSync(process.execPath, [join(dir, 'bin', 'build.js')], { cwd: dir, encoding: 'utf8', timeout: 300_000 });
  expect(r.status, r.stderr).toBe(0);
}

const tsxLink = () => join(dir, 'node_modules', 'tsx');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kafkasim-startup-'));
  for (const p of ['bin', 'sim', 'src', 'scenarios/library', 'tsconfig.json', 'tsconfig.build.json', 'package.json', 'README.md']) {
    cpSync(join(REPO, p), join(dir, p), { recursive: true });
  }
  mkdirSync(join(dir, 'node_modules'));
  for (const name of readdirSync(join(REPO, 'node_modules'))) {
    if (name !== 'tsx' && name !== '.bin') symlinkSync(join(REPO, 'node_modules', name), join(dir, 'node_modules', name));
  }
  build();
}, 300_000);

afterAll(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe('kafkasim start-up', () => {
  it('the copy cannot load tsx, so whatever runs there is compiled code', () => {
    expect(() => createRequire(join(dir, 'bin', 'kafkasim.js')).resolve('tsx/esm/api')).toThrow();
    expect(existsSync(join(dir, 'dist', 'src', 'cli', 'main.js'))).toBe(true);
    expect(existsSync(join(dir, 'dist', 'src', 'experiments', 'worker-entry.mjs'))).toBe(true);
    expect(existsSync(join(dir, 'dist', 'test'))).toBe(false);
    expect(existsSync(join(dir, 'dist', 'viz'))).toBe(false);
  });

  it('--help and validate run from dist/', () => {
    const help = kafkasim('--help');
    expect(help.stderr).toBe('');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('usage: kafkasim <command> [options]');
    const ok = kafkasim('validate', SCENARIO);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('acks-1-leader-crash');
  });

  it('a sweep on two worker threads runs from dist/ too, and its HTML report still finds D3', () => {
    const html = join(dir, 'report.html');
    const r = kafkasim('sweep', SCENARIO, '--set', 'producer.checkout.acks=1,all', '--seeds', '3', '--workers', '2', '--html', html);
    expect(r.stderr).not.toContain('worker failed');
    expect(r.stderr).toContain('on 2 worker(s)');
    expect([0, 1], r.stderr).toContain(r.code);
    expect(r.stdout).toContain('producer.checkout.acks=all');
    expect(readFileSync(html, 'utf8')).toContain('d3js.org');
  });

  it('a source touched after the build is never run stale: without tsx the command refuses to start', () => {
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(dir, 'src', 'cli', 'validate.ts'), later, later);
    const r = kafkasim('validate', SCENARIO);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('kafkasim: cannot start: src/cli/validate.ts changed since the build, and tsx is not installed to run the TypeScript sources; run `npm run build` (or `npm install`)\n');
  });

  it('a source edited after the build runs as edited, through tsx; a rebuild compiles the edit', () => {
    appendFileSync(join(dir, 'src', 'cli', 'main.ts'), `\nprocess.stdout.write(${JSON.stringify(`${MARK}\n`)});\n`);
    symlinkSync(join(REPO, 'node_modules', 'tsx'), tsxLink());
    const viaTsx = kafkasim('--help');
    expect(viaTsx.code, viaTsx.stderr).toBe(0);
    expect(viaTsx.stdout.startsWith(`${MARK}\n`)).toBe(true);
    // Not a terminal: no hint, so piped and tested output stays the command's own.
    expect(viaTsx.stderr).toBe('');

    rmSync(tsxLink());
    build();
    const compiled = kafkasim('--help');
    expect(compiled.stderr).toBe('');
    expect(compiled.code).toBe(0);
    expect(compiled.stdout.startsWith(`${MARK}\n`)).toBe(true);
  }, 300_000);

  it('a new source file, or a deleted one, makes dist/ stale too', () => {
    const extra = join(dir, 'sim', 'extra.ts');
    appendFileSync(extra, 'export {};\n');
    expect(kafkasim('--help').stderr).toContain('sim/extra.ts is new since the build');
    rmSync(extra);
    expect(kafkasim('--help').code).toBe(0);
    appendFileSync(join(dir, 'sim', 'notes.md'), 'not compiled\n');
    expect(kafkasim('--help')).toMatchObject({ code: 0, stderr: '' });
    rmSync(join(dir, 'src', 'experiments', 'stats.ts'));
    expect(kafkasim('--help').stderr).toContain('src/experiments/stats.ts is gone since the build');
    cpSync(join(REPO, 'src', 'experiments', 'stats.ts'), join(dir, 'src', 'experiments', 'stats.ts'));
  });

  it('npm pack ships bin/kafkasim.js and dist/ with its type declarations, not the tests, the sources or the build stamp', () => {
    const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const files = (JSON.parse(r.stdout) as { files: { path: string }[] }[])[0].files.map((f) => f.path);
    expect(files).toContain('bin/kafkasim.js');
    expect(files).toContain('dist/src/cli/main.js');
    expect(files).toContain('dist/src/experiments/worker-entry.mjs');
    expect(files).toContain('dist/src/experiments/worker.js');
    expect(files).toContain(SCENARIO);
    expect(files).toContain('dist/src/api/index.d.ts'); // the programmatic API's types (package.json exports)
    const source = (f: string) => f.endsWith('.ts') && !f.endsWith('.d.ts');
    expect(files.filter((f) => /^(test|src|sim|viz)\//.test(f) || source(f) || f === 'dist/build-stamp.json' || f === 'bin/build.js')).toEqual([]);
  });

  it('installed as a package (dist/ without the sources beside it), it runs dist/ with no check', () => {
    rmSync(join(dir, 'src'), { recursive: true });
    rmSync(join(dir, 'sim'), { recursive: true });
    rmSync(join(dir, 'dist', 'build-stamp.json'));
    const r = kafkasim('validate', SCENARIO);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});
