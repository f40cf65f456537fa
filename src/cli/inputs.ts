// The files a command reads: scenario files, shard files, golden files, and the folders `check DIR` and
// `validate DIR` walk. Only regular files are read, and that is decided by fstat on a non-blocking
// open before any byte is read: a FIFO would block readFileSync forever, a device never ends. The walk
// follows symbolic links but never into a folder it has already entered (by real path), so a link
// loop (`self -> .`) ends, and a link it cannot follow is an error naming it, not a crash.

import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readFileSync, readlinkSync, realpathSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { decodeScenarioBytes, formatError, MAX_SCENARIO_BYTES } from '../scenario/index.ts';
import { tooLargeMessage } from '../scenario/text.ts';
import { UsageError } from './args.ts';

/** A scenario file that cannot be used: every message, printed as is (exit 2). */
export class BadScenario extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join('\n'));
  }
}

/** A file that could not be opened or is not a regular file: why, in words. */
export class Unreadable extends Error {}

/** What a stat says a path is, for a message: 'a FIFO (named pipe)'. */
export function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

/** An open or stat error, in words; a dangling link says where it points. */
export function describeError(path: string, err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e.code) {
    case 'ENOENT': {
      const target = linkTarget(path);
      return target === undefined ? 'no such file' : `a symbolic link to '${target}', which does not exist`;
    }
    case 'EISDIR':
      return 'is a folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'a loop of symbolic links';
    case 'ENOTDIR':
      return 'a part of the path is not a folder';
    default:
      return e.code ?? e.message;
  }
}

function linkTarget(path: string): string | undefined {
  try {
    return lstatSync(path).isSymbolicLink() ? readlinkSync(path) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The bytes of a regular file. Opened non-blocking so that a FIFO with no writer does not block the
 * open, then refused by fstat (of the descriptor, so nothing can swap the file in between) unless it
 * is a regular file, and refused when larger than `maxBytes` before it is read.
 */
export function readRegularFile(path: string, maxBytes = Number.POSITIVE_INFINITY, tooLarge?: (size: number) => Error): Buffer {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw new Unreadable(describeError(path, err));
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new Unreadable(st.isDirectory() ? 'is a folder' : `${kindOf(st)}, not a regular file`);
    if (st.size > maxBytes) throw tooLarge ? tooLarge(st.size) : new Unreadable(`${st.size} bytes, more than the ${maxBytes} allowed`);
    return readFileSync(fd);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === undefined) throw err; // ours: Unreadable, or the caller's tooLarge
    throw new Unreadable(describeError(path, err));
  } finally {
    closeSync(fd);
  }
}

/**
 * A scenario file's text. A file that cannot be read is a UsageError naming it (`x.yaml: cannot read
 * scenario (no such file)`); one too large or not UTF-8, a BadScenario at its line and column.
 */
export function readScenarioFile(path: string): string {
  let bytes: Buffer;
  try {
    bytes = readRegularFile(path, MAX_SCENARIO_BYTES, (size) => new BadScenario([formatError({ file: path, line: 1, column: 1, path: '', message: tooLargeMessage(size) })]));
  } catch (err) {
    if (err instanceof Unreadable) throw new UsageError(`${path}: cannot read scenario (${err.message})`);
    throw err;
  }
  const decoded = decodeScenarioBytes(bytes, path);
  if ('error' in decoded) throw new BadScenario([formatError(decoded.error)]);
  return decoded.text;
}

/** Reads a file a command was given (not a scenario); a failure is a usage error naming the path. */
export function readInputFile(path: string): string {
  try {
    return readRegularFile(path).toString('utf8');
  } catch (err) {
    if (err instanceof Unreadable) throw new UsageError(`${path}: cannot read (${err.message})`);
    throw err;
  }
}

/** One scenario path found by expandScenarioPaths; `unreadable` says why it cannot even be looked at. */
export interface ScenarioPath {
  path: string;
  unreadable?: string;
}

const SCENARIO_NAME = /\.(ya?ml|json)$/;
/** Recorded traces, not scenarios. */
const SKIPPED_FOLDERS = new Set(['golden', 'node_modules']);

/**
 * Expands folders into the scenario files they hold (sorted, recursive), keeping files as given (a
 * missing one is reported by its reader). A folder named `golden` holds recorded traces, not
 * scenarios, and JSON Schemas are not scenarios.
 */
export function expandScenarioPaths(paths: string[]): ScenarioPath[] {
  const found: ScenarioPath[] = [];
  const entered = new Set<string>();
  for (const p of paths) {
    let isDir = false;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      // reported as unreadable when it is read
    }
    if (isDir) walk(p, entered, found);
    else found.push({ path: p });
  }
  return found;
}

function walk(dir: string, entered: Set<string>, found: ScenarioPath[]): void {
  let names: string[];
  try {
    const real = realpathSync(dir);
    if (entered.has(real)) return; // a link back into a folder already walked: a loop, or the same files twice
    entered.add(real);
    names = readdirSync(dir).sort();
  } catch (err) {
    found.push({ path: dir, unreadable: `${dir}: cannot read folder (${describeError(dir, err)})` });
    return;
  }
  for (const name of names) {
    // an editor's lock file (`.#quickstart.yaml`, a link to nowhere) is not a scenario
    if (name.startsWith('.#')) continue;
    const full = join(dir, name);
    let st: Stats;
    try {
      st = statSync(full); // follows links: a linked folder is walked, a linked file read
    } catch (err) {
      // a link that cannot be followed: an error when its name says it is a scenario; otherwise it could be anything
      if (SCENARIO_NAME.test(name)) found.push({ path: full, unreadable: `${full}: cannot read scenario (${describeError(full, err)})` });
      continue;
    }
    if (st.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(name)) walk(full, entered, found);
    } else if (SCENARIO_NAME.test(name) && !name.endsWith('.schema.json')) {
      found.push({ path: full }); // a FIFO or device named like a scenario is refused by its reader, unread
    }
  }
}
