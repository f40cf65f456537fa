// Fuzz: thousands of random VALID scenarios (test/fuzz/generate.ts), each parsed and run to its end.
// On a scenario the format accepts, the simulator must not throw, break one of its own invariants
// (after every event, and in the full pass at the end), run past its event limit, or keep a ledger
// that does not add up (test/fuzz/oracle.ts). Failures are grouped by their message; the first
// scenario of each group is written to a temp file (and shrunk to a small one that fails the same
// way), and the report prints the seed, the file and the commands that replay it. A sample also runs
// twice (same trace hash?) and through `kafkasim run`, `run --json` and `describe --at`.
//
// Deterministic: seeds FUZZ_FIRST_SEED … +FUZZ_SCENARIOS, the same cases on every CI run.
//   FUZZ_SCENARIOS=20000 npx vitest run --project unit test/fuzz/scenarios.test.ts   a long local run
//   FUZZ_FIRST_SEED=100000                                                          other seeds
//   FUZZ_ONLY=17,4242                                                               replay given seeds
//   FUZZ_SHRINK=0                                                                   skip shrinking
//   FUZZ_EVENT_LIMIT=5000000                                                        a larger bound
//                  (the base: runs with zero-wait fetch loops get more, test/fuzz/event-budget.ts)

import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseScenario, formatError, type Scenario } from '../../src/scenario/index.ts';
import { runScenario, type RunOptions, type RunResult } from '../../src/scenario/run.ts';
import type { ClusterSpec } from '../../sim/kafka/spec.ts';
import { cli, STACK_TRACE } from '../cli/support.ts';
import { EXPECTATION_CHECKS, TIMELINE_ACTIONS, generateScenario, type GeneratedScenario } from './generate.ts';
import { runIsolated, type JobResult } from './isolated.ts';
import { BASE_EVENT_LIMIT, eventLimitFor } from './event-budget.ts';
import { kindOf, runChecked, signature } from './oracle.ts';
import { shrinkConfirmed } from './shrink.ts';

const envInt = (name: string, fallback: number): number => {
  const v = process.env[name];
  return v === undefined || v === '' ? fallback : Number.parseInt(v, 10);
};

/** 2,000 runs of 5–20 simulated seconds take ~15 s on 2 quiet cores (about 7 ms each; see the printed timings). */
const COUNT = envInt('FUZZ_SCENARIOS', 2000);
const FIRST_SEED = envInt('FUZZ_FIRST_SEED', 1);
const ONLY = process.env.FUZZ_ONLY ? process.env.FUZZ_ONLY.split(',').map((s) => Number.parseInt(s.trim(), 10)) : undefined;
/**
 * A generated run makes tens of thousands of events; a million means it is stuck in a loop — unless
 * it has fetches with a zero max wait, which Kafka answers at once and repeats at once: those runs
 * get a budget for that storm on top (eventLimitFor).
 */
const EVENT_LIMIT = envInt('FUZZ_EVENT_LIMIT', BASE_EVENT_LIMIT);
const SHRINK = process.env.FUZZ_SHRINK !== '0';
/** Every Nth scenario is run a second time (same trace?) and through `kafkasim run` (story, report). */
const REPEAT_EVERY = 25;
const CLI_EVERY = 40;
const OUT_DIR = join(tmpdir(), 'kafkasim-fuzz');
const FOUND_DIR = join(import.meta.dirname, 'found');

const RUN: RunOptions = { eventLimit: EVENT_LIMIT, keepTrace: false };
/** How the fuzz runs a scenario: RUN with the scenario's own event limit. */
const runOptions = (spec: ClusterSpec): RunOptions => ({ ...RUN, eventLimit: eventLimitFor(spec, EVENT_LIMIT) });
/** The same for a scenario text (the shrinker's candidates); a text that does not validate is never run. */
const runOptionsOfText = (text: string): RunOptions => {
  const parsed = parseScenario(text, 'fuzz.yaml');
  return parsed.ok ? runOptions(parsed.spec) : RUN;
};
const seeds = ONLY ?? Array.from({ length: COUNT }, (_, i) => FIRST_SEED + i);
const timeout = Math.max(60_000, seeds.length * 200);

interface Case {
  gen: GeneratedScenario;
  scenario?: Scenario;
  spec?: ClusterSpec;
  /** Set after a clean run. */
  traceHash?: string;
  events?: number;
}

interface Failure {
  seed: number;
  kind: string;
  signature: string;
  error: unknown;
}

