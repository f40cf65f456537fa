// Golden traces for `check --golden`: each library scenario's trace hash is recorded in a committed
// file, with its gzipped trace beside it, so that when a hash changes the command can print the first
// event where the new trace departs from the recorded one — the cause, not just "hash mismatch".
// `--update-golden` re-records on purpose.
//
// Memory stays flat in the length of a run: a run's trace is never held whole. Verifying compares the
// streamed hash; only when it differs is the scenario replayed, its lines compared one by one with the
// recorded trace (decompressed to a temporary file, read a chunk at a time) until the first that differs.
// Recording gzips the lines as they come, in members of a few MiB (one member, the same bytes as
// before, for any trace of the library), through a temporary file renamed into place.

import { closeSync, createReadStream, createWriteStream, existsSync, mkdirSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { pipeline } from 'node:stream/promises';
import { createGunzip, gzipSync } from 'node:zlib';
import type { TraceSink } from '../../sim/engine/trace.ts';
import { formatTime } from '../../sim/engine/index.ts';
import { UsageError } from './args.ts';
import { readInputFile } from './inputs.ts';
import type { Out } from './io.ts';
import { OutputFile, writeOutputFile } from './outputs.ts';

export type GoldenMode = 'off' | 'verify' | 'update';

interface GoldenEntry {
  hash: string;
  events: number;
  file: string;
}

interface GoldenFile {
  comment: string;
  scenarios: Record<string, GoldenEntry>;
}

/** What a finished run offers the golden check: its streamed hash and count. */
export interface TraceSummary {
  hash(): string;
  readonly count: number;
}

/** Runs the scenario again, exactly, with its trace lines going to `sink`. */
export type Replay = (sink: TraceSink) => Promise<void>;

/** The golden check of one run. */
export interface GoldenRun {
  /** Where the run's trace lines go (recording them), if anywhere. */
  sink?: TraceSink;
  /** After the run: lines describing the departure from the recorded trace, or undefined if it matches (or was recorded). */
  finish(trace: TraceSummary, replay: Replay): Promise<string[] | undefined>;
  /** The run failed: what was being recorded is dropped. */
  abort(): void;
}

export interface GoldenCheck {
  /** The check of one scenario's run; undefined when there is none (no --golden). */
  begin(file: string, name: string): GoldenRun | undefined;
  finish(files: string[]): void;
}

/** Recorded traces sit beside the hash file: scenarios/golden/<name>.jsonl.gz. */
function tracePath(goldenFile: string, name: string): string {
  return join(dirname(goldenFile), `${name}.jsonl.gz`);
}

function load(goldenFile: string): GoldenFile {
  if (!existsSync(goldenFile)) return { comment: '', scenarios: {} };
  try {
    return JSON.parse(readInputFile(goldenFile)) as GoldenFile;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`${goldenFile}: not a golden-trace file (${(err as Error).message})`);
  }
}

/** The report of where two traces part: event #index (0-based) differs; `both` is the last line they share. */
function departureLines(index: number, both: string | undefined, recorded: string | undefined, now: string | undefined): string[] {
  const t = (line: string | undefined) => {
    if (line === undefined) return '';
    const m = /"t":(\d+)/.exec(line);
    return m ? ` at ${formatTime(Number(m[1]))}` : '';
  };
  const lines = [`the trace departs from the recorded one at event #${index + 1}${t(now ?? recorded)}:`];
  if (both !== undefined) lines.push(`  both:     ${both}`);
  lines.push(`  recorded: ${recorded ?? '(end of trace)'}`);
  lines.push(`  now:      ${now ?? '(end of trace)'}`);
  return lines;
}

/** The first line where two traces differ, with both versions. */
export function firstDeparture(recorded: string[], now: string[]): string[] {
  const n = Math.min(recorded.length, now.length);
  let i = 0;
  while (i < n && recorded[i] === now[i]) i++;
  return departureLines(i, i > 0 ? recorded[i - 1] : undefined, recorded[i], now[i]);
}

/** The lines of a text file, one at a time, read in chunks: memory flat in the file's length. */
export class LineReader {
  private readonly fd: number;
  private readonly chunk = Buffer.alloc(1 << 16);
  private readonly decoder = new StringDecoder('utf8');
  private text = '';
  private at = 0;
  private eof = false;

  constructor(path: string) {
    this.fd = openSync(path, 'r');
  }

  /** The next line without its "\n", or undefined at the end. */
  next(): string | undefined {
    for (;;) {
      const nl = this.text.indexOf('\n', this.at);
      if (nl >= 0) {
        const line = this.text.slice(this.at, nl);
        this.at = nl + 1;
        return line;
      }
      if (this.eof) {
        if (this.at >= this.text.length) return undefined;
        const last = this.text.slice(this.at);
        this.at = this.text.length;
        return last;
      }
      const n = readSync(this.fd, this.chunk, 0, this.chunk.length, null);
      this.text = this.text.slice(this.at) + (n === 0 ? this.decoder.end() : this.decoder.write(this.chunk.subarray(0, n)));
      this.at = 0;
      this.eof = n === 0;
    }
  }

