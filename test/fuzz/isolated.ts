// Runs scenarios in a child process with a small heap and a time limit, so that a scenario which
// makes the simulator exhaust memory (or loop inside one event, where the event limit cannot stop
// it) fails one fuzz case instead of killing the test worker and every test after it. The child
// reports each job as it starts and ends; when it dies, the job it had started is the culprit and a
// new child carries on with the rest.
//
// As a script (the child):  node --import tsx test/fuzz/isolated.ts JOBS.json
// From a test (the parent): runIsolated(jobs)

import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface Job {
  id: string;
  text: string;
  /** The file name errors and the scenario carry (.json selects JSON parsing). */
  fileName: string;
  untilUs?: number;
  eventLimit: number;
}

export type JobResult =
  | { id: string; outcome: 'ok' }
  | { id: string; outcome: 'invalid' }
  | { id: string; outcome: 'event limit' }
  | { id: string; outcome: 'failed'; kind: string; signature: string; detail: string }
  | { id: string; outcome: 'died'; detail: string };

const HEAP_MB = 256;
const CHILD_TIMEOUT_MS = 120_000;

/** Runs the jobs in as few child processes as it can; one result per job, in order. */
export function runIsolated(jobs: Job[]): JobResult[] {
  const results: JobResult[] = [];
  let rest = jobs;
  const dir = join(tmpdir(), 'kafkasim-fuzz');
  mkdirSync(dir, { recursive: true });
  while (rest.length > 0) {
    const file = join(dir, `jobs-${process.pid}.json`);
    writeFileSync(file, JSON.stringify(rest));
    const child = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_MB}`, '--import', 'tsx', import.meta.filename, file], {
      encoding: 'utf8',
      timeout: CHILD_TIMEOUT_MS,
      maxBuffer: 64 << 20,
    });
    const done = new Map<string, JobResult>();
    let started: string | undefined;
    for (const line of (child.stdout ?? '').split('\n')) {
      if (line.startsWith('start ')) started = line.slice(6);
      if (line.startsWith('result ')) {
        const r = JSON.parse(line.slice(7)) as JobResult;
        done.set(r.id, r);
        started = undefined;
      }
    }
    const finished = rest.filter((j) => done.has(j.id));
    results.push(...finished.map((j) => done.get(j.id)!));
    if (finished.length === rest.length) break;
    // The child died (out of memory, a signal, the time limit) during `started`, or before any job.
    const culprit = rest.find((j) => j.id === started) ?? rest[finished.length];
    const why = child.error ? String(child.error.message) : `exit ${child.status}${child.signal ? `, signal ${child.signal}` : ''}`;
    const stderr = (child.stderr ?? '').split('\n').filter((l) => /error|heap|memory|Error/.test(l)).slice(0, 4).join('\n');
    results.push({ id: culprit.id, outcome: 'died', detail: `the child process died running it (${why}; heap limit ${HEAP_MB} MB, time limit ${CHILD_TIMEOUT_MS / 1000} s)\n${stderr}` });
    rest = rest.slice(rest.indexOf(culprit) + 1);
  }
  return results;
}

/** The child: runs every job of the file, reporting each. */
async function child(file: string): Promise<void> {
  const { parseScenario } = await import('../../src/scenario/index.ts');
  const { kindOf, runChecked, signature } = await import('./oracle.ts');
  const jobs = JSON.parse(readFileSync(file, 'utf8')) as Job[];
  for (const job of jobs) {
    process.stdout.write(`start ${job.id}\n`);
    const parsed = parseScenario(job.text, job.fileName);
    let result: JobResult;
    if (!parsed.ok) result = { id: job.id, outcome: 'invalid' };
    else {
      try {
        runChecked(parsed.scenario, parsed.spec, { untilUs: job.untilUs, eventLimit: job.eventLimit, keepTrace: false });
        result = { id: job.id, outcome: 'ok' };
      } catch (error) {
        const kind = kindOf(error);
        const e = error instanceof Error ? ((error as { reason?: Error }).reason ?? error) : new Error(String(error));
        result = kind === 'event limit'
          ? { id: job.id, outcome: 'event limit' }
          : { id: job.id, outcome: 'failed', kind, signature: signature(error), detail: (e.stack ?? e.message).split('\n').slice(0, 8).join('\n') };
      }
    }
    process.stdout.write(`result ${JSON.stringify(result)}\n`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await child(process.argv[2]);
