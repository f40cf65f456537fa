// Fuzz: thousands of random mutations of the library's scenario files (test/fuzz/mutate.ts): each
// mutant either still validates (then it must also run without crashing) or is refused with errors
// that each name a real place in the file, one line per error, never a stack trace or an internal
// error. Most mutants go straight to parseScenario; a sample goes through `kafkasim validate` as a
// file, checking the exit code (2) and every stderr line (`file:line:column  path  message`).
//
// Deterministic: mutation i uses the seed "mutation:i", the same cases on every CI run.
//   FUZZ_MUTATIONS=50000 npx vitest run --project unit test/fuzz/mutations.test.ts   a long local run
//   FUZZ_MUTATION_FIRST=100000                                                      other seeds
//   FUZZ_MUTANT_RUNS=500                                                            run more valid mutants

import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatError, parseScenario, type ScenarioError, type Scenario } from '../../src/scenario/index.ts';
import type { ClusterSpec } from '../../sim/kafka/spec.ts';
import { cli, REPO, STACK_TRACE } from '../cli/support.ts';
import { Rand } from './generate.ts';
import { mutate } from './mutate.ts';
import { runIsolated } from './isolated.ts';

const envInt = (name: string, fallback: number): number => {
  const v = process.env[name];
  return v === undefined || v === '' ? fallback : Number.parseInt(v, 10);
};

const COUNT = envInt('FUZZ_MUTATIONS', 4000);
const FIRST = envInt('FUZZ_MUTATION_FIRST', 0);
/** Valid mutants run at most this many (distinct texts), each cut short to a small load. */
const MUTANT_RUNS = envInt('FUZZ_MUTANT_RUNS', 30);
/** Every Nth mutant also goes through `kafkasim validate FILE` as a real file. */
const CLI_EVERY = 10;
/** A valid mutant runs until about this many records were produced (or 5 s, or its end). */
const RECORD_BUDGET = 500;
const OUT_DIR = join(tmpdir(), 'kafkasim-fuzz', 'mutations');
const FOUND_INVALID = join(import.meta.dirname, 'found', 'invalid');
const timeout = Math.max(60_000, COUNT * 30);

interface Source {
  file: string;
  /** As printed: relative to the repository. */
  name: string;
  text: string;
  json: boolean;
}

/** The library (scenarios/**​/*.yaml) and the valid fixtures (every key of the format, a JSON file). */
function sources(): Source[] {
  const out: string[] = [];
  const walk = (dir: string, pattern: RegExp): void => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path, pattern);
      else if (pattern.test(entry)) out.push(path);
    }
  };
  walk(join(REPO, 'scenarios'), /\.ya?ml$/); // YAML only: the schema and the golden hashes are JSON
  walk(join(REPO, 'test', 'fixtures', 'scenarios', 'valid'), /\.(ya?ml|json)$/);
  return out.map((file) => ({ file, name: relative(REPO, file), text: readFileSync(file, 'utf8'), json: file.endsWith('.json') }));
}

const all = sources();
const library = all.filter((s) => parseScenario(s.text, s.file).ok);
const skipped = all.filter((s) => !library.includes(s)).map((s) => s.name);

interface Mutant {
  index: number;
  source: Source;
  ops: string[];
  text: string;
  /** The name the errors carry: the source's base name, so messages look like the user's. */
  fileName: string;
}

function mutant(index: number): Mutant {
  const r = new Rand(`mutation:${index}`);
  const source = r.pick(library);
  const m = mutate(r, source.text, source.json);
  return { index, source, ops: m.ops, text: m.text, fileName: `m${index}-${basename(source.file)}` };
}

function save(m: Mutant): string {
  mkdirSync(OUT_DIR, { recursive: true });
  const file = join(OUT_DIR, m.fileName);
  writeFileSync(file, m.text);
  return file;
}

function lineCount(text: string): number {
  return text.split(/\r\n|\r|\n/).length;
}

/** What splits a line for a terminal, an editor or a CI log (U+2028 and friends are left to taste). */
const LINE_BREAK = /[\r\n]/;