const cases: Case[] = seeds.map((seed) => ({ gen: generateScenario(seed) }));
/** How many clean runs saw each outcome: the breadth of what the fuzz reaches, printed with the counts. */
const outcomes = new Map<string, number>();

function tallyOutcomes(sim: RunResult['sim']): void {
  const sum = sim.ledgerSummary();
  const seen = {
    acked: sum.acked > 0, lost: sum.lost > 0, duplicates: sum.duplicates > 0, unavailable: sum.unavailable > 0, failed: sum.failed > 0,
    consumed: sum.consumed > 0, 'unclean-election': sim.eventCount('unclean-election') > 0, truncated: sim.eventCount('truncated') > 0,
    'isr-shrink': sim.eventCount('isr-shrink') > 0, rebalance: sim.eventCount('rebalance') > 0,
  };
  for (const [k, v] of Object.entries(seen)) if (v) outcomes.set(k, (outcomes.get(k) ?? 0) + 1);
}

const stats = { valid: 0, runs: 0, clean: 0, events: 0, runMs: 0, repeated: 0, cliRuns: 0, slowest: [] as { seed: number; ms: number; events: number }[] };

function saveCase(c: Case, suffix = ''): string {
  mkdirSync(OUT_DIR, { recursive: true });
  const file = join(OUT_DIR, `${c.gen.name}${suffix}.yaml`);
  writeFileSync(file, c.gen.text);
  return file;
}

function stackOf(err: unknown): string {
  const e = err instanceof Error ? err : new Error(String(err));
  const reason = (e as { reason?: unknown }).reason;
  const inner = reason instanceof Error ? reason : e;
  // "at" would make vitest read these lines as the stack of the test itself.
  return (inner.stack ?? String(inner)).split("\n").slice(0, 8).join("\n").replace(/^(\s*)at /gm, "$1from ");
}

/** What a run that hit the event limit was doing: the kinds of its last trace events and the time they span. */
function lastEvents(c: Case): string {
  const tail: string[] = [];
  try {
    runScenario(c.scenario!, c.spec!, { ...runOptions(c.spec!), traceSink: (line) => void (tail.push(line) > 2000 && tail.shift()) });
  } catch {
    // the event limit again
  }
  const times = tail.map((l) => Number(/"t":(\d+)/.exec(l)?.[1] ?? NaN)).filter((t) => !Number.isNaN(t));
  const kinds = new Map<string, number>();
  for (const l of tail) {
    const kind = /"k":"([^"]+)"/.exec(l)?.[1] ?? /"type":"([^"]+)"/.exec(l)?.[1] ?? '?';
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  const span = times.length > 0 ? times[times.length - 1] - times[0] : 0;
  const top = [...kinds].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([k, v]) => `${k} ×${v}`).join(', ');
  return `its last ${tail.length} trace events span ${span} µs of simulated time${span === 0 ? ' (time stood still)' : ''}: ${top}`;
}

/** One section per distinct failure: how many, which seeds, the file, the replay commands, the shrunk case. */
function report(failures: Failure[], what: string): string {
  const groups = new Map<string, Failure[]>();
  for (const f of failures) groups.set(f.signature, [...(groups.get(f.signature) ?? []), f]);
  const out = [`${failures.length} of ${seeds.length} scenarios ${what}, ${groups.size} distinct failure(s):`];
  let n = 0;
  for (const [sig, list] of groups) {
    const first = list[0];
    const c = cases.find((x) => x.gen.seed === first.seed)!;
    const file = saveCase(c);
    out.push('', `[${++n}] ${first.kind}: ${sig}`);
    out.push(`    ${list.length} scenario(s), seeds ${list.slice(0, 12).map((f) => f.seed).join(', ')}${list.length > 12 ? ', …' : ''}`);
    out.push(`    generated file: ${file}`);
    out.push(`    replay: npx kafkasim run ${file}`);
    out.push(`            FUZZ_ONLY=${first.seed} npx vitest run --project unit test/fuzz/scenarios.test.ts`);
    out.push(stackOf(first.error).replace(/^/gm, '    '));
    if (first.kind === 'event limit') out.push(`    ${lastEvents(c)}`);
    if (n <= 2) {
      if (SHRINK) {
        // A loop that stops time hits any limit: shrink against a small one, so each try is quick;
        // then confirm with the fuzz's own limit (a run that merely makes many events would not
        // hit that one once shrunk).
        const loop = first.kind === 'event limit';
        const shrunk = shrinkConfirmed(c.gen.text, sig, {
          search: loop ? { ...RUN, eventLimit: 50_000 } : RUN, confirm: runOptionsOfText, maxAttempts: loop ? 80 : 200,
        });
        if (shrunk.confirmed && shrunk.text !== c.gen.text) {
          const smallFile = join(OUT_DIR, `${c.gen.name}.min.yaml`);
          writeFileSync(smallFile, shrunk.text);
          out.push(`    shrunk (run again as the fuzz runs it: fails the same way): ${smallFile}`, '    ---', shrunk.text.replace(/^/gm, '    '));
        } else if (!shrunk.confirmed) {
          out.push(`    not shrunk: the smallest candidate ${shrunk.why} when run as the fuzz runs it; replay the generated file`);
        }
      }
      out.push(`    --- generated scenario, seed ${first.seed}:`, c.gen.text.replace(/^/gm, '    '));
    }
  }
  return out.join('\n');
}

