// The aggregated overview for big clusters (say 30 brokers × 1,000 partitions), where one cell per
// record cannot be drawn: one square per partition on a canvas, its fill the partition's health
// (fully replicated, under-replicated, under min ISR, leaderless) and a mark where it lost records.
// Clicking a square opens that partition's replica logs below.

import type { PartitionView, ViewState } from '../lib/view-state.ts';
import { gridFor } from '../lib/layout.ts';
import { C } from './palette.ts';

export type Health = 'ok' | 'under-replicated' | 'single' | 'leaderless';

export function healthOf(p: PartitionView): Health {
  if (p.leader === null) return 'leaderless';
  if (p.isr.length <= 1 && p.replicas.length > 1) return 'single';
  if (p.isr.length < p.replicas.length) return 'under-replicated';
  return 'ok';
}

const FILL: Record<Health, string> = { ok: C.blue, 'under-replicated': C.sky, single: C.orange, leaderless: C.ink };

export class PartitionOverview {
  readonly canvas: HTMLCanvasElement;
  private names: string[] = [];
  private grid = { cols: 0, rows: 0, cell: 0 };
  private lastSig = '';

  constructor(
    private readonly host: HTMLElement,
    names: string[],
    private readonly onPick: (name: string) => void,
  ) {
    this.names = names;
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'overview-canvas';
    this.canvas.dataset.testid = 'overview';
    host.appendChild(this.canvas);
    this.canvas.addEventListener('click', (ev) => {
      const r = this.canvas.getBoundingClientRect();
      const col = Math.floor((ev.clientX - r.left) / this.grid.cell);
      const row = Math.floor((ev.clientY - r.top - 4) / this.grid.cell);
      const i = row * this.grid.cols + col;
      if (col >= 0 && col < this.grid.cols && i >= 0 && i < this.names.length) this.onPick(this.names[i]);
    });
    this.canvas.addEventListener('pointermove', (ev) => {
      const r = this.canvas.getBoundingClientRect();
      const col = Math.floor((ev.clientX - r.left) / this.grid.cell);
      const row = Math.floor((ev.clientY - r.top - 4) / this.grid.cell);
      const i = row * this.grid.cols + col;
      this.canvas.title = col >= 0 && col < this.grid.cols && i >= 0 && i < this.names.length ? `${this.names[i]} — click to open its replica logs` : '';
    });
    this.build();
  }

  build(): void {
    const w = Math.max(300, this.host.clientWidth - 20);
    const h = Math.max(120, Math.min(320, Math.ceil(this.names.length / 60) * 12 + 10));
    this.grid = gridFor(this.names.length, w, h - 8);
    const dpr = window.devicePixelRatio || 1;
    this.canvas.width = Math.round(w * dpr);
    this.canvas.height = Math.round(h * dpr);
    this.canvas.style.width = `${w}px`;
    this.canvas.style.height = `${h}px`;
    this.lastSig = '';
  }

  update(s: ViewState, selected: Set<string>): void {
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    // Redraw only when some partition's health changed (cheap signature over leader and ISR sizes).
    let sig = '';
    for (const n of this.names) {
      const p = s.partitions[n];
      sig += p.leader === null ? 'x' : String.fromCharCode(48 + p.isr.length);
    }
    sig += [...selected].join(',');
    if (sig === this.lastSig) return;
    this.lastSig = sig;
    const dpr = window.devicePixelRatio || 1;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    const { cols, cell } = this.grid;
    const pad = cell > 6 ? 1 : 0;
    this.names.forEach((n, i) => {
      const p = s.partitions[n];
      const x = (i % cols) * cell;
      const y = 4 + Math.floor(i / cols) * cell;
      const h = healthOf(p);
      ctx.fillStyle = FILL[h];
      ctx.fillRect(x + pad, y + pad, cell - 2 * pad, cell - 2 * pad);
      if (h === 'leaderless' && cell >= 6) {
        ctx.strokeStyle = '#fff';
        ctx.lineWidth = 1.5;
        ctx.beginPath();
        ctx.moveTo(x + 2, y + 2);
        ctx.lineTo(x + cell - 2, y + cell - 2);
        ctx.moveTo(x + cell - 2, y + 2);
        ctx.lineTo(x + 2, y + cell - 2);
        ctx.stroke();
      } else if (h === 'single' && cell >= 6) {
        ctx.fillStyle = C.ink;
        ctx.beginPath();
        ctx.arc(x + cell / 2, y + cell / 2, cell / 5, 0, Math.PI * 2);
        ctx.fill();
      }
      if (selected.has(n)) {
        ctx.strokeStyle = C.vermillion;
        ctx.lineWidth = 2;
        ctx.strokeRect(x + 1, y + 1, cell - 2, cell - 2);
      }
    });
  }
}

export function overviewLegendHtml(): string {
  const sq = (fill: string, mark = '') => `<svg width="14" height="14"><rect x="1" y="1" width="12" height="12" fill="${fill}"/>${mark}</svg>`;
  return [
    `${sq(C.blue)} fully replicated`,
    `${sq(C.sky)} under-replicated`,
    `${sq(C.orange, `<circle cx="7" cy="7" r="2.5" fill="${C.ink}"/>`)} ISR of one`,
    `${sq(C.ink, '<path d="M3,3L11,11M11,3L3,11" stroke="#fff" stroke-width="1.5"/>')} no leader`,
  ]
    .map((x) => `<span>${x}</span>`)
    .join('');
}