  close(): void {
    closeSync(this.fd);
  }
}

const DEPARTED = new Error('departed');

/** Replays the run against the recorded trace and reports the first event where they part. */
async function findDeparture(recordedGz: string, replay: Replay): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'kafkasim-golden-'));
  try {
    const plain = join(dir, 'recorded.jsonl');
    await pipeline(createReadStream(recordedGz), createGunzip(), createWriteStream(plain));
    const recorded = new LineReader(plain);
    try {
      let index = 0;
      let both: string | undefined;
      let parted: { recorded: string | undefined; now: string | undefined } | undefined;
      try {
        await replay((line) => {
          const was = recorded.next();
          if (was === line) {
            both = line;
            index++;
            return;
          }
          parted = { recorded: was, now: line };
          throw DEPARTED; // the rest of the run cannot change where it departed
        });
      } catch (err) {
        if (err !== DEPARTED) throw err;
      }
      parted ??= { recorded: recorded.next(), now: undefined };
      if (parted.recorded === undefined && parted.now === undefined) {
        return ['the recorded trace has the same events: its recorded hash is stale (re-record with --update-golden)'];
      }
      return departureLines(index, both, parted.recorded, parted.now);
    } finally {
      recorded.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Gzips text as it comes, in members of about MEMBER_BYTES (concatenated members are one gzip stream).
 * The text is written into one byte buffer as it arrives, not kept as strings: a trace line is often
 * a rope of many small pieces, and 8 MB of lines kept as ropes would cost several times that.
 */
const MEMBER_BYTES = 8 << 20;

class GzipWriter {
  private buffer = Buffer.allocUnsafe(MEMBER_BYTES);
  private size = 0;
  private members = 0;

  constructor(private readonly out: OutputFile) {}

  write(text: string): void {
    const most = text.length * 3; // a UTF-16 code unit takes at most 3 bytes of UTF-8
    if (this.size + most > this.buffer.length) {
      if (this.size > 0) this.member();
      if (most > this.buffer.length) this.buffer = Buffer.allocUnsafe(most);
    }
    this.size += this.buffer.write(text, this.size, 'utf8');
  }

  end(): void {
    if (this.size > 0 || this.members === 0) this.member();
  }

  private member(): void {
    this.out.writeBytes(gzipSync(this.buffer.subarray(0, this.size), { level: 9 }));
    this.size = 0;
    this.members++;
  }
}

export function goldenCheck(mode: GoldenMode, goldenFile: string, o: Out): GoldenCheck {
  if (mode === 'off') return { begin: () => undefined, finish: () => {} };
  if (mode === 'verify' && !existsSync(goldenFile)) throw new UsageError(`--golden: ${goldenFile} does not exist (record it with --update-golden)`);
  const golden = load(goldenFile);
  const verify = (name: string): GoldenRun => ({
    async finish(trace, replay) {
      const hash = trace.hash();
      const entry = golden.scenarios[name];
      if (!entry) return [`no golden trace is recorded for ${name} in ${goldenFile} (record it with --update-golden)`];
      if (entry.hash === hash) return undefined;
      const lines = [`trace hash ${hash.slice(0, 16)}… differs from the recorded ${entry.hash.slice(0, 16)}… (${trace.count} events, recorded ${entry.events})`];
      const path = tracePath(goldenFile, name);
      if (!existsSync(path)) return [...lines, `(no recorded trace at ${path} to compare against)`];
      return [...lines, ...(await findDeparture(path, replay))];
    },
    abort() {},
  });
  const record = (file: string, name: string): GoldenRun => {
    const path = tracePath(goldenFile, name);
    mkdirSync(dirname(path), { recursive: true });
    const out = OutputFile.open(path, { inputs: [file] });
    const gz = new GzipWriter(out);
    return {
      sink: (line) => gz.write(line + '\n'),
      async finish(trace) {
        gz.end();
        out.commit();
        golden.scenarios[name] = { hash: trace.hash(), events: trace.count, file };
        return undefined;
      },
      abort: () => out.abort(),
    };
  };
  return {
    begin: (file, name) => (mode === 'update' ? record(file, name) : verify(name)),
    finish(files) {
      if (mode !== 'update') return;
      const sorted: Record<string, GoldenEntry> = {};
      for (const k of Object.keys(golden.scenarios).sort()) sorted[k] = golden.scenarios[k];
      golden.scenarios = sorted;
      golden.comment = 'Trace hashes of the scenario library, checked by `kafkasim check --golden`; re-record with --update-golden.';
      mkdirSync(dirname(goldenFile), { recursive: true });
      writeOutputFile(goldenFile, JSON.stringify(golden, null, 2) + '\n', { inputs: files });
      o.err(`recorded ${files.length} golden trace(s) in ${goldenFile}`);
    },
  };
}
