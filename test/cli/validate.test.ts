// `kafkasim validate` and usage errors: every malformed scenario of the corpus exits 2 with
// `file:line:column  path  message` lines naming the right place, and never a stack trace.
import { describe, it, expect } from 'vitest';
import { invalidFiles, validFiles } from '../scenario/corpus.ts';
import { cli, cliProcess, STACK_TRACE } from './support.ts';

describe('kafkasim validate', () => {
  const invalid = invalidFiles();

  it('has a corpus of at least 25 malformed scenarios', () => {
    expect(invalid.length).toBeGreaterThanOrEqual(25);
  });

  it.each(invalid.map((f) => [f.name, f] as const))('%s: exit 2, each error at its line and path', async (_name, f) => {
    const r = await cli('validate', f.file);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(STACK_TRACE);
    for (const e of f.errors) {
      const where = `${f.file}:${e.line}:${e.column}  ${e.path === '' ? '' : `${e.path}  `}`;
      const line = r.stderr.split('\n').find((l) => l.startsWith(where));
      expect(line, `no error at ${where} in:\n${r.stderr}`).toBeDefined();
      expect(line).toContain(e.fragment);
    }
  });

  it.each(validFiles().map((f) => [f.name, f.file] as const))('%s is valid: exit 0', async (_name, file) => {
    const r = await cli('validate', file);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});

describe('usage', () => {
  it('an unknown command is exit 2 and lists the commands', async () => {
    const r = await cli('frobnicate');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command 'frobnicate'");
    expect(r.stderr).toContain('validate');
  });

  it('an unknown flag is exit 2 and names it', async () => {
    const r = await cli('run', 'x.yaml', '--sede', '3');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown flag '--sede'");
  });

  it.each(['run', 'check', 'describe', 'validate'])('%s --help prints usage, exit 0', async (cmd) => {
    const r = await cli(cmd, '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`kafkasim ${cmd}`);
  });

  it('a missing file is exit 2 with the path, not a stack trace', async () => {
    const r = await cli('validate', 'no/such/file.yaml');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no/such/file.yaml: cannot read scenario (no such file)');
  });

  it('the real process prints no stack trace for bad input', () => {
    const bad = invalidFiles().find((f) => f.name === 'several-mistakes.yaml')!;
    const r = cliProcess('validate', bad.file);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(STACK_TRACE);
    expect(r.stderr.trim().split('\n').length).toBeGreaterThanOrEqual(bad.errors.length);
  });
});
