// The viz's own event vocabulary: the simulator's trace events, normalised once (normalize.ts) into
// a closed union the views can switch on. Keeping this layer means a renamed trace field is fixed in
// one place, and the pure fold (view-state.ts) is tested without running the model.

export type BrokerChange =
  | 'crashed'
  | 'restarted'
  | 'shutdown'
  | 'power-loss'
  | 'disk-loss'
  | 'paused'
  | 'resumed'
  | 'fenced'
  | 'unfenced';

export type QuorumChange = 'crashed' | 'restarted' | 'paused' | 'resumed' | 'active' | 'inactive' | 'candidate' | 'leader' | 'follower' | 'resigned';

export type NetChange =
  | { kind: 'cut'; from: string; to: string } // one direction
  | { kind: 'isolate'; node: string }
  | { kind: 'partition'; groups: string[][] }
  | { kind: 'slow'; node?: string; link?: [string, string]; latencyUs: number }
  | { kind: 'heal'; node: string | 'all' };

interface At {
  tUs: number;
}

export type VizEvent = At &
  (
    | { type: 'broker'; broker: number; change: BrokerChange; detail?: string }
    | { type: 'controller'; change: 'crashed' | 'restarted' | 'paused' | 'resumed' | 'isolated' }
    /** A voter of a controller quorum (`cluster.controllers` > 1): its process, its Raft role, and
     *  whether it is the active controller (`gapUs`: how long there was none before it). */
    | { type: 'quorum'; node: string; change: QuorumChange; epoch?: number; gapUs?: number; reason?: string }
    /** A reassignment (KIP-455) started or completed. */
    | { type: 'reassign'; partition: string; phase: 'started' | 'completed'; replicas: number[]; adding: number[]; removing: number[] }
    | { type: 'leader'; partition: string; leader: number | null; epoch: number; isr?: number[]; clean: boolean; reason?: string }
    /** The controller's committed metadata for a partition after a change (silent: elections and ISR
     *  changes have their own events for the log). */
    | { type: 'partition-state'; partition: string; leader: number | null; epoch: number; isr: number[]; reason?: string; replicas?: number[]; adding?: number[]; removing?: number[] }
    | { type: 'isr'; partition: string; isr: number[]; change: 'shrink' | 'expand' | 'set' }
    | { type: 'append'; partition: string; broker: number; from: number; to: number; epoch: number }
    | { type: 'truncate'; partition: string; broker: number; to: number; from: number; records: number; reason?: string }
    | { type: 'hw'; partition: string; broker: number; hw: number }
    /** A follower's fetch from `leader` moved its log to `leo` and its HW to `hw`; `epochs` lists the
     *  `epoch, startOffset` pairs of leader epochs its new records begin (absent: they continue its last). */
    | { type: 'fetched'; partition: string; broker: number; leader: number; leo: number; hw: number; epochs?: number[] }
    /** A replica's LEO/HW as the model reports it (sampled), when the trace has no append events. */
    | { type: 'replica'; partition: string; broker: number; leo: number; hw: number; logStart?: number }
    | { type: 'acked'; producer: string; partition: string; from: number; to: number; broker?: number; epoch?: number }
    | { type: 'produce-failed'; producer: string; partition?: string; code: string; records: number; broker?: number; /** The producer will retry: an error, not (yet) a failure. */ retry?: boolean }
    | { type: 'metadata'; client: string; leaders: Record<string, { leader: number | null; epoch: number }> }
    | { type: 'net'; change: NetChange }
    /** A scenario's caption. `explains`: the index (in the run's events) of the event it explains, when the
     *  scenario links them (a note on a step explains the step's action; `explains:` names an event, and
     *  the caption moves to it from `atUs`, the time the note is written at). */
    | { type: 'note'; text: string; explains?: number; atUs?: number }
    | { type: 'rebalance'; group: string; generation: number; phase: 'prepare' | 'join' | 'stable' | 'empty'; assignment?: Record<string, string[]>; reason?: string }
    | { type: 'client'; client: string; change: 'crashed' | 'restarted' | 'paused' | 'resumed' }
    | { type: 'committed'; group: string; partition: string; offset: number }
    | { type: 'position'; group: string; consumer: string; partition: string; offset: number }
    /** A consumer's poll() returned these records (`processing:`): it processes them until `untilUs`. */
    | { type: 'processing'; group: string; consumer: string; parts: [string, number, number][]; untilUs: number }
    /** The consumer is done with its batch: what it processed (all of it, or up to where it died: `interrupted`). */
    | { type: 'processed'; group: string; consumer: string; parts: [string, number, number][]; interrupted?: boolean }
    /** The ledger's counts as the model reports them at this moment (sampled after notable events). */
    | { type: 'ledger'; produced: number; acked: number; lost: number; unavailable: number; duplicates: number }
    | { type: 'config'; scope: string; target: string; set: Record<string, unknown> }
    /** Anything else: shown in the event log only. */
    | { type: 'other'; name: string; text: string }
  );

