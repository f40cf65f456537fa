// The event log's sentences. Most events already come as prose (lib/events.ts describeEvent); trace
// events the viz has no type for arrive as `name key=value …` (run/normalize.ts), and are said here in
// words, from the trace's own field names (scenarios/trace.schema.json). Bookkeeping the side cards
// show better (the ledger's counts, the lost records at the end) is left out of the log.

import { describeEvent, type VizEvent } from '../lib/events.ts';

/** `client-disconnect client=checkout broker=1 why=timeout` → { client: 'checkout', … }. */
export function rawFields(text: string, name: string): Record<string, string> | undefined {
  if (!text.startsWith(name)) return undefined;
  const rest = text.slice(name.length).trim();
  const out: Record<string, string> = {};
  if (!rest) return out;
  // Split before each ` key=`; a value may hold spaces (a reason) or JSON.
  const parts = rest.split(/\s+(?=[A-Za-z][A-Za-z0-9]*=)/);
  for (const p of parts) {
    const i = p.indexOf('=');
    if (i <= 0) return undefined;
    out[p.slice(0, i)] = p.slice(i + 1);
  }
  return out;
}

function list(json: string | undefined): string {
  if (json === undefined) return '';
  try {
    const v: unknown = JSON.parse(json);
    if (Array.isArray(v)) return v.map((x) => (Array.isArray(x) ? x.join(' ') : typeof x === 'object' && x ? Object.values(x).join(' ') : String(x))).join(', ');
  } catch {
    // not JSON: as it is
  }
  return json;
}

const spaced = (s: string | undefined) => (s ?? '').replace(/[-_]/g, ' ').toLowerCase();

/** Trace events said in words: name → sentence from the fields. */
const SAY: Record<string, (f: Record<string, string>) => string | null> = {
  'cluster-started': (f) => `the cluster starts: brokers ${list(f.brokers)}, ${f.controllers ? `a KRaft controller quorum of ${list(f.controllers)}` : `a ${f.controller === 'zookeeper' ? 'ZooKeeper' : 'KRaft'} controller`}${f.protocol === 'high-watermark' ? ', replicas truncating to their high watermark (before Kafka 0.11)' : ''}`,
  'producer-started': (f) => `producer ${f.client} starts sending`,
  'producer-stopped': (f) => `producer ${f.client} stops sending`,
  'client-disconnect': (f) => `${f.client} loses its connection to broker ${f.broker}${f.why === 'timeout' ? ' (the request timed out)' : f.why === 'disconnect' ? ' (the connection was reset)' : f.why ? ` (${spaced(f.why)})` : ''}`,
  'client-rebootstrap': (f) => `${f.client} forgets the brokers it knew and starts again from its bootstrap servers (${list(f.brokers)})`,
  'broker-caught-up': (f) => `broker ${f.broker} has caught up with the metadata log`,
  'broker-restarted': (f) => `broker ${f.broker} restarts`,
  'broker-stopped': (f) =>
    f.reason === 'node-exists'
      ? `broker ${f.broker} fails to start and exits: its previous process's ZooKeeper session still holds /brokers/ids/${f.broker}`
      : `broker ${f.broker} exits cleanly`,
  'broker-registered': (f) => `the controller registers broker ${f.broker}`,
  'fetch-timeout': (f) => `broker ${f.broker}'s fetch from leader ${f.leader} got no answer in time`,
  'coordinator-found': (f) => `${f.client} finds its group coordinator, broker ${f.coordinator}`,
  'coordinator-lost': (f) => `${f.client} gives up on coordinator ${f.coordinator}${f.reason ? `: ${f.reason}` : ''}`,
  'join-group': (f) => `${f.client} asks to join group ${f.group}${f.memberId ? ' again' : ''}`,
  'join-failed': (f) => `${f.client}'s request to join ${f.group} fails with ${f.error}`,
  assignment: (f) => `${f.client} is given ${list(f.partitions) || 'no partitions'} (generation ${f.generation})`,
  'rejoin-requested': (f) => `${f.client} will rejoin group ${f.group}${f.reason ? `: ${f.reason}` : ''}`,
  'partitions-revoked': (f) => `${f.client} gives up ${list(f.partitions)} for the rebalance`,
  'partitions-lost': (f) => `${f.client} loses ${list(f.partitions)}: its generation ended without it`,
  'commit-failed': (f) => `${f.client}'s ${f.why === 'auto' ? 'automatic ' : ''}offset commit is refused${f.error ? ` with ${f.error}` : ''}`,
  'generation-reset': (f) => `${f.client} forgets generation ${f.generation} (${f.error})`,
  'poll-timeout': (f) => `${f.client} leaves group ${f.group}: max.poll.interval.ms passed without a poll`,
  'rack-fault': (f) => `rack ${f.rack}: ${f.action === 'power-loss' ? 'power lost' : f.action === 'disk-loss' ? 'disks lost' : f.action === 'restart' ? 'restarted' : f.action === 'shutdown' ? 'shut down' : 'crashed'} (brokers ${list(f.brokers)})`,
  'preferred-read-replica': (f) => (f.broker === 'null' || f.broker === undefined
    ? `${f.client} fetches ${f.partition} from its leader again`
    : `${f.client} fetches ${f.partition} from broker ${f.broker}, a replica in its rack (KIP-392)`),
  'consumer-error': (f) => `${f.client}'s poll fails${f.error ? ` with ${f.error}` : ''}`,
  'consumer-closed': (f) => `${f.client} closes and leaves group ${f.group}`,
  'group-loaded': (f) => `broker ${f.coordinator} takes over as coordinator of group ${f.group} (generation ${f.generation})`,
  'partitions-added': (f) => `an operator grows topic ${f.topic} to ${f.count} partitions`,
  'elect-leaders': (f) => {
    let rows: { partition: string; error: string }[] = [];
    try {
      rows = JSON.parse(f.results ?? '[]') as typeof rows;
    } catch {
      // leave empty
    }
    const done = rows.filter((r) => r.error === 'NONE').map((r) => r.partition);
    return `an operator runs a ${f.electionType ?? ''} leader election: ${done.length ? `${done.join(', ')} moved` : 'nothing to move'}${rows.length > done.length ? `, ${rows.length - done.length} not needed or refused` : ''}`;
  },
  'admin-error': (f) => `an operator command fails${f.code ? ` with ${f.code}` : ''}${f.message ? `: ${f.message}` : ''}`,
  'producer-epoch-bumped': (f) => `${f.client} bumps its producer epoch to ${f.producerEpoch} after a sequence error (KIP-360)`,
  'producer-id': (f) => `${f.client} gets producer id ${f.producerId}`,
  'step-resolved': (f) => `a timeline step is drawn for this run${Object.entries(f).length ? `: ${Object.entries(f).map(([k, v]) => `${k} ${list(v)}`).join(', ')}` : ''}`,
  'step-skipped': (f) => `a timeline step does nothing${f.reason ? `: ${f.reason}` : ''}`,
};

