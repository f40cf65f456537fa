// Runs the kafkasim command in-process with captured output, and as a real child process.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import type { Out } from '../../src/cli/io.ts';

export const REPO = join(import.meta.dirname, '..', '..');

export interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

export async function cli(...argv: string[]): Promise<Captured> {
  const out: string[] = [];
  const err: string[] = [];
  const o: Out = { out: (l) => out.push(l), err: (l) => err.push(l), color: false };
  const code = await main(argv, o);
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

/** The real command, as a user runs it (bin/kafkasim.js through tsx). */
export function cliProcess(...argv: string[]): Captured {
  const r = spawnSync(process.execPath, [join(REPO, 'bin', 'kafkasim.js'), ...argv], {
    cwd: REPO,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 120_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export const STACK_TRACE = /^\s+at .+[:(]\d+/m;