export type VizEventType = VizEvent['type'];

/** Events worth jumping to: faults, elections, ISR changes, truncations, loss (issue 6). */
export function isNotable(e: VizEvent): boolean {
  switch (e.type) {
    case 'broker':
    case 'controller':
    case 'reassign':
    case 'leader':
    case 'isr':
    case 'truncate':
    case 'net':
    case 'note':
    case 'config':
      return true;
    case 'rebalance':
      return e.phase === 'prepare' || e.phase === 'stable';
    case 'quorum':
      return e.change === 'crashed' || e.change === 'active' || e.change === 'inactive' || e.change === 'paused';
    case 'client':
      return e.change === 'crashed' || e.change === 'paused';
    case 'produce-failed':
      return false;
    default:
      return false;
  }
}

/** A one-line description for the event log and tooltips. */
export function describeEvent(e: VizEvent): string {
  switch (e.type) {
    case 'broker':
      return `broker ${e.broker} ${brokerVerb(e.change)}${e.detail ? ` (${e.detail})` : ''}`;
    case 'controller':
      return `controller ${e.change}`;
    case 'quorum':
      return describeQuorum(e);
    case 'reassign':
      return e.phase === 'started'
        ? `${e.partition}: reassignment to [${e.replicas.join(',')}] started, adding [${e.adding.join(',')}]${e.removing.length ? `, removing [${e.removing.join(',')}] once they are in the ISR` : ''}`
        : `${e.partition}: reassignment completed, replicas [${e.replicas.join(',')}]${e.removing.length ? ` (removed [${e.removing.join(',')}])` : ''}`;
    case 'leader':
      return e.leader === null
        ? `${e.partition}: no leader (epoch ${e.epoch})`
        : `${e.partition}: broker ${e.leader} elected leader${e.clean ? '' : ' UNCLEANLY'}, epoch ${e.epoch}${e.isr ? `, ISR [${e.isr.join(',')}]` : ''}${e.reason ? ` (${e.reason})` : ''}`;
    case 'isr':
      return `${e.partition}: ISR ${e.change === 'set' ? 'is' : e.change === 'shrink' ? 'shrinks to' : 'expands to'} [${e.isr.join(',')}]`;
    case 'partition-state':
      return `${e.partition}: leader ${e.leader ?? 'none'}, epoch ${e.epoch}, ISR [${e.isr.join(',')}]${e.reason ? ` (${e.reason})` : ''}`;
    case 'append':
      return `${e.partition}: broker ${e.broker} appends offsets ${e.from}–${e.to - 1} (epoch ${e.epoch})`;
    case 'truncate':
      return `${e.partition}: broker ${e.broker} truncates ${e.records} record${e.records === 1 ? '' : 's'} (offsets ${e.to}–${e.from - 1})${e.reason ? `: ${e.reason}` : ''}`;
    case 'hw':
      return `${e.partition}: HW on broker ${e.broker} → ${e.hw}`;
    case 'fetched':
      return `${e.partition}: broker ${e.broker} fetches from broker ${e.leader}: LEO ${e.leo}, HW ${e.hw}`;
    case 'replica':
      return `${e.partition}: broker ${e.broker} LEO ${e.leo}, HW ${e.hw}`;
    case 'acked':
      return `${e.producer}: ${e.partition} offsets ${e.from}–${e.to - 1} acknowledged${e.broker !== undefined ? ` by broker ${e.broker}` : ''}`;
    case 'produce-failed':
      return `${e.producer}: ${e.code}${e.partition ? ` on ${e.partition}` : ''}${e.broker !== undefined ? ` from broker ${e.broker}` : ''} — ${e.records} record${e.records === 1 ? '' : 's'} ${e.retry ? 'will be retried' : 'failed'}`;
    case 'metadata':
      return `${e.client} refreshes metadata: ${Object.entries(e.leaders)
        .map(([p, l]) => `${p}→${l.leader ?? 'none'}`)
        .join(', ')}`;
    case 'net':
      return describeNet(e.change);
    case 'note':
      return `“${e.text}”`;
    case 'rebalance':
      return e.phase === 'stable'
        ? `group ${e.group} generation ${e.generation}: ${Object.entries(e.assignment ?? {}).map(([m, ps]) => `${m}←${ps.join(',') || '∅'}`).join('; ')}`
        : e.phase === 'prepare'
          ? `group ${e.group} starts rebalancing${e.reason ? ` (${e.reason})` : ''}`
          : e.phase === 'empty'
            ? `group ${e.group} is empty`
            : `group ${e.group} members joined (generation ${e.generation})`;
    case 'client':
      return `${e.client} ${e.change}`;
    case 'committed':
      return `group ${e.group} commits ${e.partition} offset ${e.offset}`;
    case 'position':
      return `${e.consumer} at ${e.partition} offset ${e.offset}`;
    case 'processing':
      return `${e.consumer} polls ${e.parts.map(([p, f, t]) => `${p} ${f}–${t - 1}`).join(', ')} and processes them`;
    case 'processed':
      return e.interrupted ? `${e.consumer} died in the middle of its batch` : `${e.consumer} processed its batch`;
    case 'ledger':
      return `ledger: ${e.acked} acked, ${e.lost} lost`;
    case 'config':
      return `${e.scope} ${e.target}: ${Object.entries(e.set)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(', ')}`;
    case 'other':
      return e.text;
  }
}