/** What is wrong with one reported error, or undefined when it is well located and one line. */
function errorProblem(e: ScenarioError, text: string, fileName: string): string | undefined {
  const lines = lineCount(text);
  if (e.file !== fileName) return `names file ${e.file}`;
  if (!Number.isInteger(e.line) || e.line < 1 || e.line > lines + 1) return `line ${e.line} is outside the file (${lines} lines)`;
  if (!Number.isInteger(e.column) || e.column < 1) return `column ${e.column}`;
  if (e.message.trim() === '') return 'an empty message';
  if (LINE_BREAK.test(e.message) || LINE_BREAK.test(e.path)) return 'a line break inside the message or path (the error is not one line)';
  if (/internal error/i.test(e.message)) return 'an internal error of the validator';
  if (STACK_TRACE.test(e.message)) return 'a stack trace';
  return undefined;
}

interface Finding {
  kind: string;
  mutant: Mutant;
  detail: string;
}

function report(findings: Finding[], what: string, command = 'validate'): string {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) groups.set(f.kind, [...(groups.get(f.kind) ?? []), f]);
  const out = [`${findings.length} mutant(s) ${what}, ${groups.size} kind(s):`];
  for (const [kind, list] of groups) {
    out.push('', `* ${kind}: ${list.length} mutant(s), e.g. ${list.slice(0, 8).map((f) => f.mutant.index).join(', ')}`);
    for (const f of list.slice(0, 3)) {
      const file = save(f.mutant);
      out.push(`  mutant ${f.mutant.index} of ${f.mutant.source.name} (${f.mutant.ops.join(', ')}): ${file}`);
      out.push(`    replay: npx kafkasim ${command} ${file}`);
      out.push(f.detail.replace(/^(\s*)at /gm, '$1from ').replace(/^/gm, '    '));
    }
  }
  return out.join('\n');
}

/** Simulated time at which the producers have made about RECORD_BUDGET records (at most 5 s). */
function cutOff(s: Scenario): number {
  const records = (t: number): number =>
    s.producers.reduce((sum, p) => sum + (p.ratePerSec * Math.max(0, Math.min(t, p.stopUs ?? t) - p.startUs)) / 1e6, 0);
  let lo = 0;
  let hi = Math.min(s.durationUs, 5_000_000);
  if (records(hi) <= RECORD_BUDGET) return hi;
  for (let i = 0; i < 40; i++) {
    const mid = Math.floor((lo + hi) / 2);
    if (records(mid) <= RECORD_BUDGET) lo = mid;
    else hi = mid;
  }
  return Math.max(lo, 1);
}

/** The mutant indexes of this run; each mutant is made again from its index when needed (a long run holds none). */
const indexes = Array.from({ length: COUNT }, (_, i) => FIRST + i);
const stats = { valid: 0, invalid: 0, errors: 0, cli: 0, runs: 0, runsCut: 0, runsTooLong: 0, ops: new Map<string, number>() };
const validMutants: { m: Mutant; scenario: Scenario; spec: ClusterSpec }[] = [];

