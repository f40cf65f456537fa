// One run on screen: its cluster view, its partitions (detailed cards, or the aggregated overview
// plus a few opened partitions for big clusters), its ledger card, and the seekable fold that
// answers "what does the cluster look like at t". Two panels share one playhead in what-if mode.

import { CURRENT_VERSION, isKafkaVersion, versionDifferences } from '../../sim/kafka/versions.ts';
import { CheckpointedFold, snapshotInterval } from '../lib/checkpoints.ts';
import type { VizEvent } from '../lib/events.ts';
import { FlightIndex } from '../lib/in-flight.ts';
import type { LostRecord, RunData } from '../lib/run-data.ts';
import { viewFold, type ViewState } from '../lib/view-state.ts';
import { ClusterView } from '../views/cluster.ts';
import { LostIndex, PartitionCard } from '../views/partitions.ts';
import { PartitionOverview } from '../views/overview.ts';
import { LedgerCard } from '../views/side.ts';

/** Beyond this the partitions view aggregates (issue 6: classroom scale is ≤ 12 partitions). */
export const DETAIL_PARTITION_LIMIT = 12;

export interface PanelHooks {
  pickLost(r: LostRecord | undefined): void;
  seek(tUs: number): void;
  /** "Show the ending" pressed: the app switches it for every view. */
  toggleEnding(): void;
}

export class RunPanel {
  readonly fold: CheckpointedFold<ViewState, VizEvent>;
  readonly flights: FlightIndex;
  readonly lost: LostIndex;
  readonly el: HTMLElement;
  readonly cluster: ClusterView;
  readonly cards = new Map<string, PartitionCard>();
  readonly overview?: PartitionOverview;
  readonly ledger: LedgerCard;
  readonly big: boolean;
  private readonly partHost: HTMLElement;
  /** Partitions opened from the overview (big clusters). */
  readonly opened = new Set<string>();
  state!: ViewState;
  /** The consumer groups that read each partition in this run (a row each on its card). */
  private readonly groupsOf: Map<string, string[]>;

  constructor(
    readonly data: RunData,
    readonly label: string,
    runsHost: HTMLElement,
    partitionsHost: HTMLElement,
    sideHost: HTMLElement,
    private readonly hooks: PanelHooks,
  ) {
    // Big clusters take fewer, larger snapshots (each one copies every partition).
    this.fold = new CheckpointedFold(data.events, (e) => e.tUs, viewFold(data.topology), snapshotInterval(data.events.length, data.topology.partitions.length));
    this.flights = new FlightIndex(data.flights, 10_000);
    this.lost = new LostIndex(data.lost);
    this.groupsOf = groupsByPartition(data.events);
    this.big = data.topology.partitions.length > DETAIL_PARTITION_LIMIT;
    this.el = document.createElement('div');
    this.el.className = 'run';
    this.el.dataset.testid = `run-${label}`;
    const what = label === 'A' ? ' · as written' : label === 'B' ? ` · what if${overridesText(data)}` : '';
    this.el.innerHTML = `<div class="run-head"><span class="label">${escapeHtml(label)}</span><span>seed ${data.seed} · <span data-testid="kafka-version" title="${escapeHtml(versionTitle(data.kafkaVersion))}">Kafka ${escapeHtml(data.kafkaVersion)}</span>${what}</span><span class="hash" data-testid="trace-hash" title="SHA-256 of the canonical trace: the CLI's run --json prints the same traceHash">trace ${data.traceHash.slice(0, 16)}…</span></div>`;
    (this.el.querySelector('[data-testid="trace-hash"]') as HTMLElement).dataset.hash = data.traceHash;
    runsHost.appendChild(this.el);
    this.cluster = new ClusterView(this.el, data.topology);
    this.partHost = document.createElement('div');
    this.partHost.className = 'run-partitions';
    this.partHost.dataset.run = label;
    partitionsHost.appendChild(this.partHost);
    if (this.big) {
      const head = document.createElement('div');
      head.className = 'overview-head';
      head.textContent = `${data.topology.partitions.length} partitions on ${data.topology.brokers.length} brokers — one square per partition; click one to open its replica logs`;
      this.partHost.appendChild(head);
      this.overview = new PartitionOverview(this.partHost, data.topology.partitions.map((p) => p.name), (n) => this.toggleOpen(n));
      for (const p of firstInteresting(data).slice(0, 2)) this.toggleOpen(p);
    } else {
      for (const p of data.topology.partitions) this.addCard(p.name);
    }
    this.ledger = new LedgerCard(sideHost, data, this.lost, (r) => hooks.pickLost(r), (t) => hooks.seek(t), () => hooks.toggleEnding(), label === 'run' ? 'Ledger' : `Ledger — run ${label}${label === 'B' ? overridesPlain(data) : ''}`);
  }

