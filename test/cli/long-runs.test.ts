// Long runs: the CLI streams the trace (to its hash, to --trace, to the golden comparison) and keeps
// only the story's lines, so memory does not grow with the run; the event limit stops a run with its
// own message; Ctrl-C stops a run where it is and says so; a run advanced in slices is the same run.
//
// The memory tests run the real command with a 64 MB heap on a run of ~300,000 events (fetch round
// trips of an idle cluster: many events, little state). Kept in memory, that trace alone needs well over
// 100 MB, so a CLI that keeps it dies of heap exhaustion; streamed, it fits with room to spare.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/index.ts';
import { runScenario } from '../../src/scenario/run.ts';
import { runInSlices } from '../../src/cli/drive.ts';
import { tellStory } from '../../src/cli/story.ts';
import { runProgress } from '../../src/cli/progress.ts';
import { LineReader } from '../../src/cli/golden.ts';
import { cli, REPO, STACK_TRACE } from './support.ts';

/** An idle cluster whose followers fetch every 2 ms: ~1,500 trace events per simulated second, almost no state. */
const dense = (seconds: number, fetchWaitMs = 2) =>
  `name: dense\nduration: ${seconds}s\ncluster:\n  brokers: 3\n  config: { replica.fetch.wait.max.ms: ${fetchWaitMs} }\ntopics:\n  - { name: orders, partitions: 3, replication.factor: 3 }\n`;

/** 100 records/s for two million hours: valid, and far beyond any event limit. */
const ENDLESS = 'name: endless\nduration: 2000000h\ncluster: { brokers: 3 }\ntopics:\n  - { name: orders, partitions: 1, replicas: [[1, 2, 3]] }\nproducers:\n  - { id: checkout, topic: orders, rate: 100/s }\n';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kafkasim-long-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
}

