// The `--set KEY=V1,V2` syntax of a sweep: which part of a scenario file a key names, and a copy of
// the file with one value written there. Values are written into the YAML document itself and the
// result goes through the ordinary validator, so a value is accepted exactly when a scenario file
// holding it would be (durations with units, Kafka's own config names and ranges), and a rejected
// value is reported against the key the user typed, not against a line of a file they never saw.
//
// Keys (a contract, documented in the README):
//   producer.<id>.<config|field>   consumer.<id>.<config|field>   topic.<name>.<config|field>
//   broker.<config> (every broker: cluster.config)   broker.<id>.<config> (kafka-configs --alter at 0 s)
//   network.latency   timeline.<index>.<key> (e.g. timeline.2.at)   cluster.<field>   duration

import { parseDocument, isMap, isSeq, isScalar, type Document, type YAMLMap } from 'yaml';
import { parseScenario, formatError, type ScenarioError } from '../scenario/index.ts';
import type { Scenario } from '../scenario/index.ts';
import type { ClusterSpec } from '../../sim/kafka/spec.ts';

/** A bad key or value: the CLI prints it and exits 2. */
export class SetKeyError extends Error {
  override readonly name = 'SetKeyError';
}

/** One `--set`: a key and the values a sweep tries, as typed. */
export interface Axis {
  key: string;
  values: string[];
}

// Fields a section has besides its `config:` map (src/scenario/clients.ts, topics.ts, validate.ts).
const FIELDS: Record<'producers' | 'consumers' | 'topics' | 'cluster', readonly string[]> = {
  producers: ['topic', 'rate', 'keys', 'start', 'stop', 'partitioner', 'partition', 'record-size'],
  consumers: ['group', 'topics', 'start', 'stop'],
  topics: ['partitions', 'replication.factor', 'replicas'],
  cluster: ['brokers', 'kafka.version', 'controller', 'controllers', 'replication.protocol', 'page-cache-writeback'],
};

/** `producer.checkout.acks=1,all` → { key, values: ['1', 'all'] }; commas inside [] or {} do not split. */
export function parseSetFlag(text: string): Axis {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new SetKeyError(`--set ${text}: expected KEY=V1,V2,… (e.g. producer.checkout.acks=1,all)`);
  const key = text.slice(0, eq).trim();
  const values = splitTopLevel(text.slice(eq + 1));
  if (values.some((v) => v === '')) throw new SetKeyError(`--set ${key}: an empty value in '${text.slice(eq + 1)}'`);
  if (new Set(values).size !== values.length) throw new SetKeyError(`--set ${key}: a value is listed twice in '${text.slice(eq + 1)}'`);
  return { key, values };
}

function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      out.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(text.slice(start).trim());
  return out;
}

/** Where a key lands in the document: a path of map keys and list indexes, or a step to append. */
type Target = { path: (string | number)[] } | { appendStep: (value: unknown) => Record<string, unknown> };

/** Resolves a key against the scenario document, or throws SetKeyError saying what the key could be. */
function resolve(doc: Document, key: string): Target {
  const [head, ...restParts] = key.split('.');
  const rest = restParts.join('.');
  switch (head) {
    case 'producer':
      return inItem(doc, key, 'producers', 'id', rest);
    case 'consumer':
      return inItem(doc, key, 'consumers', 'id', rest);
    case 'topic':
      return inItem(doc, key, 'topics', 'name', rest);
    case 'broker':
      return brokerTarget(doc, key, rest);
    case 'network':
      if (rest === 'latency') return { path: ['network', 'latency'] };
      throw new SetKeyError(`--set ${key}: the network section has only network.latency`);
    case 'cluster':
      if (FIELDS.cluster.includes(rest)) return { path: ['cluster', rest] };
      // the YAML path of a broker config (cluster: { config: … }) has a key of its own
      if (rest.startsWith('config.')) throw new SetKeyError(`--set ${key}: a broker config on every broker is broker.${rest.slice('config.'.length)}`);
      throw new SetKeyError(`--set ${key}: cluster fields are ${FIELDS.cluster.map((f) => `cluster.${f}`).join(', ')} (broker configs are broker.<config>)`);
    case 'timeline':
      return timelineTarget(doc, key, restParts);
    case 'duration':
      if (rest === '') return { path: ['duration'] };
      break;
    case 'producers': case 'consumers': case 'topics': case 'brokers':
      // the section's name in the file; the key names one item
      throw new SetKeyError(`--set ${key}: the key is ${head.slice(0, -1)}.${rest} (${head.slice(0, -1)}, not ${head})`);
  }
  throw new SetKeyError(
    `--set ${key}: unknown key; keys are producer.<id>.<config>, consumer.<id>.<config>, topic.<name>.<config>, ` +
      'broker.<config>, broker.<id>.<config>, network.latency, timeline.<index>.at, cluster.<field>, duration',
  );
}

