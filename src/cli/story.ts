// Turns a run's trace into the story a person wants to read: the notable events in time order
// (faults, fencing, elections clean or unclean, ISR changes, truncations, producer errors, rebalances)
// with the scenario's notes between them. Repetitive events (producer errors, retries) are folded into
// one line per burst, so a long outage prints a few lines, not thousands.

import type { TraceEvent } from '../../sim/engine/index.ts';
import { formatTime } from '../../sim/engine/index.ts';
import { OFFSET_RESET_WORDS, type OffsetResetReason } from '../../sim/kafka/trace-events.ts';

export interface StoryLine {
  t: number;
  text: string;
  /** While telling: the shrink this line reports, so an expansion at the same instant can join it. */
  isrShrink?: { partition: unknown; removed: unknown };
  kind: 'note' | 'fault' | 'election' | 'unclean' | 'isr' | 'truncation' | 'error' | 'client' | 'broker';
}

const list = (xs: unknown): string => (Array.isArray(xs) ? `[${xs.join(', ')}]` : String(xs));
const who = (e: TraceEvent): unknown => e.broker;
const part = (e: TraceEvent): unknown => e.partition;

type Teller = (e: TraceEvent) => Omit<StoryLine, 't'> | undefined;

/** A member id is the client id and a UUID (`billing-1-34ed…`); the story names the client (also inside reasons). */
const member = (id: unknown): string => String(id).replace(/-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, '');

/** The classic protocol's phases: a rebalance starts, the members join a generation, the leader's assignment is handed out. */
function tellRebalance(e: TraceEvent): Omit<StoryLine, 't'> {
  const g = `group ${e.group}`;
  if (e.phase === 'prepare') return { kind: 'client', text: `${g}: rebalance started${e.reason ? ` (${member(e.reason)})` : ''}` };
  if (e.phase === 'join') {
    const members = Array.isArray(e.members) ? `members ${list(e.members.map(member))}` : 'members joined';
    return { kind: 'client', text: `${g}: generation ${e.generation}, ${members}${e.protocol ? `, ${e.protocol} assignor` : ''}` };
  }
  if (e.phase === 'stable' && e.assignment && typeof e.assignment === 'object') {
    const parts = Object.entries(e.assignment as Record<string, unknown>).map(([m, ps]) => `${member(m)} ${list(ps)}`);
    return { kind: 'client', text: `${g}: generation ${e.generation} assigned: ${parts.join(', ')}` };
  }
  return { kind: 'client', text: `${g} rebalanced${e.generation !== undefined ? ` (generation ${e.generation})` : ''}${e.members ? `: members ${list(e.members)}` : ''}` };
}

