// Runs a scenario in the page exactly as the CLI does (same parser, same spec, same parts, same
// seed, so the same trace hash), watching it as it goes: the trace is normalised for the views, the
// model's observer hooks add per-replica appends and HW moves (which the trace does not carry for
// followers), and the ledger's counts are sampled after every event that can change them.

import { parseScenario, formatError } from '../../src/scenario/index.ts';
import { assembleSimulation, configValue, type Simulation, type ClusterSpec, type LostRecord as ModelLost } from '../../sim/kafka/index.ts';
import { standardParts } from '../../src/scenario/standard-parts.ts';
import type { VizEvent } from '../lib/events.ts';
import type { Flight } from '../lib/in-flight.ts';
import { fnv1a, type LostRecord, type RunData } from '../lib/run-data.ts';
import { applyWhatIf } from '../lib/what-if.ts';
import type { Topology } from '../lib/view-state.ts';
import { ReplicaCollector } from './collector.ts';
import { normalizeEvent } from './normalize.ts';
import { AppendIndex, computeLostTimes } from './lost-times.ts';

export class InvalidScenario extends Error {
  constructor(readonly errors: string[]) {
    super(`the scenario has ${errors.length} error(s)`);
  }
}

export interface SimulateRequest {
  text: string;
  fileName: string;
  seed?: number;
  overrides?: Record<string, string>;
}

/** Trace types after which the ledger's counts may change: sample them then. */
const LEDGER_TRIGGERS = new Set(['partition-change', 'truncated', 'broker-crashed', 'broker-restarted', 'disk-lost', 'produce-failed']);
/** Beyond this many messages, keep an even sample (big clusters): memory, not correctness. */
const MAX_FLIGHTS = 250_000;

export function buildSpec(req: SimulateRequest, parsed = parseScenario(req.text, req.fileName)): ClusterSpec {
  if (!parsed.ok) throw new InvalidScenario(parsed.errors.map(formatError));
  let spec: ClusterSpec = req.seed === undefined ? parsed.spec : { ...parsed.spec, seed: req.seed };
  if (req.overrides && Object.keys(req.overrides).length) spec = applyWhatIf(spec, req.overrides);
  return spec;
}