/** The real command with a small heap: a CLI that keeps the trace runs out of it. */
function smallHeap(...argv: string[]) {
  const r = spawnSync(process.execPath, ['--max-old-space-size=64', join(REPO, 'bin/kafkasim.js'), ...argv], {
    cwd: REPO, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000,
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

const leftovers = () => readdirSync(dir).filter((n) => n.endsWith('.tmp'));

describe('memory stays flat in the length of a run', () => {
  it('run --trace on ~300,000 events fits in a 64 MB heap and writes the whole trace', () => {
    const file = write('dense.yaml', dense(200));
    const out = join(dir, 'dense.jsonl');
    const r = smallHeap('run', file, '--trace', out, '--json');
    expect(r.stderr).not.toMatch(/heap out of memory/);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.events).toBeGreaterThan(250_000);
    const text = readFileSync(out, 'utf8');
    expect(text.split('\n').length - 2).toBe(json.events); // the header, then the events
  }, 120_000);

  it('check --update-golden and --golden on the same run fit too, and a change is still reported at its first event', () => {
    const file = write('dense.yaml', dense(200));
    const golden = join(dir, 'golden', 'golden.json');
    const recorded = smallHeap('check', file, '--update-golden', '--golden-file', golden);
    expect(recorded.stderr).not.toMatch(/heap out of memory/);
    expect(recorded.code, recorded.stderr).toBe(0);
    expect(smallHeap('check', file, '--golden', '--golden-file', golden).stdout).toContain('1 passed, 0 failed');

    writeFileSync(file, dense(200, 3)); // the followers wait 3 ms: the first fetch already differs
    const changed = smallHeap('check', file, '--golden', '--golden-file', golden);
    expect(changed.stderr).not.toMatch(/heap out of memory/);
    expect(changed.code).toBe(1);
    expect(changed.stdout).toMatch(/the trace departs from the recorded one at event #\d+ at /);
    expect(changed.stdout).toMatch(/^\s+recorded: \{"/m);
    expect(changed.stdout).toMatch(/^\s+now: +\{"/m);
  }, 120_000);

  it("a busy workload's records cost the JS heap nothing: logs, ledger and checks keep them in typed arrays", () => {
    // the reference workload (1,000 records/s, 6 partitions × 3 replicas, a group) for 120 s as `run
    // --trace` makes it; kept in JS arrays, the logs and the ledger grew the heap ~190 bytes a record
    const file = write('reference.yaml', readFileSync(join(REPO, 'scenarios/bench/reference.yaml'), 'utf8').replace('duration: 60s', 'duration: 120s'));
    const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(REPO, 'test/cli/memory-probe.ts'), file, '20', '120'], {
      cwd: REPO, encoding: 'utf8', timeout: 120_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const [early, late] = JSON.parse(r.stdout) as { heapUsed: number; arrayBuffers: number; acked: number; traceBytes: number }[];
    const records = late.acked - early.acked;
    expect(records).toBeGreaterThan(90_000);
    // the trace streamed past (~400 bytes a record) without staying, and the heap stayed where it was
    expect(late.traceBytes - early.traceBytes).toBeGreaterThan(records * 300);
    expect(late.heapUsed - early.heapUsed).toBeLessThan(4_000_000);
    // what does grow is typed: three replicas' logs, the ledger's journal and tables, the consumption checks
    expect((late.arrayBuffers - early.arrayBuffers) / records).toBeLessThan(400);
  }, 120_000);

  it('a valid two-million-hour scenario stops at the event limit in a 64 MB heap, exit 3, saying so once', () => {
    const file = write('endless.yaml', ENDLESS);
    const r = smallHeap('run', file, '--event-limit', '600000', '--trace', join(dir, 'endless.jsonl'));
    expect(r.stderr).not.toMatch(/heap out of memory/);
    expect(r.code).toBe(3);
    expect(r.stderr).not.toMatch(STACK_TRACE);
    expect(r.stderr).toMatch(/^event limit reached in scenario endless, seed 1: 600000 events by simulated time \S+, before the run's end/);
    expect(existsSync(join(dir, 'endless.jsonl'))).toBe(false);
    expect(leftovers()).toEqual([]);
  }, 120_000);
});

describe('the event limit', () => {
  it('is its own message (not "invariant"), without a doubled prefix, exit 3, with the replay command', async () => {
    const file = write('endless.yaml', ENDLESS);
    const r = await cli('run', file, '--event-limit', '20000');
    expect(r.code).toBe(3);
    expect(r.stderr).not.toContain('invariant');
    expect(r.stderr).not.toMatch(/seed 1: scenario/);
    expect(r.stderr.split('\n')).toEqual([
      expect.stringMatching(/^event limit reached in scenario endless, seed 1: 20000 events by simulated time [\d.]+m?s, before the run's end; it stopped there and nothing was judged/),
      `replay: kafkasim run ${file} --seed 1`,
    ]);
  });

  it('check reports the run as BROKEN with the same message and goes on with the next scenario', async () => {
    const endless = write('a-endless.yaml', ENDLESS);
    write('b-tiny.yaml', 'name: tiny\nduration: 1s\ncluster: { brokers: 1 }\n');
    const r = await cli('check', dir, '--event-limit', '20000');
    expect(r.stdout).toContain(`BROKEN endless  ${endless}`);
    expect(r.stdout).toMatch(/^PASS tiny /m);
    expect(r.stderr).toMatch(/^event limit reached in scenario endless, seed 1: 20000 events/);
    expect(r.code).toBe(3);
  });

  it('is documented where the exit codes are: the README, kafkasim --help and run --help', async () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    expect(readme).toMatch(/Exit codes:[^#]*`3`[^#]*event limit[^#]*`130`/);
    expect((await cli('--help')).stdout).toMatch(/3 the simulator broke an invariant, or a run hit its event limit/);
    expect((await cli('run', '--help')).stdout).toMatch(/3 the simulator broke an invariant or the run hit its event limit/);
  });

  it('--event-limit takes a positive whole number', async () => {
    const r = await cli('run', write('t.yaml', ENDLESS), '--event-limit', '0');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--event-limit expects a positive whole number of events, got '0'");
  });
});

describe('the run the CLI makes', () => {
  const library = (name: string) => {
    const rel = `scenarios/library/${name}.yaml`;
    const parsed = parseScenario(readFileSync(join(REPO, rel), 'utf8'), rel);
    if (!parsed.ok) throw new Error(`${rel} does not parse`);
    return parsed;
  };

  it('advanced in slices of a millisecond is the same run: same hash, count and expectations', async () => {
    const { scenario, spec } = library('unclean-election-enabled');
    const whole = runScenario(scenario, spec, { keepTrace: false });
    const sliced = await runInSlices(scenario, spec, { keepTrace: false }, { sliceMs: 0 });
    expect(sliced.sim.trace.hash()).toBe(whole.sim.trace.hash());
    expect(sliced.sim.trace.count).toBe(whole.sim.trace.count);
    expect(sliced.expectations).toEqual(whole.expectations);
  });

  it('tells the same story streamed as from the whole trace, and prints the same hash as --json', async () => {
    const { scenario, spec } = library('acks-1-leader-crash');
    const kept = runScenario(scenario, spec);
    const r = await cli('run', join(REPO, 'scenarios/library/acks-1-leader-crash.yaml'));
    for (const line of tellStory(kept.sim.trace.events)) expect(r.stdout).toContain(line.text);
    expect(r.stdout).toContain(`trace ${kept.sim.trace.hash()}  (${kept.sim.trace.count} events)`);
  });
});

describe('Ctrl-C', () => {
  it('stops a long run where it is: exit 130, the simulated time and events on stderr, no trace file left', async () => {
    const file = write('long.yaml', dense(100_000));
    const out = join(dir, 'long.jsonl');
    const child = spawn(process.execPath, [join(REPO, 'bin/kafkasim.js'), 'run', file, '--trace', out], { cwd: REPO, env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d) => (stdout += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // the temporary trace file appears when the run starts
    const deadline = Date.now() + 60_000;
    while (leftovers().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(leftovers().length).toBe(1);
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const code = await exited;
    clearTimeout(timer);
    expect(code).toBe(130);
    expect(stderr).toMatch(/^interrupted at simulated time \S+ of 100000s, after \d+ events: nothing judged; \S+long\.jsonl not written\n$/);
    expect(stdout).toBe('');
    expect(existsSync(out)).toBe(false);
    expect(leftovers()).toEqual([]);
  }, 90_000);
});

describe('progress of a long run', () => {
  const fakeOut = (tty: boolean) => ({ out: () => {}, err: () => {}, color: false, stderrTTY: tty });

  it('appears on a terminal once the run has taken two seconds, in simulated seconds', () => {
    let now = 0;
    const bars: { label: string; total: number; unit: string; values: number[] }[] = [];
    const start = (_o: unknown, label: string, total: number, unit: string) => {
      const bar = { label, total, unit, values: [] as number[] };
      bars.push(bar);
      return { update: (v: number) => void bar.values.push(v), stop() {} };
    };
    const p = runProgress(fakeOut(true), 'dense', 300_000_000, { now: () => now, start });
    p.update(1_000_000);
    now = 1_999;
    p.update(2_000_000);
    expect(bars).toEqual([]);
    now = 2_000;
    p.update(3_500_000);
    expect(bars).toEqual([{ label: 'dense', total: 300, unit: 'simulated s', values: [3] }]);
  });

  it('is never drawn when stderr is not a terminal', () => {
    let started = false;
    const p = runProgress(fakeOut(false), 'dense', 300_000_000, { now: () => 1e9, afterMs: 0, start: () => ((started = true), { update() {}, stop() {} }) });
    p.update(1);
    expect(started).toBe(false);
  });
});

describe('LineReader', () => {
  it('reads lines across chunk boundaries, multi-byte characters split between chunks included, and a last line without "\\n"', () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `{"i":${i},"s":"${'é€😀'.repeat(i % 37)}"}`);
    const f = write('lines.jsonl', lines.join('\n') + '\nlast');
    const reader = new LineReader(f);
    const got: string[] = [];
    for (let l = reader.next(); l !== undefined; l = reader.next()) got.push(l);
    reader.close();
    expect(got).toEqual([...lines, 'last']);
  });
});