describe(`fuzz: ${seeds.length} random valid scenarios${ONLY ? ` (FUZZ_ONLY=${ONLY.join(',')})` : ` (seeds ${seeds[0]}…${seeds[seeds.length - 1]})`}`, () => {
  afterAll(() => {
    const slow = stats.slowest.map((s) => `seed ${s.seed} ${s.ms.toFixed(0)} ms/${s.events} events`).join(', ');
    console.log(
      `[fuzz scenarios] generated ${cases.length}, valid ${stats.valid}, run ${stats.runs}, clean ${stats.clean}, ` +
        `events ${stats.events}, ${stats.runMs.toFixed(0)} ms running; determinism re-runs ${stats.repeated}, CLI runs ${stats.cliRuns}; slowest: ${slow}; ` +
        `runs with: ${[...outcomes].map(([k, n]) => `${k} ${n}`).join(', ')}`,
    );
  });

  it('every generated scenario validates (otherwise the generator, or the validator, is wrong)', () => {
    const invalid: string[] = [];
    for (const c of cases) {
      const parsed = parseScenario(c.gen.text, `${c.gen.name}.yaml`);
      if (parsed.ok) {
        c.scenario = parsed.scenario;
        c.spec = parsed.spec;
        stats.valid++;
      } else if (invalid.length < 5) {
        invalid.push(`seed ${c.gen.seed}:\n${parsed.errors.map(formatError).join('\n')}\n--- file:\n${c.gen.text}`);
      } else invalid.push(`seed ${c.gen.seed}`);
    }
    expect(invalid, `${invalid.length} generated scenario(s) do not validate:\n\n${invalid.join('\n\n')}`).toEqual([]);
  });

  it('every scenario runs to its end: no exception, no invariant violation, no run past the event limit, a ledger that adds up', { timeout }, () => {
    const failures: Failure[] = [];
    for (const c of cases) {
      if (!c.scenario || !c.spec) continue;
      stats.runs++;
      const t0 = performance.now();
      try {
        const r = runChecked(c.scenario, c.spec, runOptions(c.spec));
        tallyOutcomes(r.sim);
        c.traceHash = r.sim.trace.hash();
        c.events = r.sim.scheduler.executed;
        stats.clean++;
        stats.events += c.events;
      } catch (error) {
        failures.push({ seed: c.gen.seed, kind: kindOf(error), signature: signature(error), error });
      }
      const ms = performance.now() - t0;
      stats.runMs += ms;
      stats.slowest = [...stats.slowest, { seed: c.gen.seed, ms, events: c.events ?? -1 }].sort((a, b) => b.ms - a.ms).slice(0, 3);
    }
    if (failures.length > 0) expect.fail(report(failures, 'failed to run'));
  });

  it(`the same scenario and seed give the same trace (every ${REPEAT_EVERY}th scenario run again)`, { timeout }, () => {
    const differing: string[] = [];
    cases.forEach((c, i) => {
      if (c.traceHash === undefined || (i % REPEAT_EVERY !== 0 && !ONLY)) return;
      stats.repeated++;
      const again = runScenario(c.scenario!, c.spec!, runOptions(c.spec!));
      const hash = again.sim.trace.hash();
      if (hash !== c.traceHash || again.sim.scheduler.executed !== c.events) {
        differing.push(`seed ${c.gen.seed}: ${c.events} events/${c.traceHash} then ${again.sim.scheduler.executed}/${hash} (file ${saveCase(c)})`);
      }
    });
    expect(differing, `runs that were not reproducible:\n${differing.join('\n')}`).toEqual([]);
  });

  it(`kafkasim run, run --json and describe --at on every ${CLI_EVERY}th scenario: exit 0 or 1, no stack trace`, { timeout }, async () => {
    const broken: string[] = [];
    for (const [i, c] of cases.entries()) {
      if (c.traceHash === undefined || (i % CLI_EVERY !== 0 && !ONLY)) continue;
      stats.cliRuns++;
      const file = saveCase(c);
      const atMs = Math.floor(c.scenario!.durationUs / 1000 / 2);
      const argv = [['run', file], ['run', file, '--json'], ['describe', file, '--at', `${atMs}ms`]][Math.floor(i / CLI_EVERY) % 3];
      try {
        const r = await cli(...argv);
        if (![0, 1].includes(r.code) || STACK_TRACE.test(r.stderr)) {
          broken.push(`kafkasim ${argv.join(' ')}: exit ${r.code}\n${r.stderr.split('\n').slice(0, 12).join('\n')}`);
        } else if (argv.includes('--json')) {
          const json = JSON.parse(r.stdout) as { traceHash?: string; name?: string };
          if (json.name !== c.gen.name || json.traceHash !== c.traceHash) broken.push(`kafkasim ${argv.join(' ')}: --json has another name or trace hash than the direct run`);
        }
      } catch (error) {
        broken.push(`kafkasim ${argv.join(' ')} threw:\n${stackOf(error)}`);
      }
    }
    expect(broken, broken.join('\n\n')).toEqual([]);
  });

  it.skipIf(ONLY !== undefined || seeds.length < 500)('the generated scenarios use every timeline action and every expectation check', () => {
    const actions = new Map<string, number>();
    const checks = new Map<string, number>();
    for (const c of cases) {
      for (const s of c.scenario?.timeline ?? []) actions.set(s.action?.type ?? 'note', (actions.get(s.action?.type ?? 'note') ?? 0) + 1);
      for (const e of c.scenario?.expect ?? []) checks.set(e.check, (checks.get(e.check) ?? 0) + 1);
    }
    expect(TIMELINE_ACTIONS.filter((a) => !actions.has(a))).toEqual([]);
    expect(EXPECTATION_CHECKS.filter((x) => !checks.has(x))).toEqual([]);
    const withClients = cases.filter((c) => (c.scenario?.producers.length ?? 0) > 0 && (c.scenario?.consumers.length ?? 0) > 0).length;
    expect(withClients).toBeGreaterThan(seeds.length / 10);
  });
});