describe(`fuzz: ${COUNT} mutations of ${library.length} library scenario files`, () => {
  afterAll(() => {
    console.log(
      `[fuzz mutations] ${COUNT} mutants of ${library.length} files: ${stats.invalid} refused (${stats.errors} errors checked), ${stats.valid} still valid; ` +
        `${stats.cli} through kafkasim validate; ${stats.runs} valid mutants run (${stats.runsCut} cut short, ${stats.runsTooLong} hit the event limit)` +
        (skipped.length > 0 ? `; not mutated (invalid themselves): ${skipped.join(', ')}` : ''),
    );
  });

  it('mutates valid library files', () => {
    expect(library.length).toBeGreaterThanOrEqual(4);
  });

  it('every mutant validates or is refused with located one-line errors (parseScenario)', { timeout }, () => {
    const findings: Finding[] = [];
    const seen = new Set(library.map((src) => src.text));
    for (const index of indexes) {
      const m = mutant(index);
      for (const op of m.ops) stats.ops.set(op, (stats.ops.get(op) ?? 0) + 1);
      let result: ReturnType<typeof parseScenario>;
      try {
        result = parseScenario(m.text, m.fileName);
      } catch (error) {
        findings.push({ kind: 'parseScenario threw', mutant: m, detail: error instanceof Error ? (error.stack ?? error.message) : String(error) });
        continue;
      }
      if (result.ok) {
        stats.valid++;
        // Kept to be run by the next test: distinct texts only, as many as will be run.
        if (validMutants.length < MUTANT_RUNS && !seen.has(m.text)) validMutants.push({ m, scenario: result.scenario, spec: result.spec });
        seen.add(m.text);
        continue;
      }
      stats.invalid++;
      if (result.errors.length === 0) findings.push({ kind: 'refused without any error', mutant: m, detail: '' });
      for (const e of result.errors) {
        stats.errors++;
        const problem = errorProblem(e, m.text, m.fileName);
        if (problem) findings.push({ kind: `an error with ${problem.replace(/\d+/g, 'N')}`, mutant: m, detail: `${problem}:\n${JSON.stringify(formatError(e))}` });
      }
    }
    if (findings.length > 0) expect.fail(report(findings, 'were not refused cleanly'));
  });

  it(`every ${CLI_EVERY}th mutant through kafkasim validate: exit 2 (or 0), only file:line:column lines, no stack trace`, { timeout }, async () => {
    const findings: Finding[] = [];
    const shape = (file: string): RegExp => new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+):(\\d+)  .`);
    for (const m of indexes.filter((_, i) => i % CLI_EVERY === 0).map(mutant)) {
      stats.cli++;
      const file = save(m);
      const valid = parseScenario(m.text, file).ok;
      try {
        const r = await cli('validate', file);
        const lines = r.stderr === '' ? [] : r.stderr.split('\n');
        if (r.code !== (valid ? 0 : 2)) findings.push({ kind: `exit ${r.code}`, mutant: m, detail: r.stderr });
        if (STACK_TRACE.test(r.stderr)) findings.push({ kind: 'a stack trace', mutant: m, detail: r.stderr });
        if (!valid && lines.length === 0) findings.push({ kind: 'no error printed', mutant: m, detail: '' });
        const bad = lines.filter((l) => {
          const match = shape(file).exec(l);
          return !match || LINE_BREAK.test(l) || Number(match[1]) < 1 || Number(match[1]) > lineCount(m.text) + 1;
        });
        if (bad.length > 0) findings.push({ kind: 'stderr lines not shaped file:line:column  path  message', mutant: m, detail: bad.slice(0, 3).map((l) => JSON.stringify(l)).join('\n') });
      } catch (error) {
        findings.push({ kind: 'kafkasim validate threw', mutant: m, detail: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      }
    }
    if (findings.length > 0) expect.fail(report(findings, 'misbehaved in kafkasim validate'));
  });

  it(`valid mutants run without crashing (up to ${MUTANT_RUNS} distinct ones, ~${RECORD_BUDGET} records each, in a child process)`, { timeout }, () => {
    const findings: Finding[] = [];
    const jobs = validMutants.map(({ m, scenario }) => ({ id: String(m.index), text: m.text, fileName: m.fileName, untilUs: cutOff(scenario), eventLimit: 500_000 }));
    for (const job of jobs) if (job.untilUs < validMutants.find((v) => String(v.m.index) === job.id)!.scenario.durationUs) stats.runsCut++;
    for (const r of runIsolated(jobs)) {
      stats.runs++;
      const m = validMutants.find((v) => String(v.m.index) === r.id)!.m;
      if (r.outcome === 'event limit') stats.runsTooLong++;
      if (r.outcome === 'failed') findings.push({ kind: `${r.kind}: ${r.signature}`, mutant: m, detail: r.detail });
      if (r.outcome === 'died') findings.push({ kind: 'the simulator process died', mutant: m, detail: r.detail });
      if (r.outcome === 'invalid') findings.push({ kind: 'invalid when run, valid when parsed', mutant: m, detail: '' });
    }
    if (findings.length > 0) expect.fail(report(findings, 'that validate failed to run', 'run'));
  });

  // Inputs no mutation of a small file reaches: deep nesting (the YAML library recurses), a huge
  // line, an alias bomb, thousands of errors, NUL bytes. Each must still end in located one-line errors.
  const pathological: Record<string, string> = {
    'deep flow nesting': `name: x\nduration: 1s\ncluster: ${'['.repeat(5000)}${']'.repeat(5000)}\n`,
    'deep block nesting': `name: x\nduration: 1s\ncluster:\n${Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i + 1)}a:`).join('\n')}\n`,
    'deep JSON nesting': `{"name":"x","duration":"1s","cluster":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`,
    'a 1 MB line': `name: ${'x'.repeat(1 << 20)}\nduration: 1s\ncluster: { brokers: ${'9'.repeat(5000)} }\n`,
    'an alias bomb': `a: &a [x, x, x, x, x, x, x, x, x, x]\n${'bcdefg'.split('').map((k, i) => `${k}: &${k} [${Array(10).fill(`*${'abcdefg'[i]}`).join(', ')}]`).join('\n')}\nname: x\nduration: 1s\ncluster: { brokers: 1 }\n`,
    '2,000 errors': `name: x\nduration: 1s\ncluster: { brokers: 1 }\ntimeline:\n${Array.from({ length: 2000 }, () => '  - { at: 2s, crash: 7 }').join('\n')}\n`,
    'NUL bytes and lone surrogates': `name: "a\\0b"\nduration: 1s\u0000\ncluster: { brokers: "\ud800" }\n`,
  };
  it.each(Object.keys(pathological))('%s: refused with located one-line errors', (what) => {
    const text = pathological[what];
    const fileName = what.includes('JSON') ? 'p.json' : 'p.yaml';
    const result = parseScenario(text, fileName);
    expect(result.ok).toBe(false);
    for (const e of result.ok ? [] : result.errors) expect(errorProblem(e, text, fileName), formatError(e).slice(0, 300)).toBeUndefined();
  });

  it('the mutations used every operator', () => {
    expect(stats.ops.size).toBeGreaterThan(30);
  });
});

