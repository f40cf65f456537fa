// Golden traces for `check --golden`: each library scenario's trace hash is recorded in a committed
// file, with its gzipped trace beside it, so that when a hash changes the command can print the first
// event where the new trace departs from the recorded one — the cause, not just "hash mismatch".
// `--update-golden` re-records on purpose.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { TraceRecorder } from '../../sim/engine/index.ts';
import { formatTime } from '../../sim/engine/index.ts';
import { UsageError } from './args.ts';
import type { Out } from './io.ts';

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

export interface GoldenCheck {
  /** Whether runs must keep their trace in memory (to compare or record it). */
  needsTrace: boolean;
  /** Lines describing the departure from the recorded trace, or undefined if it matches. */
  compare(file: string, name: string, trace: TraceRecorder): string[] | undefined;
  finish(files: string[]): void;
}

/** Recorded traces sit beside the hash file: scenarios/golden/<name>.jsonl.gz. */
function tracePath(goldenFile: string, name: string): string {
  return join(dirname(goldenFile), `${name}.jsonl.gz`);
}

function load(goldenFile: string): GoldenFile {
  if (!existsSync(goldenFile)) return { comment: '', scenarios: {} };
  try {
    return JSON.parse(readFileSync(goldenFile, 'utf8')) as GoldenFile;
  } catch (err) {
    throw new UsageError(`${goldenFile}: not a golden-trace file (${(err as Error).message})`);
  }
}

/** The first line where two traces differ, with both versions. */
export function firstDeparture(recorded: string[], now: string[]): string[] {
  const n = Math.min(recorded.length, now.length);
  let i = 0;
  while (i < n && recorded[i] === now[i]) i++;
  const t = (line: string | undefined) => {
    if (line === undefined) return '';
    const m = /"t":(\d+)/.exec(line);
    return m ? ` at ${formatTime(Number(m[1]))}` : '';
  };
  const lines = [`the trace departs from the recorded one at event #${i + 1}${t(now[i] ?? recorded[i])}:`];
  if (i > 0) lines.push(`  both:     ${recorded[i - 1]}`);
  lines.push(`  recorded: ${recorded[i] ?? '(end of trace)'}`);
  lines.push(`  now:      ${now[i] ?? '(end of trace)'}`);
  return lines;
}

export function goldenCheck(mode: GoldenMode, goldenFile: string, o: Out): GoldenCheck {
  if (mode === 'off') return { needsTrace: false, compare: () => undefined, finish: () => {} };
  const golden = load(goldenFile);
  if (mode === 'verify' && !existsSync(goldenFile)) throw new UsageError(`--golden: ${goldenFile} does not exist (record it with --update-golden)`);
  return {
    needsTrace: true,
    compare(file, name, trace) {
      const hash = trace.hash();
      if (mode === 'update') {
        golden.scenarios[name] = { hash, events: trace.count, file };
        const path = tracePath(goldenFile, name);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, gzipSync(trace.toJSONL(), { level: 9 }));
        return undefined;
      }
      const entry = golden.scenarios[name];
      if (!entry) return [`no golden trace is recorded for ${name} in ${goldenFile} (record it with --update-golden)`];
      if (entry.hash === hash) return undefined;
      const lines = [`trace hash ${hash.slice(0, 16)}… differs from the recorded ${entry.hash.slice(0, 16)}… (${trace.count} events, recorded ${entry.events})`];
      const path = tracePath(goldenFile, name);
      if (!existsSync(path)) return [...lines, `(no recorded trace at ${path} to compare against)`];
      const recorded = gunzipSync(readFileSync(path)).toString('utf8').split('\n');
      return [...lines, ...firstDeparture(recorded, trace.toJSONL().split('\n'))];
    },
    finish(files) {
      if (mode !== 'update') return;
      const sorted: Record<string, GoldenEntry> = {};
      for (const k of Object.keys(golden.scenarios).sort()) sorted[k] = golden.scenarios[k];
      golden.scenarios = sorted;
      golden.comment = 'Trace hashes of the scenario library, checked by `kafkasim check --golden`; re-record with --update-golden.';
      mkdirSync(dirname(goldenFile), { recursive: true });
      writeFileSync(goldenFile, JSON.stringify(golden, null, 2) + '\n');
      o.err(`recorded ${files.length} golden trace(s) in ${goldenFile}`);
    },
  };
}
