// Scenario → Simulation → verdict: builds the simulation a validated scenario describes, runs it to
// its end (or an earlier time) checking each expectation at its moment, and returns everything the
// CLI, the experiments and the front end print or draw. Browser-safe: no files, no terminal.

import { EventLimitExceeded } from '../../sim/engine/index.ts';
import { assembleSimulation, type EventWatch, type Simulation, type SimulationOptions, type SimulationParts } from '../../sim/kafka/index.ts';
import { parsePartitionName, type ClusterSpec } from '../../sim/kafka/spec.ts';
import { standardParts, type StandardPartsOptions } from './standard-parts.ts';
import type { Scenario } from './types.ts';
import { isOverRuns, type RunExpectation } from './types.ts';
import { evaluate, eventQuery, runWithExpectations, type EventQuery, type ExpectationResult, type Observer } from './verdict.ts';

export interface RunOptions extends SimulationOptions, StandardPartsOptions, Pick<SimulationParts, 'observers'> {
  /** Overrides the scenario's seed (`--seed`). */
  seed?: number;
  /** Stops early (`--until`); expectations after it are not checked. */
  untilUs?: number;
}

export interface RunResult {
  scenario: Scenario;
  spec: ClusterSpec;
  sim: Simulation;
  /** Simulated time the run reached. */
  endUs: number;
  expectations: ExpectationResult[];
  passed: boolean;
}

export function specWithSeed(spec: ClusterSpec, seed: number | undefined): ClusterSpec {
  return seed === undefined ? spec : { ...spec, seed };
}

/**
 * The simulator failed, as opposed to the scenario's expectations: an invariant broke (a simulator
 * bug) or the run hit its event limit. Carries the scenario and seed so the run can be replayed.
 */
export class SimulationFailure extends Error {
  override readonly name = 'SimulationFailure';
  constructor(
    readonly scenario: string,
    readonly seed: number,
    readonly reason: Error,
  ) {
    // the event limit's message already starts with the scheduler's label, `scenario X, seed N: `
    const prefix = `scenario ${scenario}, seed ${seed}: `;
    super(reason.message.startsWith(prefix) ? reason.message : prefix + reason.message);
  }
}

function isSimulatorFailure(err: unknown): err is Error {
  return err instanceof EventLimitExceeded || (err instanceof Error && (err.name === 'InvariantViolation' || err.name === 'LedgerLimitExceeded'));
}

/** A simulator failure thrown by a run, as a SimulationFailure naming the scenario and seed; anything else unchanged. */
export function asSimulationFailure(err: unknown, scenario: string, seed: number): unknown {
  return isSimulatorFailure(err) ? new SimulationFailure(scenario, seed, err) : err;
}

export function runScenario(scenario: Scenario, spec: ClusterSpec, opts: RunOptions = {}): RunResult {
  try {
    return runChecked(scenario, spec, opts);
  } catch (err) {
    throw asSimulationFailure(err, scenario.name, opts.seed ?? spec.seed);
  }
}

/** A scenario's simulation, built and not yet run, with where it stops and the expectations due by then. */
export interface StartedRun {
  spec: ClusterSpec;
  sim: Simulation;
  endUs: number;
  due: Scenario['expect'];
  /** What the expectations read, its event watches set up before the first event. */
  observer: Observer;
}

