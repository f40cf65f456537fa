// A run as the page keeps it (RunData), built from a trace and nothing else: the header's scenario
// (its text, for the topology's producers and consumers, the title and the duration) and the event
// lines. The page's own runs come here too (simulate.ts hands over the lines it recorded), so a
// trace file written by `kafkasim run --trace` and the run the page simulated itself are drawn from
// the same bytes by the same code, and play identically.

import { processingOf } from '../lib/processing.ts';
import { CURRENT_VERSION } from '../../sim/kafka/versions.ts';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { TraceEvent } from '../../sim/engine/index.ts';
import { configValue, parsePartitionName, type ClusterSpec, type TraceHeader } from '../../sim/kafka/index.ts';
import { formatError, parseScenario } from '../../src/scenario/index.ts';
import type { ScenarioStep } from '../../src/scenario/types.ts';
import type { VizEvent } from '../lib/events.ts';
import type { Flight } from '../lib/in-flight.ts';
import { fnv1a, type LostRecord, type RunData } from '../lib/run-data.ts';
import { isMap, parseDocument } from 'yaml';
import { applyWhatIf, VERSION_KEY } from '../lib/what-if.ts';
import type { Topology } from '../lib/view-state.ts';
import { normalizeEvent } from './normalize.ts';

export class InvalidScenario extends Error {
  constructor(readonly errors: string[]) {
    super(`the scenario has ${errors.length} error(s)`);
  }
}

/** A file that is not a trace `kafkasim run --trace` wrote (no header, a line that is not JSON…). */
export class NotATrace extends Error {}

/** Beyond this many messages, keep an even sample (big clusters): memory, not correctness. */
const MAX_FLIGHTS = 250_000;

export interface SpecRequest {
  text: string;
  fileName: string;
  seed?: number;
  overrides?: Record<string, string>;
}

/** The spec a scenario text, a seed and what-if overrides describe. */
export function buildSpec(req: SpecRequest, parsed = parseScenario(req.text, req.fileName)): ClusterSpec {
  if (!parsed.ok) throw new InvalidScenario(parsed.errors.map(formatError));
  const version = req.overrides?.[VERSION_KEY];
  // another release's defaults apply where the file is silent: re-read the file with that version
  if (version !== undefined) parsed = parseScenario(textWithVersion(req.text, version), req.fileName);
  if (!parsed.ok) throw new InvalidScenario(parsed.errors.map(formatError));
  let spec: ClusterSpec = req.seed === undefined ? parsed.spec : { ...parsed.spec, seed: req.seed };
  if (req.overrides && Object.keys(req.overrides).length) spec = applyWhatIf(spec, req.overrides);
  return spec;
}

/**
 * The scenario's text with `cluster.kafka.version` set: a version changes defaults only where the file
 * is silent, so it has to be applied before the file is validated and built, not to the built spec.
 */
export function textWithVersion(text: string, version: string): string {
  const doc = parseDocument(text);
  const cluster = doc.get('cluster');
  if (isMap(cluster)) cluster.set(VERSION_KEY, version);
  return doc.toString();
}

export interface TraceRun {
  header: TraceHeader;
  /** The event lines, without their newlines. */
  lines: readonly string[];
  /** The trace hash when the caller has it already (the run that recorded the lines). */
  traceHash?: string;
  wallMs?: number;
  overrides?: Record<string, string>;
}

