// What `kafkasim check` found, as data, and the formats CI systems read it in: JUnit XML (one test
// suite per scenario run, one test case per expectation, plus the run itself and the golden trace),
// TAP 13, and JSON. The text lines `check` prints as it goes stay in check.ts; these reports are
// written once every scenario has run.
//
// JUnit XML is written with xmlbuilder2, which escapes and refuses what XML 1.0 cannot hold; the shape
// follows the schema Jenkins, GitLab and GitHub Actions read (test/fixtures/junit.xsd holds the
// reports to it).

import { create } from 'xmlbuilder2';
import { formatTime } from '../../sim/engine/time.ts';
import type { ExpectationResult } from '../scenario/verdict.ts';

/** How one scenario run ended: every expectation held; one failed; the file is invalid; the simulator failed. */
export type RunStatus = 'pass' | 'fail' | 'invalid' | 'broken';

export interface ScenarioRun {
  file: string;
  /** The scenario's name; undefined when the file could not be read as a scenario. */
  scenario?: string;
  seed?: number;
  status: RunStatus;
  expectations: ExpectationResult[];
  /** With --golden: whether the trace matched the recorded one, and if not, where it first departed. */
  golden?: { matched: boolean; lines: string[] };
  /** Why the file is invalid, or what the simulator reported when it failed. */
  problems: string[];
  /** Wall-clock seconds the run took (a report's `time`; nothing in the simulation reads it). */
  seconds: number;
}

/** The command that replays a run, exactly. */
export function replayCommand(r: ScenarioRun): string {
  return r.seed === undefined ? `kafkasim validate ${r.file}` : `kafkasim run ${r.file} --seed ${r.seed}`;
}

/** `expect[2] lost at end` */
export function expectationTitle(e: ExpectationResult): string {
  return `${e.path} ${e.check} ${e.atUs === undefined ? 'at end' : `at ${formatTime(e.atUs)}`}`;
}

function suiteName(r: ScenarioRun, manySeeds: boolean): string {
  const name = r.scenario ?? r.file;
  return manySeeds && r.seed !== undefined ? `${name} [seed ${r.seed}]` : name;
}

/** One test case of a report: a title, and a problem if it did not pass. */
interface Case {
  name: string;
  line?: number;
  problem?: { kind: 'failure' | 'error'; type: string; message: string; detail: string };
}

function casesOf(r: ScenarioRun): Case[] {
  const replay = `replay: ${replayCommand(r)}`;
  if (r.status === 'invalid') {
    return [{ name: 'valid scenario file', problem: { kind: 'error', type: 'invalid-scenario', message: r.problems[0] ?? 'invalid', detail: r.problems.join('\n') } }];
  }
  const cases: Case[] = [{
    name: 'runs to its end without breaking an invariant',
    ...(r.status === 'broken' ? { problem: { kind: 'error' as const, type: 'simulator-failure', message: r.problems[0] ?? 'the simulator failed', detail: r.problems.join('\n') } } : {}),
  }];
  for (const e of r.expectations) {
    const where = `${r.file}:${e.line}:${e.column}`;
    cases.push({
      name: expectationTitle(e),
      line: e.line,
      ...(e.ok ? {} : { problem: { kind: 'failure' as const, type: 'expectation', message: `expected ${e.expected}, got ${e.actual}`, detail: `${where}  ${expectationTitle(e)}: expected ${e.expected}, got ${e.actual}\n${replay}` } }),
    });
  }
  if (r.golden) {
    cases.push({
      name: 'golden trace',
      ...(r.golden.matched ? {} : { problem: { kind: 'failure' as const, type: 'golden-trace', message: r.golden.lines[0] ?? 'the trace departs from the recorded one', detail: r.golden.lines.join('\n') } }),
    });
  }
  return cases;
}