const TELLERS: Record<string, Teller> = {
  note: (e) => ({ kind: 'note', text: String(e.text) }),
  'broker-crashed': (e) => ({ kind: 'fault', text: `broker ${who(e)} ${e.kind === 'power-loss' ? 'lost power' : 'crashed'}` }),
  'broker-restarted': (e) => ({ kind: 'broker', text: `broker ${who(e)} restarted` }),
  'broker-paused': (e) => ({ kind: 'fault', text: `broker ${who(e)} paused for ${formatTime(Number(e.forUs))}` }),
  'broker-resumed': (e) => ({ kind: 'broker', text: `broker ${who(e)} resumed` }),
  'broker-shutdown': (e) => ({ kind: 'fault', text: `broker ${who(e)} began a controlled shutdown` }),
  'broker-stopped': (e) =>
    e.reason === 'node-exists'
      ? { kind: 'fault', text: `broker ${who(e)} failed to start and exited: /brokers/ids/${who(e)} still belongs to its previous ZooKeeper session (NodeExistsException)` }
      : { kind: 'broker', text: `broker ${who(e)} stopped` },
  'disk-lost': (e) => ({ kind: 'fault', text: `broker ${who(e)} lost its disk` }),
  'broker-fenced': (e) => ({ kind: 'broker', text: `controller fenced broker ${who(e)}${e.reason ? ` (${e.reason})` : ''}` }),
  'broker-unfenced': (e) => ({ kind: 'broker', text: `controller unfenced broker ${who(e)}` }),
  'leader-elected': (e) =>
    e.clean === false
      ? { kind: 'unclean', text: `${part(e)}: UNCLEAN election of broker ${e.leader}, epoch ${e.epoch} (it was not in the ISR)` }
      : { kind: 'election', text: `${part(e)}: broker ${e.leader} elected leader, epoch ${e.epoch}${e.reason ? ` (${e.reason})` : ''}` },
  'leader-none': (e) => ({ kind: 'election', text: `${part(e)}: no leader (no live replica in ISR ${list(e.isr)})` }),
  'isr-shrink': (e) => ({ kind: 'isr', text: `${part(e)}: ISR shrank to ${list(e.isr)} (removed ${list(e.removed)}${e.reason ? `, ${e.reason}` : ''})` }),
  'isr-expand': (e) => ({ kind: 'isr', text: `${part(e)}: ISR grew to ${list(e.isr)} (added ${list(e.added)})` }),
  'controller-crashed': (e) => ({ kind: 'fault', text: `${e.node} crashed` }),
  'controller-restarted': (e) => ({ kind: 'broker', text: `${e.node} restarted` }),
  'controller-inactive': (e) => ({ kind: 'broker', text: `${e.node} is no longer the active controller (${e.reason}): no metadata changes until another is active` }),
  'controller-activated': (e) => ({
    kind: 'election',
    text: `${e.node} is the active controller, quorum epoch ${e.epoch}${e.gapUs !== undefined ? ` (after ${formatTime(Number(e.gapUs))} without one); every broker's session starts afresh` : ''}`,
  }),
  'quorum-election': (e) => ({ kind: 'broker', text: `${e.node} stands for election in quorum epoch ${e.epoch}${Number(e.retries) > 1 ? ` (attempt ${e.retries})` : ''}` }),
  'quorum-leader': (e) => (e.t === 0 ? undefined : { kind: 'broker', text: `${e.node} won quorum epoch ${e.epoch}` }),
  'quorum-resigned': (e) => ({ kind: 'broker', text: `${e.node} resigned as quorum leader (${e.reason})` }),
  'reassignment-started': (e) => ({
    kind: 'broker',
    text: `${part(e)}: reassignment to ${list(e.replicas)} started${reassignmentSteps(e.adding as number[], e.removing as number[])}`,
  }),
  'reassignment-completed': (e) => ({
    kind: 'broker', text: `${part(e)}: reassignment completed: replicas ${list(e.replicas)}${(e.removed as number[]).length > 0 ? ` (removed ${list(e.removed)})` : ''}`,
  }),
  'replica-deleted': (e) => ({ kind: 'broker', text: `broker ${who(e)} deleted its replica of ${part(e)} (${e.leo} records)` }),
  truncated: (e) => ({
    kind: 'truncation',
    text: `broker ${who(e)} truncated ${part(e)} from offset ${e.from} to ${e.to} (${e.records} record${e.records === 1 ? '' : 's'} removed${e.reason ? `, ${e.reason}` : ''})`,
  }),
  'log-start-advanced': (e) => {
    const recs = `${e.records} record${e.records === 1 ? '' : 's'}`;
    if (e.reason === 'out-of-range') return { kind: 'truncation', text: `broker ${who(e)} started ${part(e)} again at its leader's log start ${e.to} (its log ended below it; ${recs} dropped)` };
    // a follower taking its leader's log start from a fetch repeats what the leader's line said
    if (e.reason === 'log-start-offset' && e.segments === 0) return undefined;
    const by = e.reason === 'retention-bytes' ? 'retention.bytes' : e.reason === 'retention-ms' ? 'retention.ms' : 'the log start offset';
    return { kind: 'truncation', text: `broker ${who(e)}: ${by} deleted ${e.segments} segment${e.segments === 1 ? '' : 's'} of ${part(e)}, log start ${e.from} → ${e.to} (${recs})` };
  },
  'rack-fault': (e) => ({
    kind: 'fault',
    text: `rack ${e.rack}: ${e.action === 'power-loss' ? 'power lost' : e.action === 'disk-loss' ? 'disks lost' : e.action === 'restart' ? 'restarted' : e.action === 'shutdown' ? 'shut down' : 'crashed'} (brokers ${(e.brokers as number[]).join(', ')})`,
  }),
  'network-fault': (e) => ({
    kind: 'fault',
    text: e.rack !== undefined && e.action === 'partition'
      ? `network: rack ${e.rack} cut off from the other nodes (brokers ${list((e.groups as unknown[][])[0])})`
      : `network: ${e.text ?? e.fault ?? e.action ?? 'fault'}`,
  }),
  rebalance: tellRebalance,
  'member-removed': (e) => ({ kind: 'client', text: `group ${e.group}: member ${member(e.member)} removed${e.reason ? ` (${e.reason})` : ''}` }),
  'offset-reset': (e) => {
    const why = OFFSET_RESET_WORDS[e.reason as OffsetResetReason] ?? e.reason;
    if (e.client === undefined) return { kind: 'client', text: `group ${e.group}: ${why} moved ${part(e)} to offset ${e.to}` };
    const skipped = e.reason === 'out-of-range' && Number(e.from) >= 0 && Number(e.to) > Number(e.from) ? `; skipped offsets ${e.from}–${Number(e.to) - 1}, never read` : '';
    return { kind: 'client', text: `consumer ${e.client} reset ${part(e)} to offset ${e.to ?? e.offset} (${why}${e.strategy ? `, auto.offset.reset=${e.strategy}` : ''}${skipped})` };
  },
  'preferred-read-replica': (e) => ({
    kind: 'client',
    text: e.broker === null ? `consumer ${e.client} fetches ${part(e)} from its leader again` : `consumer ${e.client} fetches ${part(e)} from broker ${e.broker}, a replica in its rack (KIP-392)`,
  }),
  'poll-timeout': (e) => ({ kind: 'error', text: `consumer ${e.client}: max.poll.interval.ms passed without a poll(); its heartbeat thread left group ${e.group}` }),
  // the application's own commits (commitSync/commitAsync); auto-commit failures stay in the trace
  'commit-failed': (e) => (APP_COMMITS.has(String(e.why)) ? { kind: 'error', text: `consumer ${e.client}: commit (${e.why}) failed: ${e.error}${Array.isArray(e.offsets) && e.offsets.length > 0 ? ` — offsets ${e.offsets.map((o) => (Array.isArray(o) ? `${o[0]}@${o[1]}` : '')).join(', ')} not committed` : ''}` } : undefined),
  'processing-interrupted': (e) => ({ kind: 'fault', text: `consumer ${e.client} died processing: ${rangesText(e.processed) || 'nothing'} processed, ${rangesText(e.unprocessed) || 'nothing'} not` }),
  'consumer-error': (e) => ({
    kind: 'error',
    // a partition's error (an offset reset refused, a truncation) or the group's (JoinGroup refused: fatal)
    text: e.partition === undefined ? `consumer ${e.client}: poll() threw ${e.error} (group ${e.group}); the application stops` : `consumer ${e.client}: ${e.error} on ${part(e)} at offset ${e.offset}`,
  }),
  'client-crashed': (e) => ({ kind: 'fault', text: `client ${e.client} crashed` }),
  'client-restarted': (e) => ({ kind: 'broker', text: `client ${e.client} restarted` }),
  'node-paused': (e) => ({ kind: 'fault', text: `${e.node} paused for ${formatTime(Number(e.forUs))}` }),
  'node-resumed': (e) => ({ kind: 'broker', text: `${e.node} resumed` }),
  // an operator's tool that failed, with what the tool prints (its own output is the story's line)
  'admin-error': (e) => ({
    kind: 'error',
    text: `${e.tool ?? e.action} failed: ${e.code !== undefined ? `${e.code}${e.message ? ` (${e.message})` : ''}` : String(e.message ?? 'error')}`,
  }),
  'elect-leaders': tellElectLeaders,
  'step-resolved': (e) => ({ kind: 'fault', text: `timeline[${e.step}] ${e.action ?? 'note'}${chosen(e)}${drawnAt(e)}` }),
  'step-skipped': (e) => ({
    kind: 'fault',
    text: `timeline[${e.step}] ${[e.action, choiceOf(e) || (e.broker !== undefined ? `broker ${e.broker}` : '')].filter(Boolean).join(' ')} skipped: ${e.reason}${drawnAt(e)}`,
  }),
};