/** Malformed files the fuzz found mishandled: each must give exit 2 with one located line per error. */
describe('fuzz: regressions (test/fuzz/found/invalid)', () => {
  // Node's JSON.parse names no position for "Unexpected token" errors (a trailing comma in a list),
  // and the validator then falls back to 1:1; the mistake is the "," at 6:25 or the "]" at 7:3.
  it('json-syntax-excerpt.json: the JSON syntax error names the line of the trailing comma, not 1:1', () => {
    const file = join(FOUND_INVALID, 'json-syntax-excerpt.json');
    const result = parseScenario(readFileSync(file, 'utf8'), file);
    expect(result.ok).toBe(false);
    const lines = result.ok ? [] : result.errors.map((e) => e.line);
    expect(lines.some((l) => l === 6 || l === 7), `errors at lines ${lines.join(', ')}`).toBe(true);
  });

  const found = (() => {
    try {
      return readdirSync(FOUND_INVALID).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();
    } catch {
      return [];
    }
  })();

  it.skipIf(found.length > 0)('none recorded', () => {});

  it.each(found)('%s: exit 2, every stderr line is file:line:column  path  message', async (name) => {
    const file = join(FOUND_INVALID, name);
    const text = readFileSync(file, 'utf8');
    const r = await cli('validate', file);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(STACK_TRACE);
    const prefix = `${file}:`;
    for (const line of r.stderr.split('\n')) {
      expect(line.startsWith(prefix), `not a located error line: ${JSON.stringify(line)}`).toBe(true);
      expect(LINE_BREAK.test(line), `a line break inside an error line: ${JSON.stringify(line)}`).toBe(false);
      const [lineNo] = line.slice(prefix.length).split(':').map(Number);
      expect(lineNo).toBeGreaterThanOrEqual(1);
      expect(lineNo).toBeLessThanOrEqual(lineCount(text) + 1);
    }
  });
});