/**
 * Minimal scenarios the fuzz found a bug with; each must run cleanly once the bug is fixed. They run
 * in a child process (test/fuzz/isolated.ts): some of them made the simulator run out of memory.
 */
describe('fuzz: regressions (test/fuzz/found)', () => {
  const found = (existsSync(FOUND_DIR) ? readdirSync(FOUND_DIR, { withFileTypes: true }) : [])
    .filter((d) => d.isFile() && /\.ya?ml$/.test(d.name))
    .map((d) => d.name)
    .sort();
  let results: Map<string, JobResult> | undefined;
  const resultOf = (name: string): JobResult => {
    results ??= new Map(
      runIsolated(found.map((f) => {
        const text = readFileSync(join(FOUND_DIR, f), 'utf8');
        const parsed = parseScenario(text, join(FOUND_DIR, f));
        return { id: f, text, fileName: join(FOUND_DIR, f), eventLimit: parsed.ok ? eventLimitFor(parsed.spec, EVENT_LIMIT) : EVENT_LIMIT };
      })).map((r) => [r.id, r]),
    );
    return results.get(name)!;
  };

  it.skipIf(found.length > 0)('none recorded', () => {});

  // Refusing a scenario the model cannot cope with (a located error, exit 2) is a fix too.
  it.each(found)('%s runs to its end (or is refused with located errors)', { timeout: 300_000 }, (name) => {
    const file = join(FOUND_DIR, name);
    const parsed = parseScenario(readFileSync(file, 'utf8'), file);
    if (!parsed.ok) {
      for (const e of parsed.errors) expect(e.line, formatError(e)).toBeGreaterThanOrEqual(1);
      return;
    }
    const r = resultOf(name);
    const detail = r.outcome === 'failed' ? `${r.kind}: ${r.signature}\n${r.detail}` : r.outcome === 'died' ? r.detail : r.outcome;
    expect(r.outcome, detail).toBe('ok');
  });
});
