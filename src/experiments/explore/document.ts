// A candidate (a fault schedule and a workload) as a scenario file: the original YAML document with
// its timeline's faults replaced by the schedule's steps, its seed by the run seed, and the workload
// made smaller where the shrinker asked. Every run of the explorer goes through this text and the
// ordinary validator, so the file it finally writes and the runs that found it are the same thing.
//
// What is kept from the original timeline: its operations (alter-config, add-partitions,
// elect-leaders, reset-offsets, stop-/start-producer), which are part of the workload, with their
// notes. What is dropped: its faults (crash … heal) and note-only steps, whose captions narrate a
// story the drawn schedule no longer tells.
//
// Sections the explorer does not change are copied node for node, so their comments and flow style
// survive; keys come out in the order the library's files use.

import { Document, isAlias, isMap, isScalar, isSeq, parseDocument, Scalar, visit, type Node, type YAMLMap, type YAMLSeq } from 'yaml';
import { formatDuration, parseScenario, type Scenario, type ScenarioError } from '../../scenario/index.ts';
import { scheduleSteps, type Fault } from './schedule.ts';
import type { Candidate, Workload } from './shrink.ts';

/** The scenario being explored: its document and its validated form. */
export interface Base {
  fileName: string;
  doc: Document.Parsed;
  scenario: Scenario;
  /** Operation steps of the original timeline, kept: index in `timeline:` and time. */
  keptSteps: { index: number; atUs: number }[];
  /** Judge `lost: 0` too, after the file's own expectations (see judged.ts). */
  withDefaultExpect?: boolean;
}

/** How a candidate is written: the run seed, and either the original expectations or the file's own. */
export interface Rendering {
  seed: number;
  /** 'original': the file's `expect` (or `lost: 0` when it has none); else the items to write. */
  expect: 'original' | Record<string, unknown>[];
  /** A caption per schedule step, in scheduleSteps order; '' for none. */
  notes?: string[];
  name?: string;
  title?: string;
  description?: string;
}

export const KEY_ORDER = ['name', 'title', 'description', 'seed', 'duration', 'cluster', 'network', 'topics', 'producers', 'consumers', 'timeline', 'expect'] as const;

const FAULT_ACTIONS = new Set(['crash', 'restart', 'shutdown', 'power-loss', 'disk-loss', 'pause', 'isolate', 'partition', 'cut', 'slow', 'heal']);

/** Without expectations, a scenario explored must lose no acknowledged record. */
export const DEFAULT_EXPECT = [{ lost: 0 }];

export function loadBase(text: string, fileName: string): { ok: true; base: Base } | { ok: false; errors: ScenarioError[] } {
  const parsed = parseScenario(text, fileName);
  if (!parsed.ok) return { ok: false, errors: parsed.errors };
  const scenario = parsed.scenario;
  const keptSteps = scenario.timeline
    .map((s, index) => ({ index, atUs: s.atUs, type: s.action?.type }))
    .filter((s) => s.type !== undefined && !FAULT_ACTIONS.has(s.type))
    .map(({ index, atUs }) => ({ index, atUs }));
  return { ok: true, base: { fileName, doc: parseDocument(text), scenario, keptSteps } };
}

export function initialWorkload(s: Scenario): Workload {
  return {
    durationUs: s.durationUs,
    producers: s.producers.map((p) => ({ id: p.id, ratePerSec: p.ratePerSec })),
    consumers: s.consumers.map((c) => c.id),
  };
}

export function scenarioText(base: Base, c: Candidate, r: Rendering): string {
  return scenarioDocument(base, c, r).toString({ lineWidth: 0, flowCollectionPadding: false });
}

export function scenarioDocument(base: Base, c: Candidate, r: Rendering): Document {
  const out = new Document({});
  const map = out.contents as YAMLMap;
  const sections: Record<string, Node | undefined> = {
    name: r.name === undefined ? original(base, 'name') : out.createNode(r.name),
    title: r.title === undefined ? original(base, 'title') : out.createNode(r.title),
    description: r.description === undefined ? original(base, 'description') : blockText(r.description),
    seed: out.createNode(r.seed),
    duration: c.workload.durationUs === base.scenario.durationUs ? original(base, 'duration') : out.createNode(formatDuration(c.workload.durationUs)),
    cluster: original(base, 'cluster'),
    network: original(base, 'network'),
    topics: original(base, 'topics'),
    producers: producersNode(base, c.workload),
    consumers: consumersNode(base, c.workload),
    timeline: timelineNode(out, base, c.faults, r.notes),
    expect: r.expect === 'original' ? originalExpect(out, base) : flowInside(out.createNode(r.expect)),
  };
  for (const k of KEY_ORDER) if (sections[k] !== undefined) map.set(k, sections[k]);
  return out;
}

/**
 * A copy of an original section. Through plain data, restyled, when it uses aliases (their anchors
 * may be in a dropped section) or comes from a JSON file (whose flow style would be one long line).
 */
