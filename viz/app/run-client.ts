// Runs scenarios off the main thread, so the page stays responsive (and shows progress) while a big
// cluster simulates. The worker runs exactly the code the CLI runs; the result is plain data.
// Reading scenario text (parse and validate) happens there too: a 1 MB text takes the validator
// seconds, and on the main thread those seconds would freeze the page (issue 10, point 5).

import type { RunData } from '../lib/run-data.ts';
import type { ScenarioCheck } from '../run/check.ts';
import type { CheckRequest, MetricsRequest, OpenTraceRequest, RunReply, RunRequest, WorkerRequest } from '../run/protocol.ts';
import type { MetricsResult } from '../../sim/kafka/metrics-port.ts';

export class RunFailed extends Error {
  constructor(
    message: string,
    readonly errors: string[] = [],
  ) {
    super(message);
  }
}

/** What the clients need of a Worker (tests pass a fake). */
export interface WorkerLike {
  postMessage(message: WorkerRequest): void;
  terminate(): void;
  onmessage: ((ev: MessageEvent<RunReply>) => void) | null;
  onerror: ((ev: ErrorEvent) => void) | null;
}

export type SpawnWorker = () => WorkerLike;

export const spawnSimulatorWorker: SpawnWorker = () => new Worker(new URL('../run/worker.ts', import.meta.url), { type: 'module' }) as unknown as WorkerLike;

interface Pending {
  resolve: (v: never) => void;
  reject: (e: Error) => void;
  progress?: (t: number, d: number) => void;
  partial?: (d: RunData) => void;
}

export class RunClient {
  private worker: WorkerLike | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly spawn: SpawnWorker = spawnSimulatorWorker) {}

  private ensure(): WorkerLike {
    if (this.worker) return this.worker;
    const w = this.spawn();
    w.onmessage = (ev: MessageEvent<RunReply>) => {
      if (w !== this.worker) return;
      const r = ev.data;
      const p = this.pending.get(r.id);
      if (!p) return;
      if (r.kind === 'progress') return p.progress?.(r.tUs, r.durationUs);
      if (r.kind === 'partial') return p.partial?.(r.data);
      this.pending.delete(r.id);
      if (r.kind === 'done') (p.resolve as (d: RunData) => void)(r.data);
      else if (r.kind === 'checked') (p.resolve as (c: ScenarioCheck) => void)(r.check);
      else if (r.kind === 'metrics') (p.resolve as (m: { metrics?: MetricsResult; missing?: string }) => void)({ metrics: r.metrics, missing: r.missing });
      else if (r.kind === 'invalid') p.reject(new RunFailed('the scenario is not valid', r.errors));
      else p.reject(new RunFailed(r.message));
    };
    w.onerror = (ev) => {
      if (w !== this.worker) return;
      for (const p of this.pending.values()) p.reject(new RunFailed(`the simulator worker failed: ${ev.message}`));
      this.pending.clear();
      this.worker = undefined;
    };
    this.worker = w;
    return w;
  }

  private send<T>(req: WorkerRequest, progress?: (tUs: number, durationUs: number) => void, partial?: (d: RunData) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.set(req.id, { resolve: resolve as (v: never) => void, reject, progress, partial });
      this.ensure().postMessage(req);
    });
  }

  /**
   * Runs a scenario in the worker. With `partial` (and `req.streamFromUs`), the run so far arrives a
   * few simulated seconds past the playhead, before the whole run resolves the promise.
   */
  run(req: Omit<RunRequest, 'id' | 'kind'>, progress?: (tUs: number, durationUs: number) => void, partial?: (d: RunData) => void): Promise<RunData> {
    return this.send<RunData>({ ...req, kind: 'run', id: this.nextId++ } satisfies RunRequest, progress, partial);
  }

  /** Read a trace file in the worker: the run it records, drawn as a run the page simulated. */
  openTrace(bytes: ArrayBuffer, fileName: string): Promise<RunData> {
    return this.send<RunData>({ kind: 'open-trace', id: this.nextId++, bytes, fileName } satisfies OpenTraceRequest);
  }

  /** A trace file's metrics: its scenario run again with the metrics part (missing: why there are none). */
  metrics(req: Omit<MetricsRequest, 'id' | 'kind'>): Promise<{ metrics?: MetricsResult; missing?: string }> {
    return this.send({ ...req, kind: 'metrics', id: this.nextId++ } satisfies MetricsRequest);
  }

  /** Parse and validate in the worker (queued before any run sent after it). */
  check(text: string, fileName: string): Promise<ScenarioCheck> {
    return this.send<ScenarioCheck>({ kind: 'check', id: this.nextId++, text, fileName } satisfies CheckRequest);
  }

  /** Abandon whatever is running or checking (a new scenario was picked): rejected as 'cancelled'. */
  cancelAll(): void {
    for (const p of this.pending.values()) p.reject(new RunFailed('cancelled'));
    this.pending.clear();
    this.worker?.terminate();
    this.worker = undefined;
  }
}

