// Each partition's replicas as logs of offset cells, aligned by offset so divergence shows as
// cells that differ in the same column. A cell's fill says its state: committed (solid blue),
// uncommitted (hatched light blue), lost (hatched vermillion with a cross), truncated (a grey ghost
// in the strip under the row). A dot marks an acknowledged record. Markers show each replica's HW
// (a bar) and LEO (a triangle); the label column shows the leader (★), its epoch and ISR membership.

import * as d3 from 'd3';
import type { LostRecord } from '../lib/run-data.ts';
import { epochAt, isAcked, leaderlessUsAt, partitionHw, type PartitionView, type ReplicaView, type ViewState } from '../lib/view-state.ts';
import { cellOf, cellsOf, gapsOf, interests, offsetWindow, type OffsetWindow } from '../lib/offset-window.ts';
import { formatDuration } from '../lib/time.ts';
import { C, defsMarkup } from './palette.ts';

const SVG_NS = 'http://www.w3.org/2000/svg';

export type CellState = 'committed' | 'uncommitted' | 'lost' | 'empty';

export interface CellInfo {
  state: CellState;
  epoch?: number;
  acked: boolean;
  lost?: LostRecord;
}

/** Index of lost records by partition, offset and epoch. */
export class LostIndex {
  private readonly map = new Map<string, LostRecord>();
  /** "Show the ending": every lost record counts from the start (a spoiler the presenter asked for). */
  ending = false;
  constructor(readonly records: readonly LostRecord[]) {
    for (const r of records) this.map.set(key(r.partition, r.offset, r.epoch), r);
  }
  /** The lost record at this place, if it is already lost at time t. */
  at(partition: string, offset: number, epoch: number | undefined, tUs: number): LostRecord | undefined {
    const r = this.map.get(key(partition, offset, epoch)) ?? this.map.get(key(partition, offset, undefined));
    return r && this.isLost(r, tUs) ? r : undefined;
  }
  /** Lost as of t: from its lostAt on (a record without one is known lost only at the end of the run). */
  isLost(r: LostRecord, tUs: number): boolean {
    return this.ending || (r.lostUs !== undefined && Number.isFinite(r.lostUs) && r.lostUs <= tUs);
  }
  countAt(tUs: number): number {
    let n = 0;
    for (const r of this.records) if (this.isLost(r, tUs)) n++;
    return n;
  }
  /** The records lost as of t, in the ledger's order. */
  lostAt(tUs: number): LostRecord[] {
    return this.records.filter((r) => this.isLost(r, tUs));
  }
}

function key(p: string, o: number, e: number | undefined): string {
  return `${p}|${o}|${e ?? '?'}`;
}

/** What one cell shows: a pure function of the state, so it is unit-tested. */
export function cellInfo(p: PartitionView, r: ReplicaView, offset: number, lost: LostIndex, tUs: number): CellInfo {
  const epoch = epochAt(r, offset);
  if (epoch === undefined) return { state: 'empty', acked: false };
  const acked = isAcked(p, offset, epoch);
  const l = lost.at(p.name, offset, epoch, tUs);
  if (l) return { state: 'lost', epoch, acked, lost: l };
  const leader = p.leader === null ? undefined : p.logs[p.leader];
  const committed = leader ? offset < leader.hw && epochAt(leader, offset) === epoch : offset < r.hw;
  return { state: committed ? 'committed' : 'uncommitted', epoch, acked };
}

/** The first offset of the visible window: follows the log head in quarter-window pages, so cells do not
 *  slide one by one while playing; centres on a selected record. */
export function windowStart(headOffset: number, cells: number, focus?: number): number {
  if (cells <= 0) return 0;
  if (focus !== undefined) return Math.max(0, focus - Math.floor(cells / 2));
  const page = Math.max(1, Math.floor(cells / 4));
  const want = headOffset - Math.floor(cells * 0.8);
  return Math.max(0, Math.ceil(want / page) * page);
}

