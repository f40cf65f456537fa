// The fault timeline and the charts under it, all on one time axis with the playhead across them:
// one strip per fault (crashes, pauses, fences, cuts, slow links, time without a leader), then
// small charts of ISR size, HW, acked and lost records, producer errors and leaderless partitions.
// Ticks on the top axis mark notable events. Clicking or dragging anywhere scrubs.

import * as d3 from 'd3';
import type { FaultInterval, SeriesPoint } from '../lib/series.ts';
import { stripsOf } from '../lib/series.ts';
import { formatDuration } from '../lib/time.ts';
import type { VizEvent } from '../lib/events.ts';
import { describeEvent } from '../lib/events.ts';
import { C, defsMarkup } from './palette.ts';

const SVG_NS = 'http://www.w3.org/2000/svg';

export interface TimelineRun {
  label: string;
  /** For the legend of a what-if: "A · as written", "B · acks=1". */
  title?: string;
  series: SeriesPoint[];
  faults: FaultInterval[];
  notable: VizEvent[];
  /** Consumer groups of the run (a lag line each). */
  groups?: string[];
}

const FAULT_STYLE: Record<FaultInterval['kind'], { fill: string; stroke: string }> = {
  crashed: { fill: 'url(#hatch-crashed)', stroke: C.ink },
  paused: { fill: C.yellow, stroke: C.ink2 },
  shutdown: { fill: '#dcdcdc', stroke: C.ink2 },
  fenced: { fill: '#fbe3a8', stroke: C.orange },
  cut: { fill: '#f6c9a9', stroke: C.vermillion },
  isolated: { fill: '#f6c9a9', stroke: C.vermillion },
  slow: { fill: 'url(#dots-slow)', stroke: C.orange },
  leaderless: { fill: 'url(#hatch-leaderless)', stroke: C.ink },
  'no-controller': { fill: 'url(#hatch-leaderless)', stroke: C.vermillion },
  reassigning: { fill: '#d6e6f5', stroke: C.blue },
};

export function notableClass(e: VizEvent): string {
  if (e.type === 'broker' || e.type === 'net' || e.type === 'controller') return 'fault';
  if (e.type === 'quorum') return e.change === 'active' ? 'election' : 'fault';
  if (e.type === 'reassign') return 'isr';
  if (e.type === 'leader') return 'election';
  if (e.type === 'isr') return 'isr';
  if (e.type === 'truncate') return 'loss';
  if (e.type === 'note') return 'note';
  if (e.type === 'rebalance') return 'rebalance';
  if (e.type === 'client' && e.change === 'crashed') return 'fault';
  return 'other';
}

const TICK_COLOR: Record<string, string> = { fault: C.vermillion, election: C.blue, isr: C.orange, loss: C.vermillion, note: C.ink, rebalance: C.purple, other: C.ink3 };

export class TimelineView {
  readonly svg: SVGSVGElement;
  private x!: d3.ScaleLinear<number, number>;
  private playhead!: d3.Selection<SVGGElement, unknown, null, undefined>;
  private height = 0;
  private dragging = false;
  divergenceUs?: number;
  /** The metrics panel shows the lesson's alerting gauges in presentation mode (the model's, recorded): no chart of them here. */
  alertsInPanel = false;
  /** Show the whole run (the presenter's "show the ending"); otherwise only up to the playhead. */
  private ending = false;
  private future!: d3.Selection<SVGRectElement, unknown, null, undefined>;
  private readonly clipId = `tl-past-${Math.random().toString(36).slice(2, 8)}`;

  constructor(
    private readonly host: HTMLElement,
    private runs: TimelineRun[],
    private readonly durationUs: number,
    private readonly onSeek: (tUs: number) => void,
  ) {
    this.svg = document.createElementNS(SVG_NS, 'svg');
    this.svg.classList.add('timeline-svg');
    this.svg.setAttribute('data-testid', 'timeline');
    host.appendChild(this.svg);
    const seekAt = (ev: PointerEvent) => {
      const r = this.svg.getBoundingClientRect();
      const px = ((ev.clientX - r.left) / r.width) * Number(this.svg.viewBox.baseVal.width || r.width);
      const t = Math.round(Math.max(0, Math.min(this.durationUs, this.x.invert(px))));
      this.onSeek(t);
    };
    this.svg.addEventListener('pointerdown', (ev) => {
      const tick = (ev.target as Element).closest('[data-seek]');
      if (tick) {
        this.onSeek(Number(tick.getAttribute('data-seek')));
        return;
      }
      this.dragging = true;
      this.svg.setPointerCapture(ev.pointerId);
      seekAt(ev);
    });
    this.svg.addEventListener('pointermove', (ev) => {
      if (this.dragging) seekAt(ev);
    });
    this.svg.addEventListener('pointerup', () => (this.dragging = false));
    this.svg.addEventListener('pointercancel', () => (this.dragging = false));
    this.build();
  }