/**
 * kafka-leader-election's answer for the partitions it did not move (those it moved have their
 * leader-elected line): "Valid replica already elected" (ELECTION_NOT_NEEDED) and each error, by code.
 */
function tellElectLeaders(e: TraceEvent): Omit<StoryLine, 't'> | undefined {
  const byCode = new Map<string, string[]>();
  for (const r of (e.results as { partition: string; error: string }[] | undefined) ?? []) {
    if (r.error === 'NONE') continue;
    byCode.set(r.error, [...(byCode.get(r.error) ?? []), r.partition]);
  }
  if (byCode.size === 0) return undefined;
  const type = String(e.electionType).toUpperCase();
  const parts = [...byCode].map(([code, ps]) => (code === 'ELECTION_NOT_NEEDED'
    ? `valid replica already elected for ${ps.join(', ')}`
    : `${code} for ${ps.join(', ')}`));
  const failed = [...byCode.keys()].some((c) => c !== 'ELECTION_NOT_NEEDED');
  return { kind: failed ? 'error' : 'election', text: `kafka-leader-election (${type}): ${parts.join('; ')}` };
}

/** What a reassignment does: adds replicas, and removes others once the added ones are in the ISR (at once if it adds none). */
function reassignmentSteps(adding: number[], removing: number[]): string {
  if (adding.length === 0) return removing.length > 0 ? `: removing ${list(removing)}` : '';
  return `: adding ${list(adding)}${removing.length > 0 ? `, removing ${list(removing)} once the added replicas are in the ISR` : ''}`;
}

const APP_COMMITS = new Set(['sync', 'async', 'before-processing']);

/** `[[orders-0, 10, 20]]` → `orders-0 10–19`. */
function rangesText(xs: unknown): string {
  return Array.isArray(xs) ? xs.map((r) => (Array.isArray(r) ? `${r[0]} ${r[1]}–${Number(r[2]) - 1}` : '')).filter(Boolean).join(', ') : '';
}

