// The scenario library (scenarios/library) as a whole: every file is a complete lesson (title,
// description, captions, expectations), every expectation holds, and every run is reproducible —
// twice in this process and once in a separate `kafkasim check --golden` process, all with the trace
// hash recorded in scenarios/golden/golden.json. And when behaviour changes, `check --golden` fails
// and names the first event where the new trace departs from the recorded one.
import { describe, it, expect, beforeAll } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScenario, type Scenario } from '../../src/scenario/index.ts';
import { runScenario } from '../../src/scenario/run.ts';
import type { ClusterSpec } from '../../sim/kafka/spec.ts';
import { cli, REPO, STACK_TRACE } from '../cli/support.ts';

const LIBRARY = join(REPO, 'scenarios', 'library');
const GOLDEN = join(REPO, 'scenarios', 'golden', 'golden.json');
const SCHEMA_LINE = '# yaml-language-server: $schema=../scenario.schema.json';

interface Entry {
  file: string;
  rel: string;
  text: string;
  scenario: Scenario;
  spec: ClusterSpec;
}

function loadLibrary(): Entry[] {
  return readdirSync(LIBRARY)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => {
      const file = join(LIBRARY, f);
      const rel = `scenarios/library/${f}`;
      const text = readFileSync(file, 'utf8');
      const r = parseScenario(text, rel);
      if (!r.ok) throw new Error(`${rel} does not parse: ${JSON.stringify(r.errors)}`);
      return { file, rel, text, scenario: r.scenario, spec: r.spec };
    });
}

const library = loadLibrary();
const golden = JSON.parse(readFileSync(GOLDEN, 'utf8')) as { scenarios: Record<string, { hash: string; events: number; file: string }> };

interface Captured {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The real command in its own process (bin/kafkasim.js through tsx). */
function kafkasim(...argv: string[]): Promise<Captured> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(REPO, 'bin', 'kafkasim.js'), ...argv], {
      cwd: REPO,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the scenario library', () => {
  it('has at least 15 scenarios with unique names, each file named after its scenario', () => {
    expect(library.length).toBeGreaterThanOrEqual(15);
    const names = library.map((e) => e.scenario.name);
    expect(new Set(names).size).toBe(names.length);
    for (const e of library) expect(e.rel).toBe(`scenarios/library/${e.scenario.name}.yaml`);
  });

  it('gives every scenario a title, a description, captions and expectations', () => {
    for (const { rel, scenario: s } of library) {
      expect(s.title?.trim(), `${rel}: title`).toBeTruthy();
      expect(s.description?.trim().length ?? 0, `${rel}: description`).toBeGreaterThan(200);
      expect(s.timeline.filter((step) => step.note !== undefined).length, `${rel}: notes`).toBeGreaterThanOrEqual(1);
      expect(s.expect.length, `${rel}: expectations`).toBeGreaterThanOrEqual(1);
    }
  });

  it('names the JSON Schema on each file\'s first line, for editors', () => {
    for (const { rel, text } of library) expect(text.split('\n')[0], rel).toBe(SCHEMA_LINE);
  });

  it('keeps every run modest: 30 s to 120 s of simulated time', () => {
    for (const { rel, spec } of library) {
      expect(spec.durationUs, rel).toBeGreaterThanOrEqual(30_000_000);
      expect(spec.durationUs, rel).toBeLessThanOrEqual(120_000_000);
    }
  });

  it('is listed in docs/scenarios.md, one table row per scenario', () => {
    const doc = readFileSync(join(REPO, 'docs', 'scenarios.md'), 'utf8');
    for (const { scenario } of library) {
      const rows = doc.split('\n').filter((l) => l.startsWith(`| \`${scenario.name}\` |`));
      expect(rows, scenario.name).toHaveLength(1);
    }
  });

  it('has a golden trace hash for each scenario, and none for scenarios that are gone', () => {
    expect(Object.keys(golden.scenarios).sort()).toEqual(library.map((e) => e.scenario.name).sort());
    for (const { rel, scenario } of library) expect(golden.scenarios[scenario.name].file, scenario.name).toBe(rel);
  });
});

