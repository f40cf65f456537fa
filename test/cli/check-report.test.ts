// `kafkasim check` as CI runs it: JUnit XML that validates against the schema CI systems read, TAP,
// JSON, a scenario run at several seeds (its `seeds:` or --seeds) with the seeds that break each
// expectation and the command that replays one, and the golden trace's verdict on each line.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { cli, REPO } from './support.ts';

const XSD = readFileSync(join(REPO, 'test/fixtures/junit.xsd'), 'utf8');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kafkasim-check-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
}

/** Broker 1, 2 or 3 crashes at 5 s, drawn by the seed; the ISR at the end is [2, 3] only when it was broker 1. */
const DRAWN = (extra = '') => `name: drawn-crash
duration: 20s
cluster: { brokers: 3 }
topics:
  - { name: orders, partitions: 1, replicas: [[1, 2, 3]] }
${extra}timeline:
  - at: 5s
    crash: { any-of: [1, 2, 3] }
expect:
  - lost: 0
  - isr: { partition: orders-0, is: [2, 3] }
`;

const HOLDS = `name: holds
duration: 5s
cluster: { brokers: 3 }
topics:
  - { name: orders, partitions: 1, replicas: [[1, 2, 3]] }
producers:
  - { id: p, topic: orders, rate: 50/s }
expect:
  - lost: 0
  - at: 4s
    leader: { partition: orders-0, is: 1 }
`;

const FAILS = HOLDS.replace('name: holds', 'name: fails <&> "quoted"').replace('is: 1 }', 'is: 2 }');

async function junitValid(xml: string): Promise<{ valid: boolean; errors: string[] }> {
  const r = await validateXML({ xml: [{ fileName: 'report.xml', contents: xml }], schema: [{ fileName: 'junit.xsd', contents: XSD }] });
  return { valid: r.valid, errors: r.errors.map((e) => e.message) };
}

describe('check --reporter junit', () => {
  it('writes XML that validates against the JUnit schema: a suite per scenario, a case per expectation, failures with file:line and the replay command', async () => {
    const out = join(dir, 'results.xml');
    const r = await cli('check', write('holds.yaml', HOLDS), write('fails.yaml', FAILS), write('bad.yaml', 'name: bad\nduration: -1s\n'), '--reporter', 'junit', '--out', out);
    expect(r.code).toBe(2); // the invalid file is the worst
    expect(r.stdout).toMatch(/^PASS holds/m); // the lines still print when the report goes to a file
    const xml = readFileSync(out, 'utf8');
    const v = await junitValid(xml);
    expect(v.errors).toEqual([]);
    expect(v.valid).toBe(true);
    expect(xml).toMatch(/<testsuites name="kafkasim check" tests="7" failures="1" errors="1"/);
    expect(xml).toMatch(/<testsuite name="holds" tests="3" failures="0" errors="0"/);
    // the scenario's name is escaped, the failing expectation says what it expected, where, and how to replay
    expect(xml).toContain('<testsuite name="fails &lt;&amp;&gt; &quot;quoted&quot;" tests="3" failures="1"');
    expect(xml).toMatch(/<testcase name="expect\[1\] leader orders-0 at 4s" [^>]*line="\d+">\s*<failure message="expected 2, got 1" type="expectation">/);
    expect(xml).toMatch(/fails\.yaml:\d+:\d+ {2}expect\[1\] leader orders-0 at 4s: expected 2, got 1\nreplay: kafkasim run \S+fails\.yaml --seed 1/);
    expect(xml).toMatch(/<testsuite name="\S+bad\.yaml" tests="1" failures="0" errors="1"[^>]*>\s*<testcase name="valid scenario file"[^>]*>\s*<error [^>]*type="invalid-scenario">/);
  });

  it('reports a run that hits its event limit as an error of the run itself, and still validates', async () => {
    const r = await cli('check', write('holds.yaml', HOLDS), '--event-limit', '50', '--reporter', 'junit');
    expect(r.code).toBe(3);
    expect(r.stdout.startsWith('<?xml')).toBe(true); // on stdout, the report stands alone
    expect(r.stdout).not.toMatch(/^BROKEN/m);
    expect((await junitValid(r.stdout)).valid).toBe(true);
    expect(r.stdout).toMatch(/<testcase name="runs to its end without breaking an invariant"[^>]*>\s*<error message="event limit reached in scenario holds, seed 1[^"]*" type="simulator-failure">/);
  });

  it('never writes the report over a scenario it reads', async () => {
    const f = write('holds.yaml', HOLDS);
    const r = await cli('check', f, '--reporter', 'junit', '--out', f);
    expect(r.code).toBe(2);
    expect(readFileSync(f, 'utf8')).toBe(HOLDS);
  });
});