interface Geometry {
  rem: number;
  width: number;
  labelW: number;
  rightW: number;
  cellW: number;
  rowH: number;
  ghostH: number;
  axisH: number;
  gap: number;
  cells: number;
}

export class PartitionCard {
  readonly el: HTMLElement;
  private readonly head: HTMLElement;
  private readonly svg: SVGSVGElement;
  private g!: Geometry;
  private lastSig = '';
  private stale = false;

  constructor(
    host: HTMLElement,
    readonly name: string,
    private readonly replicas: number[],
    private readonly lost: LostIndex,
    private readonly onPickLost: (r: LostRecord) => void,
    /** Consumer groups that read this partition in this run: one row each, under the replicas. */
    private readonly groups: readonly string[] = [],
  ) {
    this.el = document.createElement('div');
    this.el.className = 'pcard';
    this.el.dataset.partition = name;
    this.head = document.createElement('div');
    this.head.className = 'phead';
    this.el.appendChild(this.head);
    this.svg = document.createElementNS(SVG_NS, 'svg');
    this.svg.classList.add('partition-svg');
    this.el.appendChild(this.svg);
    host.appendChild(this.el);
    // A card shown again, or given another width by the grid (presentation mode sets cards aside
    // and brings them back), is laid out again at its next update, at the width it now has.
    new ResizeObserver(() => {
      const w = this.el.clientWidth;
      if (w > 0 && this.g && Math.abs(Math.max(300, w - 10) - this.g.width) > 2) this.stale = true;
    }).observe(this.el);
    this.svg.addEventListener('click', (ev) => {
      const t = (ev.target as Element).closest('[data-lost]');
      if (!t) return;
      const [o, e] = (t.getAttribute('data-lost') ?? '').split('|');
      const rec = this.lost.records.find((r) => r.partition === this.name && r.offset === Number(o) && String(r.epoch ?? '?') === e);
      if (rec) this.onPickLost(rec);
    });
  }

  build(): void {
    this.stale = false;
    const rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 15;
    const width = Math.max(300, this.el.clientWidth - 10);
    // Presentation mode: the rows a little tighter than the type (the labels stay large), so two or
    // three partitions fit under the cluster on a projector.
    const k = document.documentElement.classList.contains('present') ? 0.8 : 1;
    const labelW = 7.2 * rem;
    const rightW = Math.min(10 * rem, width * 0.28);
    const cellW = Math.max(14, Math.round(1.15 * rem * k));
    const rowH = Math.round(1.35 * rem * k);
    const ghostH = Math.round(0.7 * rem * k);
    const axisH = Math.round(1.2 * rem);
    const gap = Math.round(0.25 * rem * k);
    const cells = Math.max(4, Math.floor((width - labelW - rightW) / cellW));
    this.g = { rem, width, labelW, rightW, cellW, rowH, ghostH, axisH, gap, cells };
    const height = axisH + this.replicas.length * (rowH + ghostH + gap) + this.groups.length * (rowH + gap) + 2;
    this.svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    this.svg.setAttribute('height', String(height));
    this.svg.innerHTML = `<defs>${defsMarkup()}</defs>`;
    this.lastSig = '';
  }

  update(s: ViewState, tUs: number, selected?: LostRecord): void {
    const p = s.partitions[this.name];
    if (!p) return;
    if (this.stale) {
      this.stale = false;
      this.build();
    }
    const logs = this.replicas.map((b) => p.logs[b]);
    // The window follows the story (lib/offset-window.ts): spans around every replica's end and HW,
    // where the logs part, what was truncated, the groups' offsets, a selected record; gaps between.
    const focus = selected && selected.partition === this.name ? selected.offset : undefined;
    const consumers = this.consumersOf(s);
    const win = offsetWindow(interests(p, { tUs, consumers, focus }), this.g.cells);
    const lostNow = this.lost.countAt(tUs);
    const sig = JSON.stringify([p.leader, p.leaderEpoch, p.isr, p.replicas, p.adding, p.removing, logs.map((r) => [r.leo, r.hw, r.segments.length, r.ghosts.length]), win.spans, consumers, lostNow, selected?.offset, selected?.partition, this.statusSig(s)]);
    this.updateHead(p, s, tUs);
    if (sig === this.lastSig) return;
    this.lastSig = sig;
    this.draw(p, s, tUs, win, consumers, selected);
  }

