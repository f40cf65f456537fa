// Files a command writes (--trace, --out, --html, explore's found scenario, golden traces), written so
// that a file at its name is always complete: the bytes go to a temporary file in the same folder,
// which is renamed over the name only when everything was written and flushed to disk. An interrupted
// or failed command leaves the old file (or none), never a partial one that looks complete.
//
// Written over: never an input of the command (compared by device and inode, so another name of the
// same file is caught too); never a folder. A symbolic link at the name is replaced, not followed. A
// stream (/dev/stdout, /dev/null, a FIFO, anything in /dev or /proc) is written in place as it comes:
// it is not a file that could look complete, and renaming over a device node would replace it.

import { accessSync, closeSync, constants, fsyncSync, lstatSync, openSync, realpathSync, renameSync, statSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UsageError } from './args.ts';

/** What the output is, for messages: `--trace out.jsonl`. */
export interface OutputOptions {
  /** The flag that named the file, for messages (`--trace`); none: the path alone. */
  flag?: string;
  /** Files the command reads: the output must not be any of them. */
  inputs?: readonly string[];
}

const BUFFER_BYTES = 1 << 18;

/** Output files whose temporary file exists: removed when the process exits without committing them. */
const pending = new Set<OutputFile>();
let exitHookInstalled = false;

function removeOnExit(f: OutputFile): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const p of [...pending]) p.abort();
    });
  }
  pending.add(f);
}