function describeQuorum(e: Extract<VizEvent, { type: 'quorum' }>): string {
  const epoch = e.epoch === undefined ? '' : ` (quorum epoch ${e.epoch})`;
  switch (e.change) {
    case 'active':
      return `${e.node} is the active controller${epoch}${e.gapUs !== undefined ? ` after ${(e.gapUs / 1_000_000).toFixed(3)} s without one` : ''}`;
    case 'inactive':
      return `${e.node} is no longer the active controller${e.reason ? ` (${e.reason})` : ''}: the metadata cannot change`;
    case 'candidate':
      return `${e.node} stands for election${epoch}`;
    case 'leader':
      return `${e.node} won the quorum election${epoch}`;
    case 'follower':
      return `${e.node} follows the quorum leader${epoch}`;
    case 'resigned':
      return `${e.node} resigned as quorum leader${e.reason ? ` (${e.reason})` : ''}`;
    default:
      return `${e.node} ${e.change}`;
  }
}

function brokerVerb(c: BrokerChange): string {
  switch (c) {
    case 'crashed':
      return 'crashed';
    case 'restarted':
      return 'restarted';
    case 'shutdown':
      return 'shut down (controlled)';
    case 'power-loss':
      return 'lost power';
    case 'disk-loss':
      return 'lost its disk';
    case 'paused':
      return 'paused';
    case 'resumed':
      return 'resumed';
    case 'fenced':
      return 'fenced by the controller';
    case 'unfenced':
      return 'unfenced';
  }
}

export function describeNet(c: NetChange): string {
  switch (c.kind) {
    case 'cut':
      return `network: messages from ${c.from} to ${c.to} are dropped`;
    case 'isolate':
      return `network: ${c.node} isolated`;
    case 'partition':
      return `network partition: ${c.groups.map((g) => `{${g.join(', ')}}`).join(' | ')}`;
    case 'slow':
      return `network: ${c.link ? `link ${c.link[0]}–${c.link[1]}` : c.node} slowed by ${Math.round(c.latencyUs / 1000)} ms`;
    case 'heal':
      return c.node === 'all' ? 'network healed' : `network: faults touching ${c.node} healed`;
  }
}
