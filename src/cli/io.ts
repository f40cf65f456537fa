// Output helpers for the CLI: colour only on a terminal and never when NO_COLOR is set
// (https://no-color.org), and reading scenario files with errors that name the file.
import { readFileSync, statSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from './args.ts';

export interface Out {
  out(line: string): void;
  err(line: string): void;
  color: boolean;
  /** stderr is a terminal: progress may draw a bar there. */
  stderrTTY?: boolean;
}

export function processOut(): Out {
  const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
  // `kafkasim run FILE | head`: the reader left; stop quietly instead of dying on EPIPE with a stack trace
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  return {
    out: (line) => process.stdout.write(line + '\n'),
    err: (line) => process.stderr.write(line + '\n'),
    color,
    stderrTTY: Boolean(process.stderr.isTTY),
  };
}

const CODES = { red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, gray: 90, bold: 1 } as const;
export type Colour = keyof typeof CODES;

export function paint(o: Out, colour: Colour, text: string): string {
  return o.color ? `\x1b[${CODES[colour]}m${text}\x1b[0m` : text;
}

export function readScenarioFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : String(code ?? err);
    throw new UsageError(`${path}: cannot read scenario (${why})`);
  }
}

/**
 * Expands directories into the scenario files they hold (sorted, recursive), keeping files as given.
 * A folder named `golden` holds recorded traces, not scenarios, and JSON Schemas are not scenarios.
 */
export function expandScenarioPaths(paths: string[]): string[] {
  const files: string[] = [];
  for (const p of paths) {
    let isDir = false;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      files.push(p); // reported as unreadable by the caller
      continue;
    }
    if (!isDir) files.push(p);
    else files.push(...scenarioFilesIn(p));
  }
  return files;
}

function scenarioFilesIn(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) {
      if (name !== 'golden' && name !== 'node_modules') found.push(...scenarioFilesIn(full));
    }
    else if (/\.(ya?ml|json)$/.test(name) && !name.endsWith('.schema.json')) found.push(full);
  }
  return found;
}

/** Writes an output file (--out, --html); a failure is a usage error naming the path, exit 2. */
export function writeOutputFile(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new UsageError(`${path}: cannot write (${e.code ?? e.message})`);
  }
}

/** Reads a file a command was given (not a scenario); a failure is a usage error naming the path. */
export function readInputFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new UsageError(`${path}: cannot read (${e.code === 'ENOENT' ? 'no such file' : e.code ?? e.message})`);
  }
}