export function runDataFromTrace(run: TraceRun): RunData {
  const { header, lines } = run;
  const parsed = parseScenario(header.text, header.file);
  if (!parsed.ok) throw new InvalidScenario(parsed.errors.map(formatError));
  const spec = buildSpec({ text: header.text, fileName: header.file, seed: header.seed, overrides: run.overrides }, parsed);
  const meta = parsed.scenario;
  const groups = new Map(spec.consumers.map((c) => [c.id, c.group]));
  const ctx = { groupOf: (client: string) => groups.get(client) };

  const events: VizEvent[] = [];
  const flights: Flight[] = [];
  const lost: LostRecord[] = [];
  const partitions = new Map<string, number[]>();
  // Notes that name the event they explain (`explains:`): every event of the run that matches, with its time.
  const linked = meta.timeline.filter((st) => st.note !== undefined && st.explains !== undefined);
  const candidates = new Map<ScenarioStep, { tUs: number; event?: VizEvent }[]>(linked.map((st) => [st, []]));
  const fingerprints = new Uint32Array(lines.length);
  const rawTimes = new Float64Array(lines.length);
  let final: RunData['final'] = { produced: 0, acked: 0, lost: 0, unavailable: 0, duplicates: 0 };
  lines.forEach((line, i) => {
    let e: TraceEvent;
    try {
      e = JSON.parse(line) as TraceEvent;
    } catch {
      throw new NotATrace(`line ${i + 2} is not JSON`);
    }
    if (typeof e !== 'object' || e === null || typeof e.t !== 'number' || typeof e.type !== 'string') throw new NotATrace(`line ${i + 2} is not a trace event`);
    fingerprints[i] = fnv1a(line);
    rawTimes[i] = e.t;
    if (e.type === 'partition-change' && Array.isArray(e.replicas)) {
      // every broker that is ever a replica gets a row: a reassignment adds some later (KIP-455)
      const had = partitions.get(String(e.partition));
      partitions.set(String(e.partition), had ? [...had, ...(e.replicas as number[]).filter((b) => !had.includes(b))] : (e.replicas as number[]));
    }
    else if (e.type === 'ledger') final = { produced: Number(e.produced), acked: Number(e.acked), lost: Number(e.lost), unavailable: Number(e.unavailable), duplicates: Number(e.duplicates) };
    else if (e.type === 'record-lost') lost.push(lostRecord(e));
    const before = events.length;
    normalizeEvent(e, events, flights, ctx);
    for (const st of linked) if (explainsMatch(st, e)) candidates.get(st)!.push({ tUs: e.t, event: events.length > before ? events[before] : undefined });
  });
  const keyed = keyCaptions(events, meta.timeline, candidates);

  const durationUs = Math.min(header.untilUs ?? spec.durationUs, spec.durationUs);
  const topology = topologyOf(spec, partitions, durationUs);
  let kept = flights;
  let sampled = false;
  if (flights.length > MAX_FLIGHTS) {
    const k = Math.ceil(flights.length / MAX_FLIGHTS);
    kept = flights.filter((_, i) => i % k === 0).map((f, i) => ({ ...f, index: i }));
    sampled = true;
  }
  return {
    name: spec.name,
    title: meta.title ?? spec.name,
    description: meta.description ?? '',
    seed: spec.seed,
    kafkaVersion: spec.kafkaVersion ?? CURRENT_VERSION,
    durationUs,
    traceHash: run.traceHash ?? hashLines(lines),
    traceEvents: lines.length,
    topology,
    events: keyed,
    flights: kept,
    flightsSampled: sampled,
    lost,
    processing: processingOf(keyed),
    final,
    fingerprints,
    rawTimes,
    wallMs: run.wallMs ?? 0,
    overrides: run.overrides,
    scenarioText: header.text,
    scenarioFile: header.file,
    lessonMetrics: [...new Set(meta.expect.flatMap((e) => (e.check === 'metric' ? [e.name] : e.check === 'alert-seconds' ? [e.metric] : [])))],
  };
}

/** The lines of a trace file: its header and its event lines (a last empty line ignored). */
export function splitTrace(text: string): { header: TraceHeader; lines: string[] } {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  let header: TraceHeader;
  try {
    header = JSON.parse(lines[0] ?? '') as TraceHeader;
  } catch {
    throw new NotATrace('its first line is not JSON: not a trace written by kafkasim run --trace');
  }
  if (header?.type !== 'kafkasim-trace') throw new NotATrace('its first line is not a kafkasim-trace header: a trace written by kafkasim run --trace starts with one');
  if (typeof header.text !== 'string' || typeof header.file !== 'string' || typeof header.seed !== 'number') throw new NotATrace('its header does not name the scenario and seed');
  return { header, lines: lines.slice(1) };
}

/** The trace hash of event lines: SHA-256 of each line and its "\n", as TraceRecorder.hash() computes it. */
export function hashLines(lines: readonly string[]): string {
  const h = sha256.create();
  let chunk = '';
  for (const line of lines) {
    chunk += line + '\n';
    if (chunk.length > 1 << 16) {
      h.update(utf8ToBytes(chunk));
      chunk = '';
    }
  }
  if (chunk.length > 0) h.update(utf8ToBytes(chunk));
  return bytesToHex(h.digest());
}

