// Each partition's replicas as logs of offset cells, aligned by offset so divergence shows as
// cells that differ in the same column. A cell's fill says its state: committed (solid blue),
// uncommitted (hatched light blue), lost (hatched vermillion with a cross), truncated (a grey ghost
// in the strip under the row). A dot marks an acknowledged record. Markers show each replica's HW
// (a bar) and LEO (a triangle); the label column shows the leader (★), its epoch and ISR membership.

import * as d3 from 'd3';
import type { LostRecord } from '../lib/run-data.ts';
import { epochAt, isAcked, leaderlessUsAt, type PartitionView, type ReplicaView, type ViewState } from '../lib/view-state.ts';
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
  constructor(readonly records: readonly LostRecord[]) {
    for (const r of records) this.map.set(key(r.partition, r.offset, r.epoch), r);
  }
  /** The lost record at this place, if it is already lost at time t. */
  at(partition: string, offset: number, epoch: number | undefined, tUs: number): LostRecord | undefined {
    const r = this.map.get(key(partition, offset, epoch)) ?? this.map.get(key(partition, offset, undefined));
    return r && (r.lostUs === undefined || r.lostUs <= tUs) ? r : undefined;
  }
  countAt(tUs: number): number {
    let n = 0;
    for (const r of this.records) if (r.lostUs !== undefined && r.lostUs <= tUs) n++;
    return n;
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
    const height = axisH + this.replicas.length * (rowH + ghostH + gap) + 2;
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
    // Follow the log ends (truncated records show where they were when they fall in the window).
    const head = Math.max(0, ...logs.map((r) => r.leo));
    const focus = selected && selected.partition === this.name ? selected.offset : undefined;
    const start = windowStart(head, this.g.cells, focus);
    const lostNow = this.lost.countAt(tUs);
    const sig = JSON.stringify([p.leader, p.leaderEpoch, p.isr, logs.map((r) => [r.leo, r.hw, r.segments.length, r.ghosts.length]), start, lostNow, selected?.offset, selected?.partition, this.statusSig(s)]);
    this.updateHead(p, s, tUs);
    if (sig === this.lastSig) return;
    this.lastSig = sig;
    this.draw(p, s, tUs, start, selected);
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
      (p.uncleanElections ? ` <span class="unclean">⚠ ${p.uncleanElections} unclean election${p.uncleanElections > 1 ? 's' : ''}</span>` : '') +
      (lu > 0 ? ` <span class="leaderless-time">no leader for ${formatDuration(lu)}</span>` : '');
    if (this.head.innerHTML !== html) this.head.innerHTML = html;
    void s;
  }

  private draw(p: PartitionView, s: ViewState, tUs: number, start: number, selected?: LostRecord): void {
    const g = this.g;
    const svg = d3.select(this.svg);
    svg.selectAll('g.body').remove();
    const body = svg.append('g').attr('class', 'body');
    const x0 = g.labelW;
    const xOf = (o: number) => x0 + (o - start) * g.cellW;
    // Offset axis: a tick every 5 offsets.
    const axis = body.append('g').attr('class', 'axis');
    for (let o = Math.ceil(start / 5) * 5; o < start + g.cells; o += 5) {
      axis.append('text').attr('x', xOf(o) + g.cellW / 2).attr('y', g.axisH - 4).attr('text-anchor', 'middle').attr('class', 'mono').text(o);
    }
    axis.append('text').attr('x', x0 - 6).attr('y', g.axisH - 4).attr('text-anchor', 'end').text('offset');
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
      row.append('text').attr('x', 20).attr('y', g.rowH / 2).attr('dominant-baseline', 'central')
        .style('font-size', '0.85rem').style('font-weight', isLeader ? 800 : 500).style('fill', down ? C.ink3 : C.ink)
        .text(`${isLeader ? '★ ' : ''}broker ${b}${down ? ` ${broker.status === 'crashed' ? '✕' : broker.status === 'paused' ? '‖' : '■'}` : ''}`)
        .attr('data-tip', `broker ${b}${isLeader ? ` — leader, epoch ${p.leaderEpoch}` : ''}${inIsr ? ', in the ISR' : ', out of the ISR'}${down ? `, ${broker.status}` : ''}`);
      // Cells.
      for (let o = start; o < start + g.cells; o++) {
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
        if (seg.start < start || seg.start >= start + g.cells || seg.start >= r.leo) continue;
        row.append('line').attr('x1', xOf(seg.start)).attr('x2', xOf(seg.start)).attr('y1', -3).attr('y2', g.rowH + 1).attr('stroke', C.ink).attr('stroke-width', 2);
        row.append('text').attr('x', xOf(seg.start) + 2).attr('y', -3).style('font-size', '0.62rem').attr('class', 'mono').text(`e${seg.epoch}`);
      }
      // Ghosts of truncated records, in the strip under the row.
      for (const gh of r.ghosts) {
        for (let o = Math.max(gh.from, start); o < Math.min(gh.to, start + g.cells); o++) {
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
        const inside = offset >= start && offset <= start + g.cells;
        const x = Math.max(x0, Math.min(xOf(offset), xOf(start + g.cells)));
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
  }
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
  ]
    .map((x) => `<span>${x}</span>`)
    .join('');
}