/** `producer.<id>.<rest>`: ids may contain dots, so the longest id that matches wins. */
function inItem(doc: Document, key: string, section: 'producers' | 'consumers' | 'topics', idKey: string, rest: string): Target {
  const items = doc.get(section);
  const names: string[] = [];
  if (isSeq(items)) {
    items.items.forEach((it) => {
      const id = isMap(it) ? (it as YAMLMap).get(idKey) : undefined;
      names.push(typeof id === 'string' || typeof id === 'number' ? String(id) : '');
    });
  }
  const matches = names.map((n, i) => ({ n, i })).filter(({ n }) => n !== '' && rest.startsWith(`${n}.`) && rest.length > n.length + 1);
  const singular = section.slice(0, -1);
  if (matches.length === 0) {
    const known = names.filter((n) => n !== '');
    throw new SetKeyError(`--set ${key}: no ${singular} in the scenario matches (${known.length ? `${section}: ${known.join(', ')}` : `it has no ${section}`})`);
  }
  const { n, i } = matches.sort((a, b) => b.n.length - a.n.length)[0];
  const field = rest.slice(n.length + 1);
  if (FIELDS[section].includes(field)) return { path: [section, i, field] };
  if (field === idKey || field === 'config') throw new SetKeyError(`--set ${key}: ${field} cannot be swept`);
  // the YAML path (topics: [{ config: { … } }]) rather than the key
  if (field.startsWith('config.')) throw new SetKeyError(`--set ${key}: the key is ${key.slice(0, key.length - field.length)}${field.slice('config.'.length)} (a config is named without config.)`);
  return { path: [section, i, 'config', field] };
}

function brokerIds(doc: Document): number[] {
  const b = doc.getIn(['cluster', 'brokers']);
  if (typeof b === 'number') return Array.from({ length: b }, (_, i) => i + 1);
  if (isSeq(b)) return b.items.map((x) => (isScalar(x) ? Number(x.value) : NaN)).filter((x) => Number.isInteger(x));
  return [];
}

/** `broker.<config>` sets every broker's; `broker.<id>.<config>` alters one broker's at 0 s (appended last, so step indexes and their random streams stay put). */
function brokerTarget(doc: Document, key: string, rest: string): Target {
  const m = /^(\d+)\.(.+)$/.exec(rest);
  if (!m) {
    if (rest === '') throw new SetKeyError(`--set ${key}: name a broker config, e.g. broker.unclean.leader.election.enable`);
    return { path: ['cluster', 'config', rest] };
  }
  const id = Number(m[1]);
  const ids = brokerIds(doc);
  if (!ids.includes(id)) throw new SetKeyError(`--set ${key}: no broker ${id} (brokers are ${ids.join(', ')})`);
  return { appendStep: (value) => ({ at: '0s', 'alter-config': { broker: id, set: { [m[2]]: value } } }) };
}