/** Builds the run runScenario makes, for a caller that advances it itself (the CLI, in slices, to hear Ctrl-C). */
export function startScenario(scenario: Scenario, spec: ClusterSpec, opts: RunOptions = {}): StartedRun {
  const s = specWithSeed(spec, opts.seed);
  // a scenario that states expectations on metrics gets the metrics part (else a run pays nothing for it)
  const wantsMetrics = opts.metrics ?? (scenario.expect.some((e) => e.check === 'metric' || e.check === 'alert-seconds') || undefined);
  const parts = { ...standardParts({ checkInvariants: opts.checkInvariants, metrics: wantsMetrics, recordLimit: opts.recordLimit }), observers: opts.observers };
  const sim = assembleSimulation(s, parts, {
    eventLimit: opts.eventLimit,
    keepTrace: opts.keepTrace,
    traceSink: opts.traceSink,
    traceHash: opts.traceHash,
    trace: opts.trace,
  });
  const endUs = Math.min(opts.untilUs ?? s.durationUs, s.durationUs);
  const due = scenario.expect.filter((e) => (e.atUs ?? s.durationUs) <= endUs);
  // an event expectation counts (and times) the events matching its filter from the very start
  const watches = new Map<string, EventWatch>();
  for (const e of due) {
    if (e.check !== 'event') continue;
    const q = eventQuery(e);
    const k = watchKey(e.type, q);
    if (!watches.has(k)) watches.set(k, sim.watchEvents(e.type, q));
  }
  return { spec: s, sim, endUs, due, observer: observerFor(sim, watches) };
}

const watchKey = (type: string, q: EventQuery): string => JSON.stringify([type, q.partition, q.broker, q.group, q.client, q.reason]);

function runChecked(scenario: Scenario, spec: ClusterSpec, opts: RunOptions): RunResult {
  const { spec: s, sim, endUs, due, observer } = startScenario(scenario, spec, opts);
  const expectations = runWithExpectations(due, endUs, (t) => sim.runUntil(t), () => observer);
  // a run that reached its end gets the model's full end-of-run invariant pass too
  if (endUs === s.durationUs) sim.run();
  return { scenario, spec: s, sim, endUs, expectations, passed: expectations.every((r) => r.ok) };
}

export interface Slicing {
  /** Called between two slices with the run so far; throw to stop the run there (the CLI's Ctrl-C). */
  between?(sim: Simulation, endUs: number): void;
  /** Wall-clock milliseconds a slice should take (default 50): how soon `between` is called again. */
  sliceMs?: number;
  /** Lets the caller's event loop turn between slices (the CLI: setImmediate); default: nothing to wait for. */
  pause?: () => Promise<void>;
  /**
   * The caller's wall clock in ms (performance.now), to size the slices; without it every slice is
   * 10 ms of simulated time. Handed in: nothing under src/scenario reads a clock (determinism: test/architecture.test.ts).
   */
  clock?: () => number;
}

const MIN_SLICE_US = 1_000;
const MAX_SLICE_US = 3_600_000_000;

/** The simulated length of the next slice, adjusted so that a slice takes about `targetMs` of wall time. */
class SliceLength {
  private us = 10_000;
  private startedMs = 0;

  constructor(
    private readonly targetMs: number,
    private readonly clock: (() => number) | undefined,
  ) {}

  next(): number {
    if (this.clock) this.startedMs = this.clock();
    return this.us;
  }

  done(): void {
    if (!this.clock) return;
    const tookMs = Math.max(this.clock() - this.startedMs, 0.05);
    const factor = Math.min(4, Math.max(0.25, this.targetMs / tookMs));
    this.us = Math.max(MIN_SLICE_US, Math.min(MAX_SLICE_US, Math.round(this.us * factor)));
  }
}

/**
 * The one run loop of the CLI (`kafkasim run`, `check`) and the page's worker: runs a scenario in
 * slices of simulated time, calling `between` after each (progress, Ctrl-C) and letting the caller's
 * event loop turn. It is the same run as runScenario, event for event: the scheduler runs the same
 * events whether it is asked to reach a time at once or in steps, and nothing happens between the
 * steps (the wall clock only sizes the slices). The expectations are checked as runWithExpectations
 * checks them: each at its moment, in time order, ties in file order.
 */