/** `any-of [1, 2, 3]`, `leader-of orders-0`, `crashed`: what a step chose from. */
function choiceOf(e: TraceEvent): string {
  if (e.choice === 'any-of') return `any-of ${list(e.among)}`;
  if (e.choice === 'leader-of') return `leader-of ${e.partition}`;
  return String(e.choice ?? '');
}

function chosen(e: TraceEvent): string {
  return e.choice === undefined ? '' : ` ${choiceOf(e)} → broker${(e.brokers as number[]).length === 1 ? '' : 's'} ${(e.brokers as number[]).join(', ')}`;
}

function drawnAt(e: TraceEvent): string {
  const b = e.between as [number, number] | undefined;
  return b ? ` (moment drawn in [${formatTime(b[0])}, ${formatTime(b[1])}])` : '';
}

/** Events that repeat in bursts: folded by (type, client, code) while they keep coming. */
const FOLDED = new Set(['produce-failed']);
const FOLD_GAP_US = 5_000_000;

/**
 * Tells the story one event at a time, as the run records them: a long run keeps its story lines and
 * the bursts still open, never its events.
 */
export class StoryTeller {
  private readonly told: StoryLine[] = [];
  private readonly open = new Map<string, { line: StoryLine; first: number; last: number; count: number; code: string; client: string }>();

  /** A quorum voter's candidacies since the last election someone won, folded into one line. */
  private readonly elections = new Map<string, { line: StoryLine; firstEpoch: unknown; last: number; count: number }>();

  add(e: TraceEvent): void {
    if (FOLDED.has(e.type)) return this.fold(e);
    if (e.type === 'quorum-leader' || e.type === 'controller-activated') this.elections.clear();
    if (e.type === 'quorum-election') {
      // a voter without a majority stands again every second or two: one line that counts them
      const node = String(e.node);
      const o = this.elections.get(node);
      if (o && e.t - o.last <= 2 * FOLD_GAP_US) {
        o.count++;
        o.last = e.t;
        o.line.text = `${node} stood for election ${o.count} times, quorum epochs ${o.firstEpoch} to ${e.epoch}, last at ${formatTime(e.t)}`;
        return;
      }
      const line: StoryLine = { t: e.t, kind: 'broker', text: TELLERS['quorum-election'](e)!.text };
      this.push(line);
      this.elections.set(node, { line, firstEpoch: e.epoch, last: e.t, count: 1 });
      return;
    }
    const prev = this.told[this.told.length - 1];
    if (e.type === 'isr-expand' && prev?.isrShrink && prev.t === e.t && prev.isrShrink.partition === part(e)) {
      // one AlterPartition that swaps members (an unclean election's ISR reset): one line, not two
      prev.text = `${part(e)}: ISR changed to ${list(e.isr)} (removed ${list(prev.isrShrink.removed)}, added ${list(e.added)})`;
      delete prev.isrShrink;
      return;
    }
    const tell = TELLERS[e.type];
    const told = tell?.(e);
    if (told) this.push({ t: e.t, ...told, ...(e.type === 'isr-shrink' ? { isrShrink: { partition: part(e), removed: e.removed } } : {}) });
  }

  private push(line: StoryLine): void {
    const prev = this.told[this.told.length - 1];
    if (prev) delete prev.isrShrink; // only the last line can be joined
    this.told.push(line);
  }

  /** The story so far, with the bursts still open closed. */
  lines(): StoryLine[] {
    for (const key of [...this.open.keys()]) this.flush(key);
    for (const l of this.told) delete l.isrShrink;
    return this.told;
  }

  private fold(e: TraceEvent): void {
    const key = `${e.type}|${e.client}|${e.code}`;
    const b = this.open.get(key);
    if (b && e.t - b.last <= FOLD_GAP_US) {
      b.count += Number(e.n ?? 1) > 0 ? 1 : 0;
      b.last = e.t;
      return;
    }
    if (b) this.flush(key);
    const line: StoryLine = { t: e.t, kind: 'error', text: '' };
    this.push(line);
    this.open.set(key, { line, first: e.t, last: e.t, count: 1, code: String(e.code), client: String(e.client) });
  }

  private flush(key: string): void {
    const b = this.open.get(key)!;
    const span = b.first === b.last ? ` at ${formatTime(b.first)}` : ` between ${formatTime(b.first)} and ${formatTime(b.last)}`;
    b.line.text = `producer ${b.client}: ${b.count}× ${b.code}${span}`;
    this.open.delete(key);
  }
}

export function tellStory(events: readonly TraceEvent[]): StoryLine[] {
  const teller = new StoryTeller();
  for (const e of events) teller.add(e);
  return teller.lines();
}