function errorText(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const words: Record<string, string> = {
    ENOSPC: 'no space left on the device', EDQUOT: 'disk quota exceeded', EACCES: 'permission denied', EPERM: 'permission denied',
    EROFS: 'read-only file system', ENOENT: 'no such file or folder', EISDIR: 'is a folder', ENOTDIR: 'a part of the path is not a folder', EIO: 'input/output error',
    EPIPE: 'the reading end was closed', EFBIG: 'file too large',
  };
  // Node's message repeats the code and names the call: `ENXIO: no such device or address, open '/dev/stdout'`
  return e.code ? `${e.code}: ${words[e.code] ?? e.message.replace(`${e.code}: `, '').replace(/, \w+( '.*')?$/, '')}` : e.message;
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

/** A device, FIFO or socket, or a name in /dev or /proc: written in place, never renamed over. */
function isStream(path: string, st: Stats | undefined): boolean {
  if (st && !st.isFile() && !st.isDirectory() && !st.isSymbolicLink()) return true;
  let folder: string;
  try {
    folder = realpathSync(dirname(path));
  } catch {
    return false;
  }
  return /^\/(dev|proc)(\/|$)/.test(folder);
}

const describe = (path: string, opts: OutputOptions) => (opts.flag ? `${opts.flag} ${path}` : path);

/**
 * Refuses an output path that is a folder or one of the command's inputs (the same file by device and
 * inode: `--trace x.yaml` for x.yaml, a hard link to it). A command checks its outputs this way before
 * its work, and again when it writes them. Returns what lstat says is at the path now.
 */
export function checkOutputPath(path: string, opts: OutputOptions = {}): Stats | undefined {
  const what = describe(path, opts);
  const st = lstatOrUndefined(path);
  if (st?.isDirectory()) throw new UsageError(`${what}: is a folder; name a file`);
  if (st === undefined) return st;
  for (const input of opts.inputs ?? []) {
    let inSt: Stats;
    try {
      inSt = statSync(input);
    } catch {
      continue;
    }
    if (st.dev === inSt.dev && st.ino === inSt.ino) {
      throw new UsageError(`${what}: that is ${input === path ? 'the input file' : `the input file ${input}`}; refusing to write over it (name another file)`);
    }
  }
  return st;
}

/**
 * checkOutputPath, and also that the file's folder exists and may be written in: for a command whose
 * work takes minutes (sweep, explore), so that a mistyped folder fails before the work, not after it
 * with nothing written.
 */
export function checkWritableOutput(path: string, opts: OutputOptions = {}): void {
  const st = checkOutputPath(path, opts);
  if (isStream(path, st)) return;
  const folder = dirname(path);
  try {
    if (!statSync(folder).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    accessSync(folder, constants.W_OK);
  } catch (err) {
    throw new UsageError(`${describe(path, opts)}: cannot write (${errorText(err)})`);
  }
}

/** A stream output's reader left (`--trace /dev/stdout | head`): the command ends quietly, as on stdout. */
export class ReaderLeft extends Error {}

/** An output being written; commit() puts it in place, abort() removes every trace of it. */
export class OutputFile {
  private fd: number | undefined;
  private readonly temp: string | undefined;
  /** Text is encoded into this buffer at once, so a written line does not outlive the call (memory flat). */
  private readonly buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  private buffered = 0;
  private done = false;

  private constructor(
    readonly path: string,
    private readonly what: string,
    private readonly stream: boolean,
  ) {
    if (stream) {
      this.fd = this.attempt(() => openSync(path, constants.O_WRONLY | constants.O_APPEND));
      return;
    }
    // hidden, and not named like a scenario, so `check DIR` never picks one up
    const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Math.floor(Math.random() * 1e9).toString(36)}.tmp`);
    this.fd = this.attempt(() => openSync(temp, 'wx', 0o666));
    this.temp = temp;
    removeOnExit(this);
  }

  /** Opens `path` for writing, after checking it is not an input or a folder (checkOutputPath). */
  static open(path: string, opts: OutputOptions = {}): OutputFile {
    const st = checkOutputPath(path, opts);
    return new OutputFile(path, describe(path, opts), isStream(path, st));
  }

  /** Appends text; written to the file in large chunks. */
  write(text: string): void {
    if (text.length * 3 > BUFFER_BYTES - this.buffered) {
      this.flush();
      if (text.length * 3 > BUFFER_BYTES) return this.writeBytes(Buffer.from(text, 'utf8'));
    }
    this.buffered += this.buffer.write(text, this.buffered, 'utf8');
  }

  /** Appends bytes (a gzip member, say), after the text written so far. */
  writeBytes(bytes: Uint8Array): void {
    this.flush();
    const fd = this.fd!;
    this.attempt(() => writeAll(fd, bytes));
  }

  /** Writes what is buffered, flushes it to disk and renames the file into place. */
  commit(): void {
    if (this.done) return;
    this.flush();
    const fd = this.fd!;
    this.attempt(() => {
      if (this.temp !== undefined) fsyncSync(fd);
      closeSync(fd);
    });
    this.fd = undefined;
    if (this.temp !== undefined) this.attempt(() => renameSync(this.temp!, this.path));
    this.done = true;
    pending.delete(this);
  }

  /** Closes and removes the temporary file; the name keeps what it had. Safe to call twice. */
  abort(): void {
    if (this.done) return;
    this.done = true;
    pending.delete(this);
    this.buffered = 0;
    if (this.fd !== undefined) {
      try {
        closeSync(this.fd);
      } catch {
        // already failing; the removal below is what matters
      }
      this.fd = undefined;
    }
    if (this.temp !== undefined) {
      try {
        unlinkSync(this.temp);
      } catch {
        // gone already
      }
    }
  }

  private flush(): void {
    if (this.buffered === 0) return;
    const bytes = this.buffer.subarray(0, this.buffered);
    this.buffered = 0;
    const fd = this.fd!;
    this.attempt(() => writeAll(fd, bytes));
  }

  /** Runs a file operation; a failure aborts the output and is a usage error naming the path (exit 2). */
  private attempt<T>(op: () => T): T {
    try {
      return op();
    } catch (err) {
      this.abort();
      if (this.stream && (err as NodeJS.ErrnoException).code === 'EPIPE') throw new ReaderLeft(this.what);
      throw new UsageError(`${this.what}: cannot write (${errorText(err)})`);
    }
  }
}

/** writeSync may write less than it was given (a pipe, a signal): write the rest. */
function writeAll(fd: number, bytes: Uint8Array): void {
  let at = 0;
  while (at < bytes.length) at += writeSync(fd, bytes, at, bytes.length - at);
}

/** Writes a whole output file safely (see OutputFile); a failure is a usage error naming the path, exit 2. */
export function writeOutputFile(path: string, content: string | Uint8Array, opts: OutputOptions = {}): void {
  const out = OutputFile.open(path, opts);
  if (typeof content === 'string') out.write(content);
  else out.writeBytes(content);
  out.commit();
}
