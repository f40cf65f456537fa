// The page reads scenario text in a worker (issue 10, point 5): the worker's check answers what the
// page shows, the editor's requests are latest-wins (a stale validation is abandoned, its worker
// terminated), and no module of the page's main thread parses scenario text. The workers are fakes
// here that answer with the real checkScenario, when the test says so.
import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkScenario, MAX_CHECK_ERRORS } from '../../viz/run/check.ts';
import { CheckClient, RunClient, RunFailed, type WorkerLike } from '../../viz/app/run-client.ts';
import type { RunReply, WorkerRequest } from '../../viz/run/protocol.ts';
import { parseScenario } from '../../src/scenario/index.ts';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const VALID = `name: small
title: A small one
description: Two brokers.
seed: 5
duration: 5s
cluster: { brokers: 2, config: { min.insync.replicas: 2 } }
topics:
  - { name: orders, partitions: 1, replication.factor: 2 }
producers:
  - { id: p, topic: orders, rate: 10/s, config: { acks: all } }
`;

class FakeWorker implements WorkerLike {
  onmessage: ((ev: MessageEvent<RunReply>) => void) | null = null;
  onerror: ((ev: ErrorEvent) => void) | null = null;
  readonly received: WorkerRequest[] = [];
  terminated = false;
  postMessage(m: WorkerRequest): void {
    this.received.push(m);
  }
  terminate(): void {
    this.terminated = true;
  }
  /** Answer the n-th request it received as the real worker would. */
  answer(n = 0): void {
    const r = this.received[n];
    if (r.kind !== 'check') throw new Error('not a check');
    this.onmessage?.({ data: { id: r.id, kind: 'checked', check: checkScenario(r.text, r.fileName) } } as MessageEvent<RunReply>);
  }
}

function spawner() {
  const workers: FakeWorker[] = [];
  return { workers, spawn: () => (workers.push(new FakeWorker()), workers[workers.length - 1]) };
}

describe('checkScenario (the worker side)', () => {
  it('gives the title, description, seed and as-written values of a valid scenario', () => {
    const c = checkScenario(VALID, 'small.yaml');
    expect(c).toMatchObject({ name: 'small', title: 'A small one', description: 'Two brokers.', errors: [], errorCount: 0, seed: 5 });
    expect(c.written).toMatchObject({ 'min.insync.replicas': '2', acks: 'all' });
  });

  it('gives the validator\'s errors for an invalid one, and its title read tolerantly', () => {
    const text = VALID.replace('duration: 5s', 'duration: soon');
    const c = checkScenario(text, 'small.yaml');
    const parsed = parseScenario(text, 'small.yaml');
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(c.errors).toEqual(parsed.errors);
    expect(c.errorCount).toBe(parsed.errors.length);
    expect(c.title).toBe('A small one');
    expect(c.seed).toBeUndefined();
    expect(checkScenario(': : [', 'dir/broken.yaml').title).toBe('broken');
  });

  it('sends back at most MAX_CHECK_ERRORS errors, with the exact count', () => {
    const lines = ['name: many', 'duration: 5s', 'cluster: { brokers: 1 }', 'topics:'];
    for (let i = 0; i < MAX_CHECK_ERRORS + 50; i++) lines.push(`  - { name: t${i}, partitions: 1, replication.factor: 1, bogus${i}: 1 }`);
    const c = checkScenario(lines.join('\n') + '\n', 'many.yaml');
    expect(c.errors).toHaveLength(MAX_CHECK_ERRORS);
    expect(c.errorCount).toBeGreaterThanOrEqual(MAX_CHECK_ERRORS + 50);
  });
});

describe('CheckClient: the editor\'s validate-as-you-type, latest wins', () => {
  it('answers one request through the worker', async () => {
    const { workers, spawn } = spawner();
    const client = new CheckClient(spawn);
    const p = client.check(VALID, 'a.yaml');
    expect(workers).toHaveLength(1);
    expect(workers[0].received[0]).toMatchObject({ kind: 'check', text: VALID, fileName: 'a.yaml' });
    workers[0].answer();
    expect((await p)?.title).toBe('A small one');
  });

  it('abandons a request still in flight when a newer text comes: undefined for it, its worker terminated, the newer answered by a fresh worker', async () => {
    const { workers, spawn } = spawner();
    const client = new CheckClient(spawn);
    const old = client.check(VALID, 'a.yaml');
    const broken = VALID.replace('duration: 5s', 'duration: soon');
    const latest = client.check(broken, 'a.yaml');
    expect(await old).toBeUndefined();
    expect(workers[0].terminated).toBe(true);
    expect(client.abandoned).toBe(1);
    expect(workers).toHaveLength(2);
    // A late answer from the abandoned worker is ignored.
    workers[0].answer();
    workers[1].answer();
    const c = await latest;
    expect(c?.errorCount).toBeGreaterThan(0);
  });

  it('does not restart for the text already in flight, and answers a repeated text from the last result', async () => {
    const { workers, spawn } = spawner();
    const client = new CheckClient(spawn);
    const a = client.check(VALID, 'a.yaml');
    const b = client.check(VALID, 'a.yaml');
    expect(b).toBe(a);
    workers[0].answer();
    await a;
    const again = await client.check(VALID, 'a.yaml');
    expect(again?.title).toBe('A small one');
    expect(workers[0].received).toHaveLength(1);
    expect(client.abandoned).toBe(0);
    // A different file name is a different question (JSON or YAML).
    void client.check(VALID, 'a.json');
    expect(workers[0].received).toHaveLength(2);
  });
});

describe('RunClient: the page opening a scenario checks it in the run worker first', () => {
  it('sends a check before the run and resolves it with the worker\'s answer; cancelAll rejects what is pending', async () => {
    const { workers, spawn } = spawner();
    const client = new RunClient(spawn);
    const c = client.check(VALID, 'a.yaml');
    workers[0].answer();
    expect((await c).seed).toBe(5);
    const pending = client.check(VALID, 'b.yaml');
    client.cancelAll();
    await expect(pending).rejects.toBeInstanceOf(RunFailed);
    expect(workers[0].terminated).toBe(true);
  });
});

describe('the page\'s main thread never parses scenario text', () => {
  it('no module of viz/ outside the workers calls parseScenario or the YAML parser, but the bundled library\'s metadata read', () => {
    const workerSide = new Set(['viz/run/check.ts', 'viz/run/simulate.ts', 'viz/run/trace-run.ts', 'viz/run/sweep.ts', 'viz/run/worker.ts', 'viz/run/sweep-worker.ts']);
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const f of readdirSync(join(repo, dir))) {
        const p = `${dir}/${f}`;
        if (statSync(join(repo, p)).isDirectory()) walk(p);
        else if (p.endsWith('.ts')) files.push(p);
      }
    };
    walk('viz');
    const offenders = files.filter((p) => !workerSide.has(p)).filter((p) => {
      const src = readFileSync(join(repo, p), 'utf8');
      if (/\bparseScenario\s*\(/.test(src)) return true;
      // yaml's parser only in lib/meta.ts, which the bundled library and the worker's check use
      return /from 'yaml'/.test(src) && p !== 'viz/lib/meta.ts';
    });
    expect(offenders).toEqual([]);
    // and the one main-thread user of meta.ts reads bundled files only
    const mainUsers = files.filter((p) => !workerSide.has(p) && /lib\/meta\.ts'/.test(readFileSync(join(repo, p), 'utf8')) && /readScenarioMeta\(/.test(readFileSync(join(repo, p), 'utf8')));
    expect(mainUsers).toEqual(['viz/app/library.ts']);
  });
});