function timelineTarget(doc: Document, key: string, parts: string[]): Target {
  const steps = doc.get('timeline');
  const count = isSeq(steps) ? steps.items.length : 0;
  const [index, ...field] = parts;
  if (!/^\d+$/.test(index ?? '') || field.length === 0) throw new SetKeyError(`--set ${key}: expected timeline.<index>.<key>, e.g. timeline.0.at`);
  const i = Number(index);
  if (i >= count) throw new SetKeyError(`--set ${key}: the timeline has ${count} step(s), numbered 0 to ${count - 1}`);
  return { path: ['timeline', i, field.join('.')] };
}

/** A value as the scenario file would hold it: YAML's reading of the text (1 → number, 30s → string). */
function yamlValue(key: string, text: string): unknown {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new SetKeyError(`--set ${key}: '${text}' is not a value a scenario file could hold (${doc.errors[0].message.split('\n')[0]})`);
  return doc.toJS();
}

/** Checks that every key names something in the scenario (values are checked per cell). */
export function checkKeys(text: string, axes: readonly Axis[]): void {
  const doc = parseDocument(text);
  const seen = new Set<string>();
  for (const a of axes) {
    if (seen.has(a.key)) throw new SetKeyError(`--set ${a.key}: the key is given twice (list every value in one --set)`);
    seen.add(a.key);
    resolve(doc, a.key);
  }
}

/** A copy of the scenario text with each key set to its value (text as typed). */
export function applySettings(text: string, settings: readonly { key: string; value: string }[]): string {
  const doc = parseDocument(text);
  for (const { key, value } of settings) {
    const target = resolve(doc, key);
    const v = yamlValue(key, value);
    if ('path' in target) doc.setIn(target.path, doc.createNode(v, { flow: true }));
    else {
      if (!isSeq(doc.get('timeline'))) doc.set('timeline', doc.createNode([]));
      (doc.get('timeline') as { add(x: unknown): void }).add(doc.createNode(target.appendStep(v), { flow: true }));
    }
  }
  return doc.toString();
}

export interface Cell {
  /** Position in the grid: the first --set varies slowest. */
  index: number;
  settings: { key: string; value: string }[];
  scenario: Scenario;
  spec: ClusterSpec;
  /** The scenario text with the settings written in. */
  text: string;
}

/** Every combination of the axes' values, each validated; a rejected value throws SetKeyError naming the key. */
export function buildCells(text: string, fileName: string, axes: readonly Axis[]): Cell[] {
  checkKeys(text, axes);
  const combos: { key: string; value: string }[][] = [[]];
  for (const a of axes) {
    const next: { key: string; value: string }[][] = [];
    for (const c of combos) for (const v of a.values) next.push([...c, { key: a.key, value: v }]);
    combos.splice(0, combos.length, ...next);
  }
  return combos.map((settings, index) => {
    try {
      return { index, settings, ...parseCell(text, fileName, settings) };
    } catch (e) {
      // name the one key and value at fault when it is wrong on its own; else the combination
      for (const one of settings) parseCell(text, fileName, [one]);
      throw e;
    }
  });
}

/** One cell's scenario from the original text and its settings (what a worker rebuilds). */
export function parseCell(text: string, fileName: string, settings: { key: string; value: string }[]): { scenario: Scenario; spec: ClusterSpec; text: string } {
  const changed = applySettings(text, settings);
  const r = parseScenario(changed, fileName);
  if (r.ok) return { scenario: r.scenario, spec: r.spec, text: changed };
  const what = settings.map((s) => `${s.key}=${s.value}`).join(' ');
  throw new SetKeyError(`--set ${what}: rejected: ${r.errors.map(messageOf).join('; ')}`);
}

function messageOf(e: ScenarioError): string {
  // the position is in a document the user never wrote: keep the path and the message
  const line = formatError(e);
  const two = line.indexOf('  ');
  return two >= 0 ? line.slice(two + 2) : line;
}

/** `producer.checkout.acks=1 topic.orders.min.insync.replicas=2`: a cell's label; `as written` without --set. */
export function cellLabel(settings: readonly { key: string; value: string }[]): string {
  return settings.length === 0 ? 'as written' : settings.map((s) => `${s.key}=${s.value}`).join(' ');
}