  setRuns(runs: TimelineRun[]): void {
    this.runs = runs;
    this.build();
  }

  build(): void {
    const rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 15;
    const width = Math.max(400, this.host.clientWidth || 900);
    // In front of a class (presentation mode) the timeline is the fault strips on the time axis; the
    // charts, which need reading up close, wait for normal mode.
    const compact = document.documentElement.classList.contains('present');
    const labelW = Math.min(9 * rem, width * 0.22);
    const stripH = Math.round(1.05 * rem);
    const chartH = Math.round(2.9 * rem);
    const chartGap = Math.round(0.45 * rem);
    const axisH = Math.round(1.5 * rem);
    const tickH = Math.round(0.9 * rem);
    const strips = stripsOf(this.runs.flatMap((r) => r.faults));
    const groups = [...new Set(this.runs.flatMap((r) => r.groups ?? []))];
    // Consumer lag is the point of a consumer lesson: its chart stays in presentation mode too.
    // Kafka's alerts are the point of a lesson where acks=all was refused (UnderMinIsrPartitionCount > 0):
    // then their chart stays in presentation mode too, as consumer lag does for a consumer lesson.
    // ... unless the metrics panel shows the model's own alert gauges (views/metrics.ts): then the cluster keeps the room
    const alertLesson = !this.alertsInPanel && this.runs.some((r) => r.series.some((p) => p.underMinIsr > 0));
    const charts = (compact ? 0 : 6) + (groups.length ? 1 : 0) + (compact && alertLesson ? 1 : 0);
    const runLegendH = this.runs.length > 1 && charts > 0 ? Math.round(1.3 * rem) : 0;
    this.height = tickH + axisH + Math.max(1, strips.length) * stripH * this.runs.length + 6 + runLegendH + charts * (chartH + chartGap) + 4;
    this.svg.setAttribute('viewBox', `0 0 ${width} ${this.height}`);
    this.svg.setAttribute('height', String(this.height));
    const svg = d3.select(this.svg);
    svg.selectAll('*').remove();
    svg.append('defs').html(defsMarkup());
    // No spoilers: the faults, ticks and charts are drawn up to the playhead only (update moves the clip).
    this.future = svg.append('clipPath').attr('id', this.clipId).append('rect').attr('x', 0).attr('y', 0).attr('height', this.height).attr('width', width);
    // The last tick's label ("90 s") stays inside the drawing.
    this.x = d3.scaleLinear().domain([0, this.durationUs]).range([labelW, width - Math.round(1.3 * rem)]);
    const x = this.x;
    // Notable-event ticks.
    const ticks = svg.append('g').attr('class', 'notable-ticks').attr('clip-path', `url(#${this.clipId})`);
    const seen = new Set<string>();
    this.runs.forEach((run, ri) => {
      for (const e of run.notable) {
        const k = `${e.tUs}|${describeEvent(e)}`;
        if (seen.has(k)) continue;
        seen.add(k);
        const cls = notableClass(e);
        ticks.append('rect').attr('x', x(e.tUs) - 1.5).attr('y', 2 + ri * 3).attr('width', 3).attr('height', tickH - 2).attr('fill', TICK_COLOR[cls])
          .attr('data-seek', e.tUs).attr('data-tip', `${formatDuration(e.tUs)}  ${describeEvent(e)}`).style('cursor', 'pointer');
      }
    });
    // Axis.
    const axis = svg.append('g').attr('class', 'axis').attr('transform', `translate(0,${tickH + axisH - 4})`);
    axis.call(
      d3.axisTop(x).ticks(Math.max(4, Math.floor((width - labelW) / (5.5 * rem)))).tickSize(4).tickPadding(3).tickFormat((d) => formatDuration(Number(d))) as never,
    );
    // The axis says what it measures, in the label column (clear of its tick labels).
    axis.append('text').attr('class', 'axis-title').attr('x', labelW - 8).attr('y', -4).attr('text-anchor', 'end').text('simulated time');
    // Fault strips, one per subject (and per run when two runs play side by side).
    let y = tickH + axisH;
    const gStrips = svg.append('g').attr('class', 'strips');
    const gStripMarks = gStrips.append('g').attr('class', 'strip-marks').attr('clip-path', `url(#${this.clipId})`);
    if (strips.length === 0) {
      gStrips.append('text').attr('class', 'strip-label').attr('x', labelW).attr('y', y + stripH / 2).text('no faults');
      y += stripH;
    }
    for (const strip of strips) {
      this.runs.forEach((run, ri) => {
        const label = this.runs.length > 1 ? `${strip} (${run.label})` : strip;
        const maxChars = Math.max(8, Math.floor((labelW - 8) / (0.5 * rem)));
        const firstUs = Math.min(...run.faults.filter((f) => f.strip === strip).map((f) => f.fromUs));
        gStrips.append('text').attr('class', 'strip-label').attr('x', 4).attr('y', y + stripH / 2).attr('data-from', Number.isFinite(firstUs) ? firstUs : 0).text(label.length > maxChars ? label.slice(0, maxChars - 1) + '…' : label)
          .append('title').text(label);
        gStrips.append('line').attr('x1', labelW).attr('x2', x.range()[1]).attr('y1', y + stripH / 2).attr('y2', y + stripH / 2).attr('stroke', C.paper2);
        // Process states fill the strip; fencing (the controller's view) is a band along its bottom.
        const mine = run.faults.filter((f) => f.strip === strip).sort((a, b) => Number(a.kind === 'fenced') - Number(b.kind === 'fenced'));
        for (const f of mine) {
          const st = FAULT_STYLE[f.kind];
          const x0 = x(f.fromUs);
          const x1 = x(f.toUs ?? this.durationUs);
          const band = f.kind === 'fenced';
          const top = band ? y + stripH * 0.55 : y + 2;
          const h = band ? stripH * 0.45 - 1 : stripH - 4;
          gStripMarks.append('rect').attr('x', x0).attr('y', top).attr('width', Math.max(2, x1 - x0)).attr('height', h).attr('fill', st.fill).attr('stroke', st.stroke).attr('stroke-dasharray', band ? '3 2' : null)
            .attr('data-tip', `${strip}: ${f.label} from ${formatDuration(f.fromUs)}${f.toUs !== undefined ? ` to ${formatDuration(f.toUs)} (${formatDuration(f.toUs - f.fromUs)})` : ' to the end'}`);
        }
        y += stripH;
      });
    }
    y += 6;
    // Charts.
    const gCharts = svg.append('g').attr('class', 'charts');
    // A what-if: which line is which run, once for every chart (A solid blue, B dashed purple).
    if (this.runs.length > 1 && charts > 0) {
      const lg = gCharts.append('g').attr('class', 'run-legend').attr('data-testid', 'run-legend');
      let lx = labelW;
      this.runs.forEach((run, ri) => {
        const c = [C.blue, C.purple][ri];
        lg.append('line').attr('x1', lx).attr('x2', lx + 1.6 * rem).attr('y1', y + 0.55 * rem).attr('y2', y + 0.55 * rem).attr('stroke', c).attr('stroke-width', 3).attr('stroke-dasharray', ri === 1 ? '5 3' : null);
        const t = lg.append('text').attr('class', 'chart-legend-text').attr('x', lx + 1.9 * rem).attr('y', y + 0.85 * rem).style('font-weight', 700).text(run.title || run.label);
        lx += 2.4 * rem + (run.title || run.label).length * 0.55 * rem + rem;
        void t;
      });
      y += runLegendH;
    }
    const gLines = svg.append('g').attr('class', 'chart-lines').attr('clip-path', `url(#${this.clipId})`);
    const runColors = [C.blue, C.purple];
    const lineFor = (pts: SeriesPoint[], val: (p: SeriesPoint) => number, yScale: d3.ScaleLinear<number, number>) =>
      d3.line<SeriesPoint>().x((p) => x(p.tUs)).y((p) => yScale(val(p))).curve(d3.curveStepAfter)(pts) ?? '';
    const chart = (title: string, lines: { val: (p: SeriesPoint) => number; color: string; dash?: string; name: string }[], always = false) => {
      if (compact && !always) return;
      const all = this.runs.flatMap((r) => r.series.flatMap((p) => lines.map((l) => l.val(p))));
      const max = Math.max(1, ...all);
      const yScale = d3.scaleLinear().domain([0, max]).range([y + chartH, y + 3]).nice();
      gCharts.append('rect').attr('x', labelW).attr('y', y).attr('width', x.range()[1] - labelW).attr('height', chartH).attr('fill', C.paper2).attr('data-chart', title);
      // Title, then one legend line per series, all inside the chart's own band; the scale's top and
      // bottom values sit at the band's edges, inside it (never on the next chart's).
      gCharts.append('text').attr('class', 'chart-label chart-title').attr('x', 4).attr('y', y + 0.85 * rem).text(title);
      // The scale's ends inside the plot's left edge, haloed, clear of the title and legend.
      gCharts.append('text').attr('class', 'chart-label chart-scale mono').attr('x', labelW + 4).attr('y', y + 2).attr('dominant-baseline', 'hanging').text(fmtNum(yScale.domain()[1]));
      gCharts.append('text').attr('class', 'chart-label chart-scale mono').attr('x', labelW + 4).attr('y', y + chartH - 3).text('0');
      let ly = y + 1.75 * rem;
      for (const l of lines) {
        const entry = gCharts.append('g').attr('class', 'chart-legend');
        // with two runs the colour says the run (the legend above the charts), the dash says the series
        entry.append('line').attr('x1', 6).attr('x2', 6 + 1.1 * rem).attr('y1', ly - 0.3 * rem).attr('y2', ly - 0.3 * rem).attr('stroke', this.runs.length > 1 ? C.ink2 : l.color).attr('stroke-width', 3).attr('stroke-dasharray', l.dash ?? null);
        entry.append('text').attr('class', 'chart-legend-text').attr('x', 10 + 1.1 * rem).attr('y', ly).text(l.name);
        ly += 0.9 * rem;
      }
      this.runs.forEach((run, ri) => {
        for (const l of lines) {
          gLines.append('path').attr('d', lineFor(run.series, l.val, yScale)).attr('fill', 'none').attr('stroke', this.runs.length > 1 ? runColors[ri] : l.color)
            .attr('stroke-width', 2).attr('stroke-dasharray', l.dash ?? (ri === 1 ? '5 3' : null));
        }
      });
      y += chartH + chartGap;
    };
    const groupColors = [C.green, C.orange, C.purple, C.sky, C.ink];
    if (groups.length) {
      chart(
        'consumer lag',
        groups.map((g, i) => ({ val: (p: SeriesPoint) => p.lag[g] ?? 0, color: groupColors[i % groupColors.length], name: `group ${g}`, dash: i ? '4 3' : undefined })),
        true,
      );
    }
    // an alert fires while a gauge is above 0: shade those stretches behind the chart's lines, and mark
    // where each alert fired and cleared; a mark seeks to the event that moved the gauge
    const alertTop = y;
    const showAlerts = !compact || alertLesson;
    if (showAlerts) this.runs.forEach((run) => {
      let from: number | undefined;
      const pts = run.series;
      const cause = (t: number, fallback: number): VizEvent | undefined => {
        let best: VizEvent | undefined;
        for (const e of run.notable) if (e.tUs <= t && e.tUs >= fallback - 1 && (best === undefined || e.tUs >= best.tUs)) best = e;
        return best;
      };
      const mark = (i: number, what: string) => {
        const prev = i > 0 ? pts[i - 1].tUs : 0;
        const e = cause(pts[i].tUs, prev);
        const t = e?.tUs ?? pts[i].tUs;
        gLines.append('path').attr('class', 'alert-jump').attr('d', `M${x(t) - 5},${alertTop}h10l-5,7z`).attr('fill', C.vermillion)
          .attr('data-seek', t).attr('data-testid', 'alert-jump').attr('data-tip', `${formatDuration(t)}  ${what}${e ? `: ${describeEvent(e)}` : ''}`).style('cursor', 'pointer');
      };
      for (let i = 0; i <= pts.length; i++) {
        const firing = i < pts.length && (pts[i].underMinIsr > 0 || pts[i].leaderless > 0);
        if (firing && from === undefined) {
          from = pts[i].tUs;
          mark(i, pts[i].underMinIsr > 0 ? 'UnderMinIsrPartitionCount went above 0' : 'OfflinePartitionsCount went above 0');
        }
        if (!firing && from !== undefined) {
          const to = i < pts.length ? pts[i].tUs : pts[pts.length - 1].tUs;
          gLines.append('rect').attr('class', 'alert-firing').attr('x', x(from)).attr('y', alertTop).attr('width', Math.max(1, x(to) - x(from))).attr('height', chartH)
            .attr('fill', C.vermillion).attr('opacity', 0.12).attr('data-tip', `an alert fires: UnderMinIsrPartitionCount or OfflinePartitionsCount > 0, ${formatDuration(from)}–${formatDuration(to)}`);
          if (i < pts.length) mark(i, 'the alert cleared');
          from = undefined;
        }
      }
    });
    // Kafka's alerting gauges (UnderMinIsrPartitionCount, UnderReplicatedPartitions), shaded while an alert fires
    chart('Kafka alerts', [
      { val: (p) => p.underMinIsr, color: C.vermillion, name: 'under min ISR' },
      { val: (p) => p.underReplicated, color: C.orange, name: 'under-replicated', dash: '4 3' },
    ], alertLesson);
    chart('ISR size', [
      { val: (p) => p.minIsr, color: C.orange, name: 'min' },
      { val: (p) => p.meanIsr, color: C.blue, name: 'mean', dash: '4 3' },
    ]);
    chart('HW (sum)', [{ val: (p) => p.hw, color: C.blue, name: 'HW' }]);
    chart('acked · lost', [
      { val: (p) => p.acked, color: C.green, name: 'acked' },
      { val: (p) => p.lost, color: C.vermillion, name: 'lost', dash: '2 2' },
    ]);
    chart('errors · leaderless', [
      { val: (p) => p.errors, color: C.vermillion, name: 'producer errors' },
      { val: (p) => p.leaderless, color: C.ink, name: 'leaderless', dash: '4 3' },
    ]);
    chart('leaderless time (s)', [{ val: (p) => p.leaderlessUs / 1_000_000, color: C.ink, name: 'all partitions' }]);
    // Divergence marker (what-if).
    if (this.divergenceUs !== undefined) {
      const dx = x(this.divergenceUs);
      svg.append('line').attr('x1', dx).attr('x2', dx).attr('y1', tickH).attr('y2', this.height).attr('stroke', C.vermillion).attr('stroke-width', 2).attr('stroke-dasharray', '6 3');
      const label = `A and B diverge at ${formatDuration(this.divergenceUs)}`;
      const right = dx > x.range()[1] - 200;
      const ly = tickH + axisH + 2;
      const lbl = svg.append('g').attr('data-testid', 'divergence-marker').attr('transform', `translate(${right ? dx - 6 : dx + 6},${ly})`);
      lbl.append('rect').attr('x', right ? -label.length * 7 - 8 : 0).attr('y', 0).attr('width', label.length * 7 + 8).attr('height', 16).attr('rx', 3).attr('fill', '#fff').attr('stroke', C.vermillion);
      lbl.append('text').attr('x', right ? -4 : 4).attr('y', 12).attr('text-anchor', right ? 'end' : 'start').style('font-size', '0.72rem').style('font-weight', 700).style('fill', C.vermillion).text(label);
    }
    // Playhead.
    this.playhead = svg.append('g').attr('class', 'playhead').attr('pointer-events', 'none');
    this.playhead.append('line').attr('y1', 0).attr('y2', this.height).attr('stroke', C.ink).attr('stroke-width', 2);
    this.playhead.append('path').attr('d', 'M-7,0h14l-7,9z').attr('fill', C.ink);
  }