  /** Each group's committed offset and position on this partition (undefined until it has one). */
  private consumersOf(s: ViewState): { group: string; committed?: number; position?: number; owner?: string; rebalancing: boolean; inFlight?: { consumer: string; from: number; to: number } }[] {
    return this.groups.map((g) => {
      const v = s.groups[g];
      let owner: string | undefined;
      for (const [m, ps] of Object.entries(v?.assignment ?? {})) if (ps.includes(this.name)) owner = m;
      const b = v?.inFlight[this.name];
      const inFlight = b === undefined ? undefined : { consumer: b.consumer, from: b.from, to: b.to };
      return { group: g, committed: v?.committed[this.name], position: v?.positions[this.name], owner, rebalancing: v?.state === 'rebalancing', inFlight };
    });
  }

  private statusSig(s: ViewState): string {
    return this.replicas.map((b) => `${s.brokers[b]?.status}${s.brokers[b]?.fenced ? 'f' : ''}`).join(',');
  }

  private updateHead(p: PartitionView, s: ViewState, tUs: number): void {
    const leader = p.leader === null ? '<span class="noleader">✕ no leader</span>' : `leader <b>★ ${p.leader}</b>`;
    const hw = p.leader === null ? '—' : String(p.logs[p.leader]?.hw ?? '—');
    const lu = leaderlessUsAt(p, tUs);
    const html =
      `<span class="pname">${p.name}</span> <span data-testid="leader" data-value="${p.leader ?? 'none'}">${leader}</span>` +
      ` <span>epoch <b data-testid="epoch">${p.leaderEpoch < 0 ? '—' : p.leaderEpoch}</b></span>` +
      ` <span>ISR <b data-testid="isr" data-value="${[...p.isr].sort((a, b) => a - b).join(',')}">{${p.isr.join(', ')}}</b></span>` +
      ` <span>HW <b data-testid="hw">${hw}</b></span>` +
      (p.adding.length || p.removing.length ? ` <span class="reassigning" data-testid="reassigning">reassigning: adding {${p.adding.join(', ')}}, removing {${p.removing.join(', ')}}</span>` : '') +
      (p.uncleanElections ? ` <span class="unclean">⚠ ${p.uncleanElections} unclean election${p.uncleanElections > 1 ? 's' : ''}</span>` : '') +
      (lu > 0 ? ` <span class="leaderless-time">no leader for ${formatDuration(lu)}</span>` : '');
    if (this.head.innerHTML !== html) this.head.innerHTML = html;
    void s;
  }