export async function runInSlices(scenario: Scenario, spec: ClusterSpec, opts: RunOptions, slicing: Slicing = {}): Promise<RunResult> {
  try {
    const run = startScenario(scenario, spec, opts);
    const { sim, endUs } = run;
    const length = new SliceLength(slicing.sliceMs ?? 50, slicing.clock);
    const advance = async (tUs: number) => {
      while (sim.now < tUs) {
        sim.runUntil(Math.min(tUs, sim.now + length.next()));
        length.done();
        slicing.between?.(sim, endUs);
        if (slicing.pause) await slicing.pause();
      }
    };
    const checkable = run.due.filter((e): e is RunExpectation => !isOverRuns(e));
    const order = checkable.map((e, i) => ({ e, i, at: e.atUs ?? endUs })).sort((a, b) => a.at - b.at || a.i - b.i);
    const expectations: ExpectationResult[] = new Array(checkable.length);
    for (const { e, i, at } of order) {
      await advance(at);
      expectations[i] = evaluate(e, run.observer);
    }
    await advance(endUs);
    // a run that reached its end gets the model's full end-of-run invariant pass (and the journal's end) too
    if (endUs === run.spec.durationUs) sim.run();
    return { scenario, spec: run.spec, sim, endUs, expectations, passed: expectations.every((r) => r.ok) };
  } catch (err) {
    throw asSimulationFailure(err, scenario.name, opts.seed ?? spec.seed);
  }
}

/**
 * The expectations' view of a simulation (the meanings docs/scenario-format.md gives). Event counts with only a partition
 * and/or broker come from the simulation's tallies; any other filter, or a time, from `watches` set up
 * before the run (startScenario does it for the scenario's expectations).
 */
export function observerFor(sim: Simulation, watches: ReadonlyMap<string, EventWatch> = new Map()): Observer {
  return {
    partition(name) {
      const p = sim.partition(name);
      if (!p) return undefined;
      return {
        leader: p.leader,
        isr: p.isr,
        replicas: p.replicas,
        hw: p.highWatermark,
        leo: (broker) => p.brokers.find((b) => b.broker === broker)?.logEndOffset,
        epoch: p.leaderEpoch,
        partitionEpoch: p.partitionEpoch,
      };
    },
    records(kind, filter) {
      return sim.ledgerSummary(filter)[kind];
    },
    processing(kind, filter) {
      const s = sim.ledger.processing(filter);
      return kind === 'skipped' ? s.skipped : s.duplicatesProcessed;
    },
    metric(name, labels) {
      const m = sim.parts.metrics;
      if (m === undefined) return undefined;
      const r = m.result();
      const series = r.series.filter((s) => s.name === name && (labels.group === undefined || s.labels?.group === labels.group)
        && (labels.partition === undefined || s.labels?.partition === labels.partition));
      return { series, nowUs: r.endUs };
    },
    position(consumer, partition) {
      const tp = parsePartitionName(partition);
      return tp === undefined ? undefined : sim.parts.groupQueries.position(consumer, tp.topic, tp.partition);
    },
    events(type, filter) {
      const w = watches.get(watchKey(type, filter));
      if (w !== undefined) return w;
      if (Object.values(filter).some((v) => v !== undefined)) {
        throw new Error(`no watch on ${type} events with ${JSON.stringify(filter)}: set it up before the run (sim.watchEvents)`);
      }
      return { count: sim.eventCount(type), firstUs: -1, lastUs: -1 };
    },
    producerErrors({ producer, code, reason, records }) {
      const n = sim.producerErrorCount({ producer, code, reason });
      return records ? n.records : n.batches;
    },
    lag(group, filter) {
      const rows = sim.parts.groupQueries.groupOffsets(group).filter((r) => matches(r.topic, r.partition, filter));
      if (rows.length === 0 || rows.some((r) => r.committed === undefined || r.logEndOffset === undefined)) return undefined;
      return rows.reduce((sum, r) => sum + (r.logEndOffset! - r.committed!), 0);
    },
    committed(group, partition) {
      return sim.parts.groupQueries.groupOffsets(group).find((r) => `${r.topic}-${r.partition}` === partition)?.committed;
    },
  };
}

function matches(topic: string, partition: number, f: { topic?: string; partition?: string }): boolean {
  return (f.topic === undefined || f.topic === topic) && (f.partition === undefined || f.partition === `${topic}-${partition}`);
}