describe('every library scenario replays exactly', () => {
  // One separate process checks the whole library against the recorded hashes while this one runs
  // each scenario twice; started first so that the two overlap.
  let separate: Promise<Captured>;
  beforeAll(() => {
    separate = kafkasim('check', 'scenarios/library', '--golden');
  });

  for (const e of library) {
    it(`${e.scenario.name}: its expectations hold and two runs in this process give the golden hash`, () => {
      const first = runScenario(e.scenario, e.spec, { keepTrace: false });
      const failed = first.expectations.filter((x) => !x.ok).map((x) => `line ${x.line}: ${x.check}: expected ${x.expected}, got ${x.actual}`);
      expect(failed, e.rel).toEqual([]);
      const second = runScenario(e.scenario, e.spec, { keepTrace: false });
      const hashes = [first.sim.trace.hash(), second.sim.trace.hash()];
      expect(hashes[1]).toBe(hashes[0]);
      expect(second.passed).toBe(true);
      expect(hashes[0], `${e.rel}: re-record with kafkasim check scenarios/library --update-golden if the change is intended`).toBe(
        golden.scenarios[e.scenario.name]?.hash,
      );
      expect(first.sim.trace.count).toBe(golden.scenarios[e.scenario.name]?.events);
    });
  }

  it('a separate `kafkasim check --golden` process passes every scenario with the same hashes', async () => {
    const r = await separate;
    expect(r.stderr).not.toMatch(STACK_TRACE);
    const passed = r.stdout.split('\n').filter((l) => l.startsWith('PASS ')).map((l) => l.split(/\s+/)[1]);
    expect(passed.sort()).toEqual(library.map((e) => e.scenario.name).sort());
    expect(r.stdout).toContain(`${library.length} passed, 0 failed`);
    expect(r.code).toBe(0);
  }, 120_000);
});

describe('check --golden when behaviour changes', () => {
  it('fails and prints the first event where the new trace departs from the recorded one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafkasim-golden-'));
    try {
      // the same scenario, name and seed, but the leader dies half a second later
      const original = library.find((e) => e.scenario.name === 'leader-crash-kraft');
      expect(original, 'leader-crash-kraft is in the library').toBeDefined();
      const changed = original!.text.replace(/- at: 10s\n(\s+)crash: 1/, '- at: 10.5s\n$1crash: 1');
      expect(changed).not.toBe(original!.text);
      const file = join(dir, 'leader-crash-kraft.yaml');
      writeFileSync(file, changed);

      const r = await cli('check', file, '--golden', '--golden-file', GOLDEN);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/^FAIL leader-crash-kraft/m);
      expect(r.stdout).toMatch(/trace hash [0-9a-f]{16}… differs from the recorded [0-9a-f]{16}…/);
      const departs = /the trace departs from the recorded one at event #(\d+) at (\S+):/.exec(r.stdout);
      expect(departs, r.stdout).not.toBeNull();
      // the recorded trace had the crash's caption at 10 s; the new one carries on without it
      const recorded = /^\s+recorded: (.*)$/m.exec(r.stdout)?.[1] ?? '';
      const now = /^\s+now: +(.*)$/m.exec(r.stdout)?.[1] ?? '';
      expect(JSON.parse(recorded)).toMatchObject({ t: 10_000_000, type: 'note', action: 'crash' });
      expect(JSON.parse(now).t).toBeGreaterThanOrEqual(10_000_000);
      expect(now).not.toBe(recorded);
      expect(r.stdout).toContain('0 passed, 1 failed');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('passes the unchanged scenario against the same golden file', async () => {
    const r = await cli('check', 'scenarios/library/leader-crash-kraft.yaml', '--golden', '--golden-file', GOLDEN);
    expect(r.stdout).toContain('1 passed, 0 failed');
    expect(r.code).toBe(0);
  });
});