  private draw(p: PartitionView, s: ViewState, tUs: number, win: OffsetWindow, consumers: ReturnType<PartitionCard['consumersOf']>, selected?: LostRecord): void {
    const g = this.g;
    const svg = d3.select(this.svg);
    svg.selectAll('g.body').remove();
    const body = svg.append('g').attr('class', 'body').attr('data-spans', JSON.stringify(win.spans.map((sp) => [sp.from, sp.to])));
    const x0 = g.labelW;
    const xOf = (o: number) => x0 + cellOf(win, o).x * g.cellW;
    const cells = [...cellsOf(win)];
    const gaps = gapsOf(win);
    // Offset axis: ticks at a step the labels fit in, and the first offset after each gap.
    const axis = body.append('g').attr('class', 'axis');
    const maxDigits = String(win.spans[win.spans.length - 1].to).length;
    const labelPx = maxDigits * 0.5 * g.rem + 6;
    const step = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000].find((k) => k * g.cellW >= labelPx) ?? 1000;
    let lastLabelX = -Infinity;
    for (const [o, c] of cells) {
      const afterGap = win.spans.some((sp, k) => k > 0 && sp.from === o);
      if (o % step !== 0 && !afterGap) continue;
      const x = x0 + c * g.cellW + g.cellW / 2;
      if (x - lastLabelX < labelPx) continue;
      axis.append('text').attr('x', x).attr('y', g.axisH - 4).attr('text-anchor', 'middle').attr('class', 'mono').text(o);
      lastLabelX = x;
    }
    axis.append('text').attr('x', x0 - 6).attr('y', g.axisH - 4).attr('text-anchor', 'end').text('offset');
    // Gaps: offsets nobody needs to see now, compressed to a break mark with the count it hides.
    const bodyH = this.replicas.length * (g.rowH + g.ghostH + g.gap) + this.groups.length * (g.rowH + g.gap);
    for (const gp of gaps) {
      const gx = x0 + gp.cell * g.cellW;
      const gw = win.gapCells * g.cellW;
      const gg = body.append('g').attr('class', 'gap').attr('data-from', gp.from).attr('data-to', gp.to)
        .attr('data-tip', `offsets ${gp.from}–${gp.to - 1} not shown (${(gp.to - gp.from).toLocaleString('en')} records): nothing of the story happens there now`);
      gg.append('rect').attr('x', gx + 1).attr('y', g.axisH - 2).attr('width', gw - 2).attr('height', bodyH).attr('fill', C.paper2);
      const zig = (y0: number, y1: number) => {
        let d = `M${gx + gw / 2 - 3},${y0}`;
        for (let y = y0, k = 0; y < y1; y += 6, k++) d += `L${gx + gw / 2 + (k % 2 ? -3 : 3)},${Math.min(y1, y + 6)}`;
        return d;
      };
      gg.append('path').attr('d', zig(g.axisH - 2, g.axisH - 2 + bodyH)).attr('fill', 'none').attr('stroke', C.ink3).attr('stroke-width', 1.5);
      axis.append('text').attr('x', gx + gw / 2).attr('y', g.axisH - 4).attr('text-anchor', 'middle').attr('class', 'gap-label').style('fill', C.ink3).text('⋯');
    }
    this.replicas.forEach((b, i) => {
      const r = p.logs[b];
      const y = g.axisH + i * (g.rowH + g.ghostH + g.gap);
      const row = body.append('g').attr('class', 'replica').attr('data-broker', b).attr('transform', `translate(0,${y})`);
      const broker = s.brokers[b];
      const down = broker && broker.status !== 'up';
      const inIsr = p.isr.includes(b);
      const isLeader = p.leader === b;
      // Label: ★ leader, broker id, ISR badge (filled = in the ISR, hollow = out).
      row.append('rect').attr('x', 2).attr('y', g.rowH / 2 - 6).attr('width', 12).attr('height', 12).attr('rx', 2)
        .attr('fill', inIsr ? C.ink : C.paper).attr('stroke', C.ink).attr('stroke-width', 1.5)
        .attr('data-tip', inIsr ? `broker ${b} is in the ISR` : `broker ${b} is NOT in the ISR`);
      // a reassignment (KIP-455): + for a replica being added, − for one to be removed, none for a broker no longer a replica
      const move = p.adding.includes(b) ? ' +' : p.removing.includes(b) ? ' −' : !p.replicas.includes(b) ? ' (gone)' : '';
      row.append('text').attr('x', 20).attr('y', g.rowH / 2).attr('dominant-baseline', 'central')
        .style('font-size', '0.85rem').style('font-weight', isLeader ? 800 : 500).style('fill', down || move === ' (gone)' ? C.ink3 : move ? C.blue : C.ink)
        .attr('data-move', move.trim())
        .text(`${isLeader ? '★ ' : ''}broker ${b}${down ? ` ${broker.status === 'crashed' ? '✕' : broker.status === 'paused' ? '‖' : '■'}` : ''}${move}`)
        .attr('data-tip', `broker ${b}${isLeader ? ` — leader, epoch ${p.leaderEpoch}` : ''}${inIsr ? ', in the ISR' : ', out of the ISR'}${down ? `, ${broker.status}` : ''}${move === ' +' ? '; a reassignment is adding it' : move === ' −' ? '; a reassignment will remove it' : move ? '; a reassignment removed it' : ''}`);
      // Cells.
      for (const [o] of cells) {
        const info = cellInfo(p, r, o, this.lost, tUs);
        if (info.state === 'empty') {
          row.append('rect').attr('x', xOf(o) + 1).attr('y', 1).attr('width', g.cellW - 2).attr('height', g.rowH - 2).attr('fill', 'none').attr('stroke', '#ececea').attr('stroke-width', 1);
          continue;
        }
        const isSel = selected && info.lost === selected;
        const cell = row.append('rect').attr('x', xOf(o) + 1).attr('y', 1).attr('width', g.cellW - 2).attr('height', g.rowH - 2).attr('rx', 2)
          .attr('fill', info.state === 'committed' ? C.blue : info.state === 'lost' ? 'url(#hatch-lost)' : 'url(#hatch-uncommitted)')
          .attr('stroke', isSel ? C.ink : info.state === 'committed' ? C.blue : info.state === 'lost' ? C.vermillion : C.sky)
          .attr('stroke-width', isSel ? 3 : 1)
          .attr('data-state', info.state)
          .attr('data-tip', `${p.name} offset ${o} on broker ${b}\nepoch ${info.epoch} · ${info.state}${info.acked ? ' · acknowledged' : ''}${info.lost ? `\nLOST: acked to ${info.lost.producer}, gone from the leader's log (click for its story)` : ''}`);
        if (info.lost) cell.attr('data-lost', `${o}|${info.lost.epoch ?? '?'}`).style('cursor', 'pointer');
        if (info.acked) row.append('circle').attr('cx', xOf(o) + g.cellW - 4.5).attr('cy', 4.5).attr('r', 2.6).attr('fill', info.state === 'committed' ? '#fff' : C.ink).attr('pointer-events', 'none');
      }
      // Epoch boundaries: a thick tick and the epoch number where a new epoch starts in the window.
      for (const seg of r.segments) {
        if (!cellsHas(win, seg.start) || seg.start >= r.leo) continue;
        row.append('line').attr('x1', xOf(seg.start)).attr('x2', xOf(seg.start)).attr('y1', -3).attr('y2', g.rowH + 1).attr('stroke', C.ink).attr('stroke-width', 2);
        row.append('text').attr('x', xOf(seg.start) + 2).attr('y', -3).style('font-size', '0.62rem').attr('class', 'mono').text(`e${seg.epoch}`);
      }
      // Ghosts of truncated records, in the strip under the row.
      for (const gh of r.ghosts) {
        for (const [o] of cells) {
          if (o < gh.from || o >= gh.to) continue;
          let ep: number | undefined;
          for (const sg of gh.epochs) if (sg.start <= o) ep = sg.epoch;
          const l = this.lost.at(p.name, o, ep, tUs);
          const gy = g.rowH + 1;
          const sel = l !== undefined && l === selected;
          const rect = row.append('rect').attr('x', xOf(o) + 1).attr('y', gy).attr('width', g.cellW - 2).attr('height', g.ghostH - 1)
            .attr('fill', l ? 'url(#hatch-lost)' : '#e4e4e4').attr('stroke', sel ? C.ink : l ? C.vermillion : C.ink3).attr('stroke-width', sel ? 3 : 1).attr('stroke-dasharray', l ? null : '2 2')
            .attr('data-state', l ? 'lost-truncated' : 'truncated')
            .attr('data-tip', `${p.name} offset ${o}: truncated from broker ${b} at ${formatDuration(gh.tUs)}${ep !== undefined ? ` (was epoch ${ep})` : ''}${l ? `\nLOST — an acknowledged record (click for its story)` : ''}`);
          if (l) rect.attr('data-lost', `${o}|${l.epoch ?? '?'}`).style('cursor', 'pointer');
        }
      }
      // HW bar and LEO triangle.
      const mark = (offset: number, kind: 'hw' | 'leo') => {
        const inside = !cellOf(win, offset).inGap;
        const x = xOf(offset);
        if (kind === 'hw') {
          row.append('rect').attr('x', x - 2).attr('y', -2).attr('width', 4).attr('height', g.rowH + 4).attr('fill', inside ? C.ink : C.ink3).attr('data-tip', `HW ${offset} on broker ${b}: records below it are committed (as this replica knows)`);
        } else {
          row.append('path').attr('d', `M${x},${g.rowH - 1}l-5,${g.ghostH + 2}h10z`).attr('fill', C.vermillion).attr('stroke', '#fff').attr('data-tip', `LEO ${offset} on broker ${b}: the next offset it will write`);
        }
      };
      mark(r.hw, 'hw');
      mark(r.leo, 'leo');
      row.append('text').attr('x', g.width - g.rightW + 8).attr('y', g.rowH / 2).attr('dominant-baseline', 'central').attr('class', 'mono').style('font-size', '0.78rem')
        .text(`LEO ${r.leo} · HW ${r.hw}`);
    });
    // Consumer groups: how far each has read (position ▼) and committed (bar), and its lag to the HW.
    const hw = partitionHw(p) ?? Math.max(0, ...this.replicas.map((b) => p.logs[b].hw));
    consumers.forEach((c, i) => {
      const y = g.axisH + this.replicas.length * (g.rowH + g.ghostH + g.gap) + i * (g.rowH + g.gap) + g.gap;
      const row = body.append('g').attr('class', 'group-row').attr('data-group', c.group).attr('data-committed', c.committed ?? '').attr('data-position', c.position ?? '')
        .attr('transform', `translate(0,${y})`);
      const lag = c.committed !== undefined ? Math.max(0, hw - c.committed) : undefined;
      row.attr('data-lag', lag ?? '');
      row.append('text').attr('x', 4).attr('y', g.rowH / 2).attr('dominant-baseline', 'central').style('font-size', '0.8rem').style('font-weight', 700).style('fill', C.green)
        .text(`⛁ ${c.group}${c.rebalancing ? ' ⟳' : ''}`)
        .attr('data-tip', `consumer group ${c.group}${c.owner ? `: ${c.owner} owns ${this.name}` : ': nobody owns this partition now'}${c.rebalancing ? ' (rebalancing: nobody reads)' : ''}`);
      const read = c.position ?? c.committed ?? 0;
      const done = c.committed ?? 0;
      const busy = c.inFlight;
      for (const [o] of cells) {
        if (o >= hw) break;
        // a batch being processed (`processing:`) is read but not yet processed: drawn apart from what is
        const processing = busy !== undefined && o >= busy.from && o < busy.to;
        const state = processing ? 'processing' : o < done ? 'committed' : o < read ? 'read' : 'lag';
        if (state === 'committed') continue;
        const style = GROUP_CELL[state];
        row.append('rect').attr('x', xOf(o) + 1).attr('y', g.rowH * 0.2).attr('width', g.cellW - 2).attr('height', g.rowH * 0.6).attr('rx', 2)
          .attr('fill', style.fill).attr('stroke', style.stroke).attr('stroke-width', state === 'processing' ? 1.5 : 1).attr('data-state', `group-${state}`)
          .attr('data-tip', state === 'processing'
            ? `${this.name} offset ${o}: ${busy!.consumer} of group ${c.group} is processing it (poll() returned ${busy!.from}–${busy!.to - 1}); not committed`
            : state === 'read' ? `${this.name} offset ${o}: read by group ${c.group}, not yet committed` : `${this.name} offset ${o}: committed (below the HW) but not yet read by group ${c.group} — lag`);
      }
      if (c.committed !== undefined) {
        row.append('rect').attr('class', 'committed-mark').attr('x', xOf(c.committed) - 2).attr('y', 0).attr('width', 4).attr('height', g.rowH).attr('fill', '#00664a')
          .attr('data-tip', `group ${c.group} committed offset ${c.committed}: where it resumes after a rebalance`);
      }
      if (c.position !== undefined) {
        const px = xOf(c.position);
        row.append('path').attr('class', 'position-mark').attr('d', `M${px},${g.rowH - 2}l-6,-9h12z`).attr('fill', C.green).attr('stroke', '#fff')
          .attr('data-tip', `${c.owner ?? 'a consumer'} of group ${c.group} reads from offset ${c.position} next`);
      }
      row.append('text').attr('x', g.width - g.rightW + 8).attr('y', g.rowH / 2).attr('dominant-baseline', 'central').attr('class', 'mono').style('font-size', '0.78rem')
        .style('fill', lag ? '#9a5a00' : C.ink2).style('font-weight', lag ? 700 : 400)
        .text(lag === undefined ? 'no commit yet' : `lag ${lag.toLocaleString('en')}`);
    });
  }
}