function lostRecord(e: TraceEvent): LostRecord {
  const story = (e.story as [number, string, number | null][]).map(([tUs, text, broker]) => ({ tUs, text, broker: broker ?? undefined }));
  return {
    producer: String(e.producer),
    sequence: Number(e.sequence),
    partition: String(e.partition),
    offset: Number(e.offset),
    ackedUs: Number(e.acked),
    ackedBy: Number(e.broker),
    epoch: Number(e.epoch),
    lostUs: Number(e.lostAt),
    story,
  };
}

function explainsMatch(st: ScenarioStep, e: TraceEvent): boolean {
  const x = st.explains!;
  if (e.type !== x.type) return false;
  if (x.partition !== undefined && e.partition !== x.partition) return false;
  if (x.broker !== undefined && e.broker !== x.broker && e.leader !== x.broker) return false;
  return true;
}

/**
 * Captions on time (issue 13, point 5). A note on a step with an action explains that action: it
 * links to the event the action made (the next one, at the same moment). A note with `explains:`
 * moves to the matching event nearest the moment it was written at, and links to it. The events come
 * back in time order, each note's `explains` the index of its event among them.
 */
function keyCaptions(events: VizEvent[], timeline: readonly ScenarioStep[], candidates: Map<ScenarioStep, { tUs: number; event?: VizEvent }[]>): VizEvent[] {
  const targets = new Map<VizEvent, VizEvent>();
  events.forEach((e, i) => {
    if (e.type !== 'note') return;
    const step = timeline.find((st) => st.note === e.text && (st.between ? e.tUs >= st.between.minUs && e.tUs <= st.between.maxUs : st.atUs === e.tUs));
    if (!step) return;
    const found = candidates.get(step);
    if (found && found.length) {
      let best = found[0];
      for (const c of found) if (Math.abs(c.tUs - e.tUs) < Math.abs(best.tUs - e.tUs)) best = c;
      e.atUs = e.tUs;
      e.tUs = best.tUs;
      if (best.event) targets.set(e, best.event);
    } else if (step.action) {
      const next = events[i + 1];
      if (next && next.tUs === e.tUs && next.type !== 'note') targets.set(e, next);
    }
  });
  const sorted = stableByTime(events);
  if (targets.size) {
    const index = new Map(sorted.map((e, i) => [e, i]));
    for (const [note, target] of targets) if (note.type === 'note') note.explains = index.get(target);
  }
  return sorted;
}

/** Events come in execution order, which is time order; a stable sort guards any out of order. */
function stableByTime(events: VizEvent[]): VizEvent[] {
  for (let i = 1; i < events.length; i++) if (events[i].tUs < events[i - 1].tUs) return events.map((e, i) => ({ e, i })).sort((a, b) => a.e.tUs - b.e.tUs || a.i - b.i).map((x) => x.e);
  return events;
}

/** The cluster the views lay out: the spec's brokers and clients, the partitions the trace created (by topic, then index). */
function topologyOf(spec: ClusterSpec, created: Map<string, number[]>, durationUs: number): Topology {
  const topics = new Map(spec.topics.map((t) => [t.name, t]));
  const partitions = [...created].map(([name, replicas]) => {
    const p = parsePartitionName(name);
    // the topic's min.insync.replicas (else the broker's): UnderMinIsrPartitionCount reads it
    const topic = p === undefined ? undefined : topics.get(p.topic);
    const minIsr = Number(configValue('topic', 'min.insync.replicas', topic?.config, spec.brokerConfig));
    return { name, topic: p?.topic ?? name, index: p?.partition ?? 0, replicas: [...replicas], minIsr };
  });
  partitions.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.index - b.index));
  return {
    brokers: [...spec.brokers],
    controller: spec.controller,
    ...((spec.controllers ?? 1) > 1 ? { controllers: Array.from({ length: spec.controllers! }, (_, i) => `controller-${i + 1}`) } : {}),
    partitions,
    producers: spec.producers.map((p) => ({ id: p.id, topic: p.topic, acks: String(configValue('producer', 'acks', p.config)) })),
    consumers: spec.consumers.map((c) => ({ id: c.id, group: c.group })),
    durationUs,
  };
}