/**
 * Checks for the editor's validate-as-you-type: the latest request wins. A request made while an
 * older one is still being validated abandons it (the worker is terminated: a validation cannot be
 * interrupted otherwise, and a stale one may take seconds); the older promise resolves to undefined.
 * The same text and file name asked again is answered from the last result without a worker trip.
 */
export class CheckClient {
  private worker: WorkerLike | undefined;
  private nextId = 1;
  private inFlight: InFlightCheck | undefined;
  private last: { text: string; fileName: string; check: ScenarioCheck } | undefined;
  /** Workers terminated because their request went stale (for tests). */
  abandoned = 0;

  constructor(private readonly spawn: SpawnWorker = spawnSimulatorWorker) {}

  check(text: string, fileName: string): Promise<ScenarioCheck | undefined> {
    const f = this.inFlight;
    if (f && f.text === text && f.fileName === fileName) return f.promise;
    if (f) {
      this.inFlight = undefined;
      f.resolve(undefined);
      this.worker?.terminate();
      this.worker = undefined;
      this.abandoned++;
    }
    const last = this.last;
    if (last && last.text === text && last.fileName === fileName) return Promise.resolve(last.check);
    const id = this.nextId++;
    let settle!: Pick<InFlightCheck, 'resolve' | 'reject'>;
    const answer = new Promise<ScenarioCheck | undefined>((resolve, reject) => (settle = { resolve, reject }));
    const promise = answer.then((c) => {
      if (c) this.last = { text, fileName, check: c };
      return c;
    });
    this.inFlight = { id, text, fileName, promise, ...settle };
    this.ensure().postMessage({ kind: 'check', id, text, fileName } satisfies CheckRequest);
    return promise;
  }

  private ensure(): WorkerLike {
    if (this.worker) return this.worker;
    const w = this.spawn();
    w.onmessage = (ev: MessageEvent<RunReply>) => {
      const r = ev.data;
      const p = this.inFlight;
      if (w !== this.worker || !p || r.id !== p.id) return;
      this.inFlight = undefined;
      if (r.kind === 'checked') p.resolve(r.check);
      else p.reject(new RunFailed(r.kind === 'failed' ? r.message : `unexpected reply ${r.kind}`));
    };
    w.onerror = (ev) => {
      if (w !== this.worker) return;
      this.inFlight?.reject(new RunFailed(`the checking worker failed: ${ev.message}`));
      this.inFlight = undefined;
      this.worker = undefined;
    };
    this.worker = w;
    return w;
  }
}

interface InFlightCheck {
  id: number;
  text: string;
  fileName: string;
  promise: Promise<ScenarioCheck | undefined>;
  resolve: (c: ScenarioCheck | undefined) => void;
  reject: (e: Error) => void;
}