/** A group row's cells: processing (a batch in the application's hands), read, and lag (not yet read). */
const GROUP_CELL = {
  processing: { fill: 'url(#hatch-processing)', stroke: C.purple },
  read: { fill: '#bfe6d6', stroke: C.green },
  lag: { fill: '#fbe3a8', stroke: C.orange },
} as const;

function cellsHas(w: OffsetWindow, o: number): boolean {
  return w.spans.some((sp) => o >= sp.from && o < sp.to);
}

/** Legend for the partition view (HTML). */
export function partitionLegendHtml(): string {
  const sw = (fill: string, stroke: string, extra = '') => `<svg width="18" height="16"><defs>${defsMarkup()}</defs><rect x="1" y="1" width="16" height="14" rx="2" fill="${fill}" stroke="${stroke}" ${extra}/></svg>`;
  return [
    `${sw(C.blue, C.blue)} committed (below the leader's HW)`,
    `${sw('url(#hatch-uncommitted)', C.sky)} uncommitted`,
    `${sw('url(#hatch-lost)', C.vermillion)} lost (acked, gone from the leader)`,
    `${sw('#e4e4e4', C.ink3, 'stroke-dasharray="2 2"')} truncated`,
    `<svg width="12" height="12"><circle cx="6" cy="6" r="3" fill="${C.ink}"/></svg> acknowledged`,
    `<svg width="10" height="16"><rect x="3" y="0" width="4" height="16" fill="${C.ink}"/></svg> HW`,
    `<svg width="12" height="12"><path d="M6,2l-5,9h10z" fill="${C.vermillion}"/></svg> LEO`,
    `<svg width="14" height="14"><rect x="1" y="1" width="12" height="12" fill="${C.ink}"/></svg> in ISR <svg width="14" height="14"><rect x="1" y="1" width="12" height="12" fill="#fff" stroke="${C.ink}" stroke-width="1.5"/></svg> out`,
    `★ leader · e5 = leader epoch 5`,
    `<svg width="18" height="16"><rect x="1" y="0" width="16" height="16" fill="${C.paper2}"/><path d="M9,0L12,3L6,7L12,11L6,15" fill="none" stroke="${C.ink3}" stroke-width="1.5"/></svg> offsets left out`,
    `${sw('#fbe3a8', C.orange)} a group's lag (not yet read)`,
    `${sw('url(#hatch-processing)', C.purple)} a batch being processed (poll() returned it)`,
    `<svg width="14" height="14"><path d="M7,12l-6,-9h12z" fill="${C.green}"/></svg> position <svg width="8" height="14"><rect x="2" y="0" width="4" height="14" fill="#00664a"/></svg> committed`,
  ]
    .map((x) => `<span>${x}</span>`)
    .join('');
}