  private addCard(name: string): void {
    const p = this.data.topology.partitions.find((x) => x.name === name);
    if (!p || this.cards.has(name)) return;
    const card = new PartitionCard(this.partHost, name, p.replicas, this.lost, (r) => this.hooks.pickLost(r), this.groupsOf.get(name) ?? [], this.data.topology.racks);
    this.cards.set(name, card);
    card.build();
  }

  toggleOpen(name: string): void {
    if (this.opened.has(name)) {
      this.opened.delete(name);
      this.cards.get(name)?.el.remove();
      this.cards.delete(name);
    } else {
      this.opened.add(name);
      this.addCard(name);
    }
  }

  /** Make sure a partition is on screen (a selected lost record's). */
  reveal(name: string): void {
    if (this.big && !this.opened.has(name)) this.toggleOpen(name);
    this.cards.get(name)?.el.scrollIntoView({ block: 'nearest' });
  }

  build(): void {
    this.cluster.build();
    for (const c of this.cards.values()) c.build();
    this.overview?.build();
  }

  update(tUs: number, selected: LostRecord | undefined, sideDue = true): void {
    const s = this.fold.stateAt(tUs);
    this.state = s;
    const limit = this.big ? 120 : 600;
    this.cluster.update(s, this.flights.at(tUs, limit));
    for (const c of this.cards.values()) c.update(s, tUs, selected);
    this.overview?.update(s, this.opened);
    if (sideDue) this.ledger.update(s, tUs, selected);
  }

  destroy(): void {
    this.el.remove();
    this.partHost.remove();
    this.ledger.root.remove();
  }
}

/** Which groups read which partitions, from the run's commits, positions and assignments. */
export function groupsByPartition(events: readonly VizEvent[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (p: string, g: string) => {
    if (!g) return;
    const l = out.get(p) ?? out.set(p, []).get(p)!;
    if (!l.includes(g)) l.push(g);
  };
  for (const e of events) {
    if (e.type === 'committed' || e.type === 'position') add(e.partition, e.group);
    else if (e.type === 'rebalance' && e.assignment) for (const ps of Object.values(e.assignment)) for (const p of ps) add(p, e.group);
  }
  for (const l of out.values()) l.sort();
  return out;
}

/** Partitions worth opening first in a big cluster: those that truncated, lost, or changed leader most. */
function firstInteresting(data: RunData): string[] {
  const score = new Map<string, number>();
  for (const r of data.lost) score.set(r.partition, (score.get(r.partition) ?? 0) + 1000);
  for (const e of data.events) {
    if (e.type === 'truncate') score.set(e.partition, (score.get(e.partition) ?? 0) + 100);
    else if (e.type === 'leader') score.set(e.partition, (score.get(e.partition) ?? 0) + 1);
  }
  const names = data.topology.partitions.map((p) => p.name);
  const order = new Map(names.map((n, i) => [n, i])); // not indexOf in the comparator: 10,000 partitions
  return names.sort((a, b) => (score.get(b) ?? 0) - (score.get(a) ?? 0) || order.get(a)! - order.get(b)!);
}

function overridesText(d: RunData): string {
  const o = d.overrides;
  if (!o || Object.keys(o).length === 0) return '';
  return ' ' + Object.entries(o).map(([k, v]) => `<b>${escapeHtml(k)}=${escapeHtml(v)}</b>`).join(', ');
}

function overridesPlain(d: RunData): string {
  return d.overrides ? ' (' + Object.entries(d.overrides).map(([k, v]) => `${k}=${v}`).join(', ') + ')' : '';
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/** The run's Kafka version, and what came from it rather than today's defaults (kafkasim versions --at V). */
function versionTitle(v: string): string {
  const head = 'cluster.kafka.version: the release whose defaults and behaviours this run follows';
  return isKafkaVersion(v) && v !== CURRENT_VERSION ? `${head}. From Kafka ${v}:\n${versionDifferences(v).join('\n')}` : `${head} (the current one).`;
}