describe('check --reporter tap and --json', () => {
  it('TAP 13: a plan, a point per case, a YAML block with the message, place and replay command under a failure', async () => {
    const r = await cli('check', write('holds.yaml', HOLDS), write('fails.yaml', FAILS), '--reporter', 'tap');
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines.slice(0, 3)).toEqual(['TAP version 13', '1..6', 'ok 1 - holds: runs to its end without breaking an invariant']);
    const failing = lines.findIndex((l) => l.startsWith('not ok'));
    expect(lines[failing]).toBe('not ok 6 - fails <&> "quoted": expect[1] leader orders-0 at 4s');
    expect(lines.slice(failing + 1, failing + 7)).toEqual([
      '  ---', '  message: "expected 2, got 1"', '  severity: fail', expect.stringMatching(/^ {2}at: ".+fails\.yaml:\d+"$/),
      expect.stringMatching(/^ {2}replay: "kafkasim run .+fails\.yaml --seed 1"$/), '  ...',
    ]);
  });

  it('--json: every run with its status, seed, replay command and expectations (times in µs, named so)', async () => {
    const r = await cli('check', write('holds.yaml', HOLDS), write('fails.yaml', FAILS), '--json');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect([j.passed, j.failed]).toEqual([1, 1]);
    expect(j.runs.map((x: { status: string }) => x.status)).toEqual(['pass', 'fail']);
    const e = j.runs[1].expectations[1];
    expect(e).toMatchObject({ path: 'expect[1]', check: 'leader orders-0', atUs: 4_000_000, ok: false, expected: '2', actual: '1' });
    expect(j.runs[1].replay).toMatch(/^kafkasim run .+fails\.yaml --seed 1$/);
  });

  it('refuses a reporter it does not know, --json with --reporter, and --out without a report', async () => {
    const f = write('holds.yaml', HOLDS);
    for (const [args, msg] of [
      [['--reporter', 'xml'], /--reporter expects one of text, junit, tap, got 'xml'/],
      [['--json', '--reporter', 'tap'], /give --json or --reporter, not both/],
      [['--out', join(dir, 'r.xml')], /--out writes a report: add --reporter junit or tap/],
      [['--seed', '2', '--seeds', '3'], /give --seed or --seeds, not both/],
      [['--golden', '--seeds', '3'], /replay each scenario with its own seed/],
    ] as const) {
      const r = await cli('check', f, ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(msg);
    }
  });
});

describe('check at several seeds', () => {
  it('--seeds N runs seeds 1..N and lists, per failing expectation, the seeds that broke it and the command that replays one', async () => {
    const f = write('drawn.yaml', DRAWN());
    const r = await cli('check', f, '--seeds', '8');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAIL drawn-crash {2}\S+drawn\.yaml, seeds 1…8 \(8 runs\): \d failed$/m);
    const line = r.stdout.split('\n').find((l) => l.includes('expect[1]'))!;
    const seeds = [...line.matchAll(/(\d+) \(got \[/g)].map((m) => Number(m[1]));
    expect(seeds.length).toBeGreaterThan(0);
    expect(seeds.length).toBeLessThan(8);
    expect(r.stdout).toContain(`replay: kafkasim run ${f} --seed ${seeds[0]}`);
    // each seed the line names does fail when run alone, and a seed it does not name passes
    expect((await cli('check', f, '--seed', String(seeds[0]))).code).toBe(1);
    const good = [1, 2, 3, 4, 5, 6, 7, 8].find((s) => !seeds.includes(s))!;
    expect((await cli('check', f, '--seed', String(good))).code).toBe(0);
  });

  it('a scenario with seeds: runs at each of them; JUnit gets a suite per seed', async () => {
    const all = await cli('check', write('drawn.yaml', DRAWN()), '--seeds', '8', '--json');
    const passing = JSON.parse(all.stdout).runs.filter((x: { status: string }) => x.status === 'pass').map((x: { seed: number }) => x.seed);
    const f = write('pinned.yaml', DRAWN(`seeds: [${passing.join(', ')}]\n`));
    const r = await cli('check', f);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`seeds ${passing.join(', ')} (${passing.length} runs)`);
    const x = await cli('check', f, '--reporter', 'junit');
    expect([...x.stdout.matchAll(/<testsuite name="drawn-crash \[seed (\d+)\]"/g)].map((m) => Number(m[1]))).toEqual(passing);
  });

  it('seeds: is a non-empty list of distinct seeds, each as seed: allows', async () => {
    for (const [field, msg] of [
      ['seeds: 3\n', /seeds +expected a list of seeds/],
      ['seeds: []\n', /seeds +expected at least one seed/],
      ['seeds: [1, 1]\n', /seeds\[1\] +seed 1 is listed twice/],
      ['seeds: [-1]\n', /seeds\[0\] +must be at least 0, got -1/],
    ] as const) {
      const r = await cli('validate', write('s.yaml', DRAWN(field)));
      expect(r.code, field).toBe(2);
      expect(r.stderr + r.stdout).toMatch(msg);
    }
  });
});

describe('check --golden', () => {
  it('says on each line that the golden trace matched', async () => {
    const f = write('holds.yaml', HOLDS);
    const golden = join(dir, 'golden.json');
    expect((await cli('check', f, '--update-golden', '--golden-file', golden)).code).toBe(0);
    const r = await cli('check', f, '--golden', '--golden-file', golden);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^PASS holds {2}\S+holds\.yaml, seed 1, 2 expectations, golden trace matched$/m);
    const x = await cli('check', f, '--golden', '--golden-file', golden, '--reporter', 'junit');
    expect(x.stdout).toMatch(/<testcase name="golden trace"[^>]*\/>/);
  });
});