export function simulate(req: SimulateRequest, onProgress?: (tUs: number, durationUs: number) => void, now: () => number = () => 0): RunData {
  const wall0 = now();
  const parsed = parseScenario(req.text, req.fileName);
  if (!parsed.ok) throw new InvalidScenario(parsed.errors.map(formatError));
  const spec = buildSpec(req, parsed); // parsed once: a big text costs its parse once
  const meta = parsed.scenario;

  let sampleDue = false;
  const events: VizEvent[] = [];
  const flights: Flight[] = [];
  const fingerprints: number[] = [];
  const rawTimes: number[] = [];
  let traceCount = 0;
  // Observer events interleave with trace events in execution order: both go to one list.
  const sink = (line: string) => {
    fingerprints.push(fnv1a(line));
    traceCount++;
  };
  let consumed = 0;
  let simRef: Simulation | undefined;
  const drain = () => {
    if (!simRef) return;
    const all = simRef.trace.events;
    for (; consumed < all.length; consumed++) {
      const e = all[consumed];
      rawTimes.push(e.t);
      normalizeEvent(e, events, flights);
      if (LEDGER_TRIGGERS.has(e.type)) sampleDue = true;
      // An ack from a broker that no longer leads can be lost at the moment it is given.
      else if (e.type === 'produce-acked' && simRef.partition(String(e.p))?.leader !== e.broker) sampleDue = true;
    }
  };
  // the CLI's parts, and the collector watching the model after them
  const collector = (s: Simulation) => new ReplicaCollector(s.cluster.names, () => s.now, events, () => drain());
  const sim = assembleSimulation(spec, { ...standardParts(), observers: [collector] }, { keepTrace: true, traceSink: sink });
  simRef = sim;
  const trace = sim.trace;
  drain();
  const sched = sim.scheduler;
  const end = spec.durationUs;
  const progressEvery = Math.max(1, Math.floor(end / 50));
  let nextProgress = progressEvery;
  let nextPeriodicSample = 0;
  const sample = (t: number) => {
    const s = sim.ledgerSummary();
    events.push({ tUs: t, type: 'ledger', produced: s.produced, acked: s.acked, lost: s.lost, unavailable: s.unavailable, duplicates: s.duplicates });
    sampleDue = false;
  };
  sample(0);
  for (;;) {
    const pt = sched.peekTime();
    if (pt === undefined || pt > end) break;
    sched.step();
    drain();
    if (sampleDue || pt >= nextPeriodicSample) {
      sample(pt);
      nextPeriodicSample = pt + 1_000_000;
    }
    if (pt >= nextProgress) {
      onProgress?.(pt, end);
      nextProgress = pt + progressEvery;
    }
  }
  sim.run(); // the rest up to the duration (no events left) and the end-of-run checks
  drain();
  sample(end);

  const topology = topologyOf(sim, spec);
  const lost = lostRecords(sim.lostRecords(), events, topology);
  const final = sim.ledgerSummary();
  let kept = flights;
  let sampled = false;
  if (flights.length > MAX_FLIGHTS) {
    const k = Math.ceil(flights.length / MAX_FLIGHTS);
    kept = flights.filter((_, i) => i % k === 0).map((f, i) => ({ ...f, index: i }));
    sampled = true;
  }
  void traceCount;
  return {
    name: spec.name,
    title: meta.title ?? spec.name,
    description: meta.description ?? '',
    seed: spec.seed,
    durationUs: end,
    traceHash: trace.hash(),
    traceEvents: trace.count,
    topology,
    events: stableByTime(events),
    flights: kept,
    flightsSampled: sampled,
    lost,
    final: { produced: final.produced, acked: final.acked, lost: final.lost, unavailable: final.unavailable, duplicates: final.duplicates },
    fingerprints: Uint32Array.from(fingerprints),
    rawTimes: Float64Array.from(rawTimes),
    wallMs: now() - wall0,
    overrides: req.overrides,
  };
}

/** Events are produced in execution order, which is time order; a stable sort guards the few
 *  synthetic ones (ledger samples) placed at a step's time. */
function stableByTime(events: VizEvent[]): VizEvent[] {
  for (let i = 1; i < events.length; i++) if (events[i].tUs < events[i - 1].tUs) return events.map((e, i) => ({ e, i })).sort((a, b) => a.e.tUs - b.e.tUs || a.i - b.i).map((x) => x.e);
  return events;
}

function topologyOf(sim: Simulation, spec: ClusterSpec): Topology {
  const partitions = sim.topics().flatMap((t) => t.partitions.map((p) => ({ name: p.name, topic: p.topic, index: p.partition, replicas: [...p.replicas] })));
  return {
    brokers: [...spec.brokers],
    controller: spec.controller,
    partitions,
    producers: spec.producers.map((p) => ({ id: p.id, topic: p.topic, acks: String(configValue('producer', 'acks', p.config)) })),
    consumers: spec.consumers.map((c) => ({ id: c.id, group: c.group })),
    durationUs: spec.durationUs,
  };
}

function lostRecords(model: ModelLost[], events: readonly VizEvent[], topology: Topology): LostRecord[] {
  const appends = new AppendIndex(events);
  const out: LostRecord[] = model.map((r) => ({
    producer: r.producer ?? String(r.producerId),
    sequence: r.sequence,
    partition: r.partition,
    offset: r.ack.offset,
    ackedUs: r.ack.t,
    ackedBy: r.ack.broker,
    epoch: appends.epochAt(r.partition, r.ack.broker, r.ack.offset, r.ack.t),
    story: r.explanation.map((s) => ({ tUs: s.t, text: s.text, broker: s.broker })),
  }));
  computeLostTimes(out, events, topology);
  return out;
}