  /** Marks for a selected lost record's story: one diamond per step on the axis. */
  setMarks(marks: { tUs: number; text: string }[]): void {
    const svg = d3.select(this.svg);
    svg.selectAll('g.story-marks').remove();
    if (!marks.length) return;
    const g = svg.insert('g', 'g.playhead').attr('class', 'story-marks');
    for (const m of marks) {
      const x = this.x(m.tUs);
      g.append('line').attr('x1', x).attr('x2', x).attr('y1', 0).attr('y2', this.height).attr('stroke', C.vermillion).attr('stroke-width', 1.5).attr('stroke-dasharray', '2 3');
      g.append('path').attr('d', `M${x},2l6,7l-6,7l-6,-7z`).attr('fill', C.vermillion).attr('stroke', '#fff')
        .attr('data-seek', m.tUs).attr('data-tip', `${formatDuration(m.tUs)}  ${m.text}`).style('cursor', 'pointer');
    }
  }

  setEnding(on: boolean): void {
    this.ending = on;
    if (this.lastT !== undefined) this.update(this.lastT);
  }

  private lastT: number | undefined;

  update(tUs: number): void {
    this.lastT = tUs;
    const px = this.x(tUs);
    this.playhead.attr('transform', `translate(${px.toFixed(1)},0)`);
    const right = this.x.range()[1] + 20;
    this.future.attr('width', Math.max(0, this.ending ? right : px + 1));
    this.svg.dataset.shownTo = this.ending ? 'end' : String(tUs);
    // a strip's name says a fault is coming: it shows from the strip's first fault on
    for (const el of this.svg.querySelectorAll<SVGTextElement>('text.strip-label[data-from]')) {
      const later = !this.ending && Number(el.dataset.from) > tUs;
      if (el.classList.contains('later') !== later) el.classList.toggle('later', later);
    }
  }
}

function fmtNum(n: number): string {
  return n >= 10_000 ? `${Math.round(n / 1000)}k` : n % 1 === 0 ? String(n) : n.toFixed(1);
}