function original(base: Base, key: string): Node | undefined {
  const node = base.doc.get(key, true) as Node | undefined;
  if (node === undefined) return undefined;
  let aliased = false;
  visit(node, { Alias: () => { aliased = true; return visit.BREAK; } });
  if (isAlias(node) || aliased || /\.json$/i.test(base.fileName)) return restyled(base.doc.createNode(node.toJS(base.doc)) as Node);
  return node.clone() as Node;
}

/** Block style, except for collections of scalars below the top two levels (`replicas: [1, 2, 3]`). */
function restyled(node: Node, depth = 0): Node {
  if (!isMap(node) && !isSeq(node)) return node;
  const children = isMap(node) ? node.items.map((p) => p.value) : node.items;
  node.flow = depth >= 2 && children.every((c) => !isMap(c) && !isSeq(c));
  for (const c of children) if (isMap(c) || isSeq(c)) restyled(c, depth + 1);
  return node;
}

function blockText(text: string): Scalar {
  const s = new Scalar(text.endsWith('\n') ? text : `${text}\n`);
  s.type = Scalar.BLOCK_LITERAL;
  return s;
}

/** Producers kept, with the shrunk rate, and stop (or start) brought inside a shorter run. */
function producersNode(base: Base, w: Workload): Node | undefined {
  const seq = original(base, 'producers');
  if (!isSeq(seq)) return seq;
  const rates = new Map(w.producers.map((p) => [p.id, p.ratePerSec]));
  seq.items = seq.items.filter((item) => rates.has(idOf(item) ?? ''));
  for (const item of seq.items) {
    const id = idOf(item)!;
    const spec = base.scenario.producers.find((p) => p.id === id)!;
    if (rates.get(id) !== spec.ratePerSec) (item as YAMLMap).set('rate', `${rates.get(id)}/s`);
    clampStop(item as YAMLMap, spec.stopUs, w.durationUs);
  }
  return seq;
}

function consumersNode(base: Base, w: Workload): Node | undefined {
  const seq = original(base, 'consumers');
  if (!isSeq(seq)) return seq;
  const kept = new Set(w.consumers);
  seq.items = seq.items.filter((item) => kept.has(idOf(item) ?? ''));
  if (seq.items.length === 0) return undefined;
  for (const item of seq.items) {
    const spec = base.scenario.consumers.find((c) => c.id === idOf(item))!;
    clampStop(item as YAMLMap, spec.stopUs, w.durationUs);
  }
  return seq;
}

/** A client that stopped after the end of a shortened run now stops at its end. */
function clampStop(item: YAMLMap, stopUs: number | undefined, durationUs: number): void {
  if (stopUs !== undefined && stopUs > durationUs) item.set('stop', formatDuration(durationUs));
}

function idOf(item: unknown): string | undefined {
  if (!isMap(item)) return undefined;
  const id = item.get('id');
  return typeof id === 'string' ? id : id === undefined ? undefined : String(id);
}

/** The kept operation steps and the schedule's steps, merged in time order (operations first on a tie). */
function timelineNode(out: Document, base: Base, faults: readonly Fault[], notes: string[] | undefined): Node | undefined {
  const origSeq = base.doc.get('timeline', true);
  const kept = base.keptSteps.map((s, i) => ({ atUs: s.atUs, rank: 0, i, node: (isSeq(origSeq) ? (origSeq as YAMLSeq).items[s.index] as Node : undefined) }));
  const steps = scheduleSteps(faults).map((s, i) => {
    const note = notes?.[i];
    const node = flowInside(out.createNode({ at: formatDuration(s.atUs), ...s.action, ...(note ? { note } : {}) }));
    if (note) quote((node as YAMLMap).get('note', true));
    return { atUs: s.atUs, rank: 1, i, node: node as Node };
  });
  const all = [...kept, ...steps].filter((s) => s.node !== undefined).sort((a, b) => a.atUs - b.atUs || a.rank - b.rank || a.i - b.i);
  if (all.length === 0) return undefined;
  const seq = out.createNode([]) as YAMLSeq;
  seq.items = all.map((s) => (s.rank === 0 ? (s.node as Node).clone() : s.node) as Node);
  return seq;
}

/**
 * The original expectations, and `lost: 0` after them when none of them can fail a single run (none
 * at all, or only sweep statements) or when the base asks for it.
 */
function originalExpect(out: Document, base: Base): Node {
  const node = original(base, 'expect');
  const oneRun = base.scenario.expect.some((e) => (e.check as string) !== 'loss-probability');
  if (oneRun && node !== undefined && !base.withDefaultExpect) return node;
  if (isSeq(node)) {
    node.items.push(...(flowInside(out.createNode(DEFAULT_EXPECT)) as YAMLSeq).items);
    return node;
  }
  return flowInside(out.createNode(DEFAULT_EXPECT));
}

/** Block style for the list and each item's keys, flow style for what is inside (`pause: { broker: 1, for: 5s }`). */
function flowInside(node: Node): Node {
  const items = isSeq(node) ? node.items : isMap(node) ? [node] : [];
  for (const item of items) {
    if (!isMap(item)) continue;
    for (const pair of item.items) if (isMap(pair.value) || isSeq(pair.value)) pair.value.flow = true;
  }
  return node;
}

function quote(node: unknown): void {
  if (isScalar(node)) node.type = Scalar.QUOTE_DOUBLE;
}