function manySeedsOf(runs: readonly ScenarioRun[]): boolean {
  const perFile = new Map<string, number>();
  for (const r of runs) perFile.set(r.file, (perFile.get(r.file) ?? 0) + 1);
  return [...perFile.values()].some((n) => n > 1);
}

/** JUnit XML: <testsuites> of one <testsuite> per scenario run. */
export function junitReport(runs: readonly ScenarioRun[]): string {
  const manySeeds = manySeedsOf(runs);
  const all = runs.map((r) => ({ r, cases: casesOf(r) }));
  const count = (cs: Case[], kind: 'failure' | 'error') => cs.filter((c) => c.problem?.kind === kind).length;
  const total = (f: (cs: Case[]) => number) => all.reduce((n, x) => n + f(x.cases), 0);
  const seconds = (s: number) => s.toFixed(3);
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const root = doc.ele('testsuites', {
    name: 'kafkasim check', tests: total((cs) => cs.length), failures: total((cs) => count(cs, 'failure')),
    errors: total((cs) => count(cs, 'error')), time: seconds(runs.reduce((s, r) => s + r.seconds, 0)),
  });
  for (const { r, cases } of all) {
    const suite = root.ele('testsuite', {
      name: suiteName(r, manySeeds), tests: cases.length, failures: count(cases, 'failure'), errors: count(cases, 'error'),
      skipped: 0, time: seconds(r.seconds), file: r.file,
    });
    if (r.seed !== undefined) suite.ele('properties').ele('property', { name: 'seed', value: String(r.seed) }).up().ele('property', { name: 'replay', value: replayCommand(r) });
    for (const c of cases) {
      const tc = suite.ele('testcase', { name: c.name, classname: suiteName(r, manySeeds), time: '0', file: r.file, ...(c.line !== undefined ? { line: c.line } : {}) });
      if (c.problem) tc.ele(c.problem.kind, { message: c.problem.message, type: c.problem.type }).txt(c.problem.detail);
    }
  }
  return doc.end({ prettyPrint: true }) + '\n';
}

/** TAP version 13: one test point per case, a YAML block under each that did not pass. */
export function tapReport(runs: readonly ScenarioRun[]): string {
  const manySeeds = manySeedsOf(runs);
  const points = runs.flatMap((r) => casesOf(r).map((c) => ({ r, c })));
  const lines = ['TAP version 13', `1..${points.length}`];
  points.forEach(({ r, c }, i) => {
    const title = `${suiteName(r, manySeeds)}: ${c.name}`.replace(/#/g, '\\#');
    lines.push(`${c.problem ? 'not ok' : 'ok'} ${i + 1} - ${title}`);
    if (!c.problem) return;
    lines.push('  ---', `  message: ${JSON.stringify(c.problem.message)}`, `  severity: ${c.problem.kind === 'error' ? 'error' : 'fail'}`);
    lines.push(`  at: ${JSON.stringify(c.line === undefined ? r.file : `${r.file}:${c.line}`)}`);
    if (r.seed !== undefined) lines.push(`  replay: ${JSON.stringify(replayCommand(r))}`);
    lines.push('  ...');
  });
  return lines.join('\n') + '\n';
}

/** The JSON report: counts, then every run with its expectations (times in µs, as `atUs` says). */
export function jsonReport(runs: readonly ScenarioRun[]): unknown {
  return {
    passed: runs.filter((r) => r.status === 'pass').length,
    failed: runs.filter((r) => r.status !== 'pass').length,
    runs: runs.map((r) => ({
      file: r.file, scenario: r.scenario, seed: r.seed, status: r.status, replay: replayCommand(r),
      expectations: r.expectations.map((e) => ({
        path: e.path, check: e.check, atUs: e.atUs ?? null, ok: e.ok, expected: e.expected, actual: e.actual, line: e.line, column: e.column,
      })),
      golden: r.golden ?? null, problems: r.problems, wallSeconds: Number(r.seconds.toFixed(3)),
    })),
  };
}