/** The ledger's counts (the ledger card shows them) and the lost records at the end (its list does). */
const HIDDEN = new Set(['ledger', 'record-lost', 'msg-dropped', 'msg-held']);

/** Events the log leaves out: per-record bookkeeping, and what the side cards show better. */
export function isLogged(e: VizEvent): boolean {
  if (e.type === 'other') return logLine(e) !== null;
  return !QUIET.has(e.type);
}

/** Per-record and per-fetch bookkeeping: thousands of lines that would bury the story. */
const QUIET = new Set<string>(['committed', 'partition-state', 'append', 'hw', 'replica', 'fetched', 'acked', 'position', 'ledger']);

/** One event as a sentence for the log (null: not for the log). */
export function logLine(e: VizEvent): string | null {
  if (e.type !== 'other') return describeEvent(e);
  if (HIDDEN.has(e.name)) return null;
  const say = Object.hasOwn(SAY, e.name) ? SAY[e.name] : undefined;
  const f = rawFields(e.text, e.name);
  if (say && f) return say(f);
  if (say && !f) return tidy(e.text); // already prose (normalize.ts wrote it)
  if (f) {
    // A trace event the page has no words for: its name and fields, as a phrase.
    const fields = Object.entries(f).map(([k, v]) => `${spaced(k)} ${list(v)}`).join(', ');
    return `${spaced(e.name)}${fields ? `: ${fields}` : ''}`;
  }
  return tidy(e.text);
}

/** normalize.ts's own sentences, with an empty field left out ("on  from" → "from"). */
function tidy(s: string): string {
  return s.replace(/ on\s+from /, ' from ').replace(/\s{2,}/g, ' ');
}
