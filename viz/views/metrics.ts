// The metrics panel under the timeline: a sparkline per metric the model's metrics part recorded
// (sim/kafka/metrics.ts; the values come with the run, never from the page), grouped as Kafka groups
// them (broker, controller, producer, consumer), under Kafka's names and units, with the value at the
// playhead, the usual alert marked (its level, and red while it fires) and the playhead through every
// sparkline. No spoilers: each sparkline is drawn up to the playhead only, unless "show the ending".
// A mark on a jump seeks to the event that caused it. In presentation mode the panel shows only the
// metrics the lesson is about (those whose alert fires, and its expectations'), in a lesson about
// metrics only, and opens on demand.

import * as d3 from 'd3';
import type { MetricsResult } from '../../sim/kafka/metrics-port.ts';
import { describeEvent, type VizEvent } from '../lib/events.ts';
import {
  firingSpans, formatMetric, GROUP_TITLES, jumpsOf, lessonRows, metricRows, valueAt, type MetricGroup, type MetricRow,
} from '../lib/metrics.ts';
import { formatDuration } from '../lib/time.ts';
import { C } from './palette.ts';

const SVG_NS = 'http://www.w3.org/2000/svg';

export interface MetricsRun {
  /** "" for a single run; "A" / "B" side by side. */
  label: string;
  metrics?: MetricsResult;
  /** Why there are none (or undefined while they are being recorded). */
  missing?: string;
  /** The run's notable events, in time order: the causes of the jumps. */
  notable: VizEvent[];
  lessonMetrics: readonly string[];
}

interface Cell {
  row: MetricRow;
  el: HTMLElement;
  values: HTMLElement;
  svg?: SVGSVGElement;
  x?: d3.ScaleLinear<number, number>;
  clip?: SVGRectElement;
  playhead?: SVGLineElement;
  width: number;
  lastText: string;
}

const RUN_COLORS = [C.blue, C.purple];

export class MetricsPanel {
  private cells: Cell[] = [];
  private ending = false;
  private lastT = 0;
  /** The viewer's choice; undefined: the mode's default (all in normal mode, the lesson's in presentation). */
  private expanded: boolean | undefined;
  private mode = '';
  /** The panel's own element in the host (a new run gets a new one, and the old one's listeners go with it). */
  private readonly root: HTMLElement;

  /** Presentation mode with no metric to show for the lesson: a small button in the timeline's empty corner opens the panel. */
  private readonly corner: HTMLButtonElement;

  constructor(
    private readonly host: HTMLElement,
    private runs: MetricsRun[],
    private readonly durationUs: number,
    private readonly onSeek: (tUs: number) => void,
    cornerHost?: HTMLElement,
  ) {
    this.corner = document.createElement('button');
    this.corner.className = 'mp-corner';
    this.corner.dataset.testid = 'metrics-open';
    this.corner.title = 'Show Kafka\'s metrics, as the model recorded them';
    this.corner.hidden = true;
    this.corner.addEventListener('click', () => this.toggle(true));
    cornerHost?.appendChild(this.corner);
    host.innerHTML = '';
    this.root = host.appendChild(document.createElement('div'));
    this.root.className = 'mp-root';
    this.root.addEventListener('pointerdown', (ev) => {
      const target = ev.target as Element;
      const mark = target.closest('[data-seek]');
      if (mark) {
        this.onSeek(Number(mark.getAttribute('data-seek')));
        return;
      }
      const svg = target.closest('svg.mp-spark') as SVGSVGElement | null;
      const cell = svg ? this.cells.find((c) => c.svg === svg) : undefined;
      if (!svg || !cell?.x) return;
      const r = svg.getBoundingClientRect();
      this.onSeek(Math.round(Math.max(0, Math.min(this.durationUs, cell.x.invert(ev.clientX - r.left)))));
    });
    this.build();
  }

  /** A run's metrics arrived (a trace file's re-run), or why they will not. */
  setMetrics(run: number, metrics: MetricsResult | undefined, missing: string | undefined): void {
    const r = this.runs[run];
    if (!r) return;
    this.runs[run] = { ...r, metrics, missing: metrics ? undefined : missing ?? 'not recorded' };
    this.build();
  }

  setEnding(on: boolean): void {
    this.ending = on;
    this.update(this.lastT, true);
  }

  build(): void {
    const present = document.documentElement.classList.contains('present');
    const mode = present ? 'present' : 'normal';
    if (mode !== this.mode) {
      this.mode = mode;
      this.expanded = undefined;
    }
    const host = this.root;
    host.innerHTML = '';
    this.cells = [];
    const { rows, hidden } = metricRows(this.runs.map((r) => r.metrics));
    const endUs = Math.max(0, ...this.runs.map((r) => r.metrics?.endUs ?? 0));
    const expanded = this.expanded ?? !present;
    // presentation mode, collapsed: the lesson's few on one line, each a small sparkline and its value
    const compact = present && !expanded;
    const lesson = lessonRows(rows, this.runs[0]?.lessonMetrics ?? [], endUs, compact ? 3 : 4);
    host.classList.toggle('compact', compact);
    this.host.dataset.expanded = String(expanded);
    this.host.classList.toggle('expanded', expanded && present);
    const shown = expanded ? rows : lesson;
    // Presentation mode gives the panel a line of its own only in a lesson about metrics: one whose
    // expectations name some, or where acks=all was refused (UnderMinIsrPartitionCount fired). Elsewhere
    // the cluster needs the room (at 1280x720 the unclean-election lesson's cluster fell under a quarter
    // of the screen), and the corner button opens the panel.
    const aboutMetrics = (this.runs[0]?.lessonMetrics ?? []).length > 0 || lesson.some((r) => r.name === 'UnderMinIsrPartitionCount');
    const hide = compact && (lesson.length === 0 || !aboutMetrics);
    this.host.classList.toggle('mp-hidden', hide);
    this.corner.hidden = !hide;
    this.corner.textContent = rows.length ? `Kafka's metrics (${rows.length}) ▾` : 'Kafka\'s metrics ▾';
    const head = document.createElement('div');
    head.className = 'mp-head';
    const interval = this.runs.find((r) => r.metrics)?.metrics?.intervalUs;
    head.innerHTML = `<strong>${compact ? 'Metrics' : 'Kafka\'s metrics'}</strong><span class="mp-what">${interval === undefined ? '' : `as the model recorded them, every ${formatDuration(interval)} and at every change of a gauge · the usual alerts marked, red while they fire · a ▼ seeks to the event behind a jump`}</span>`;
    if (rows.length > 0 && (rows.length > lesson.length || !expanded)) {
      const b = document.createElement('button');
      b.className = 'mp-toggle';
      b.dataset.testid = 'metrics-toggle';
      b.setAttribute('aria-expanded', String(expanded));
      b.textContent = expanded ? (lesson.length ? `only the lesson's ${lesson.length} ▴` : 'hide ▴') : lesson.length ? `all ${rows.length} ▾` : `all ${rows.length} metrics ▾`;
      b.title = expanded ? 'Show only the metrics this scenario is about' : 'Show every metric the model recorded';
      b.addEventListener('click', () => this.toggle(!expanded));
      head.appendChild(b);
    }
    host.appendChild(head);
    for (const [i, r] of this.runs.entries()) {
      if (r.metrics) continue;
      const note = document.createElement('p');
      note.className = 'mp-missing';
      note.dataset.testid = 'metrics-missing';
      const who = this.runs.length > 1 ? `Run ${r.label || i + 1}: ` : '';
      note.textContent = who + (r.missing === undefined ? 'recording them: running the scenario in the file\'s header again with the metrics part…' : `Kafka's metrics are ${r.missing.startsWith('not ') ? '' : 'missing: '}${r.missing}.`);
      host.appendChild(note);
    }
    const groups = new Map<MetricGroup, MetricRow[]>();
    for (const row of shown) (groups.get(row.group) ?? groups.set(row.group, []).get(row.group)!).push(row);
    const single = !expanded; // the lesson's few: one grid, no group headings
    let grid: HTMLElement | undefined;
    for (const [g, list] of groups) {
      if (!single || grid === undefined) {
        const sec = document.createElement('section');
        sec.className = 'mp-group';
        sec.dataset.group = g;
        if (!single) {
          const h = document.createElement('h3');
          h.textContent = GROUP_TITLES[g];
          sec.appendChild(h);
        }
        grid = document.createElement('div');
        grid.className = 'mp-grid';
        sec.appendChild(grid);
        host.appendChild(sec);
      }
      for (const row of list) grid.appendChild(this.cell(row));
      const more = hidden.get(list[list.length - 1]?.name ?? '');
      if (expanded && more && list.some((r) => r.labelText !== undefined)) {
        const m = document.createElement('div');
        m.className = 'mp-more';
        m.textContent = `+ ${more} more consumer-group-lag series (the partitions with the smallest peaks): kafkasim run FILE --metrics out.csv has every one`;
        grid.appendChild(m);
      }
    }
    // sparklines sized to their cells, measured once the grid is laid out
    const rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 15;
    for (const c of this.cells) this.draw(c, rem, endUs);
    this.update(this.lastT, true);
  }

  private toggle(expanded: boolean): void {
    this.expanded = expanded;
    this.build();
    window.dispatchEvent(new Event('resize')); // presentation mode fits the page again
  }

  private cell(row: MetricRow): HTMLElement {
    const el = document.createElement('div');
    el.className = 'mp-cell';
    el.dataset.metric = row.name;
    el.dataset.key = row.key;
    el.dataset.testid = 'metric';
    el.dataset.firing = 'false';
    const d = row.def;
    el.innerHTML = `<div class="mp-label"><span class="mp-name mono"></span><span class="mp-labels"></span>${row.alert ? `<span class="mp-alert" title="The usual alert on this metric: ${row.alert.text}"><span class="mp-alert-word">alert </span>${row.alert.text}</span>` : ''}<span class="mp-values mono"></span></div>`;
    const name = el.querySelector('.mp-name') as HTMLElement;
    name.textContent = row.name;
    name.dataset.tip = `${row.key} (${d.unit})\n${d.doc}\n${d.source}`;
    if (row.labelText !== undefined) el.dataset.labelled = 'true';
    (el.querySelector('.mp-labels') as HTMLElement).textContent = row.labelText ?? '';
    const values = el.querySelector('.mp-values') as HTMLElement;
    const svg = document.createElementNS(SVG_NS, 'svg');
    svg.classList.add('mp-spark');
    el.appendChild(svg);
    this.cells.push({ row, el, values, svg, width: 0, lastText: '' });
    return el;
  }

  private draw(c: Cell, rem: number, endUs: number): void {
    const svg = c.svg!;
    const width = Math.max(60, svg.clientWidth || 200);
    const height = Math.round((this.root.classList.contains('compact') ? 1.7 : 2.1) * rem);
    c.width = width;
    svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    svg.setAttribute('height', String(height));
    const x = d3.scaleLinear().domain([0, this.durationUs]).range([1, width - 1]);
    c.x = x;
    const row = c.row;
    const all = row.series.flatMap((s) => (s ? s.v.filter((v) => !Number.isNaN(v)) : []));
    const lo = Math.min(0, ...all);
    let hi = Math.max(1, ...all);
    if (row.alert && row.alert.level > hi && row.alert.level <= 3 * hi) hi = row.alert.level;
    const y = d3.scaleLinear().domain([lo, hi]).range([height - 2, 5]);
    const s = d3.select(svg);
    const clipId = `mp-${Math.random().toString(36).slice(2, 9)}`;
    c.clip = s.append('clipPath').attr('id', clipId).append('rect').attr('x', 0).attr('y', 0).attr('height', height).attr('width', width).node()!;
    s.append('rect').attr('class', 'mp-bg').attr('x', 0).attr('y', 0).attr('width', width).attr('height', height).attr('fill', C.paper2);
    const past = s.append('g').attr('clip-path', `url(#${clipId})`);
    // the alert: its level, and red where it fires
    if (row.alert && row.alert.level <= hi) {
      s.append('line').attr('class', 'mp-threshold').attr('x1', 0).attr('x2', width).attr('y1', y(row.alert.level)).attr('y2', y(row.alert.level))
        .attr('stroke', C.vermillion).attr('stroke-width', 1).attr('stroke-dasharray', '3 3').attr('opacity', 0.7)
        .attr('data-tip', `the usual alert: ${row.name} ${row.alert.text}`);
    }
    row.series.forEach((ser, ri) => {
      if (!ser) return;
      const end = this.runs[ri]?.metrics?.endUs ?? endUs;
      if (row.alert) {
        for (const f of firingSpans(ser, row.alert, end)) {
          past.append('rect').attr('class', 'mp-firing').attr('x', x(f.fromUs)).attr('y', 0).attr('width', Math.max(1.5, x(f.toUs) - x(f.fromUs))).attr('height', height)
            .attr('fill', C.vermillion).attr('opacity', 0.16)
            .attr('data-tip', `${row.name} ${row.alert.text}: the alert fires ${formatDuration(f.fromUs)}–${formatDuration(f.toUs)} (${formatDuration(f.toUs - f.fromUs)})`);
        }
      }
      const pts = ser.t.map((t, i) => [t, ser.v[i]] as const);
      // a gauge holds its value until the next sample; a rate or latency covers the interval ending at its sample
      const curve = row.def.kind === 'gauge' ? d3.curveStepAfter : d3.curveStepBefore;
      const line = d3.line<readonly [number, number]>().defined((p) => !Number.isNaN(p[1])).x((p) => x(p[0])).y((p) => y(p[1])).curve(curve);
      past.append('path').attr('class', 'mp-line').attr('d', line(pts) ?? '').attr('fill', 'none').attr('stroke', RUN_COLORS[ri] ?? C.ink)
        .attr('stroke-width', 1.6).attr('stroke-dasharray', ri === 1 ? '4 2' : null);
      const notable = this.runs[ri]?.notable ?? [];
      for (const j of jumpsOf(ser, row.def, notable)) {
        const jx = x(j.tUs);
        const who = this.runs.length > 1 ? `run ${this.runs[ri].label}: ` : '';
        past.append('path').attr('class', 'mp-jump').attr('d', `M${jx - 4.5},0h9l-4.5,6.5z`).attr('fill', ri === 1 ? C.purple : C.vermillion)
          .attr('data-seek', j.seekUs).attr('data-at', j.tUs).attr('data-testid', 'metric-jump')
          .attr('data-tip', `${formatDuration(j.tUs)}  ${who}${row.name} ${formatMetric(j.from)} → ${formatMetric(j.to)}${j.cause ? `\ncaused by (${formatDuration(j.cause.tUs)}): ${describeEvent(j.cause)}\nclick: go there` : ''}`)
          .style('cursor', 'pointer');
      }
    });
    c.playhead = s.append('line').attr('class', 'mp-playhead').attr('y1', 0).attr('y2', height).attr('stroke', C.ink).attr('stroke-width', 1.5).attr('pointer-events', 'none').node()!;
  }

  /** The playhead at t: the sparklines drawn up to it (or whole, "show the ending"), the values at t. */
  update(tUs: number, text = true): void {
    this.lastT = tUs;
    this.host.dataset.shownTo = this.ending ? 'end' : String(tUs);
    for (const c of this.cells) {
      if (c.x && c.playhead && c.clip) {
        const px = c.x(tUs);
        c.playhead.setAttribute('x1', px.toFixed(1));
        c.playhead.setAttribute('x2', px.toFixed(1));
        c.clip.setAttribute('width', String(this.ending ? c.width : Math.max(0, px + 0.5)));
      }
      if (!text) continue;
      const vals = c.row.series.map((s) => (s ? valueAt(s, tUs) : NaN));
      const firing = c.row.alert !== undefined && vals.some((v) => !Number.isNaN(v) && c.row.alert!.fires(v));
      const unit = c.row.def.unit;
      const shownText = this.runs.length > 1 ? vals.map((v, i) => `${this.runs[i].label} ${formatMetric(v)}`).join(' · ') : formatMetric(vals[0]);
      if (shownText !== c.lastText) {
        c.lastText = shownText;
        c.values.textContent = shownText;
        c.values.appendChild(Object.assign(document.createElement('span'), { className: 'mp-unit', textContent: ` ${unit}` }));
        c.el.dataset.value = String(vals[0]);
        if (vals.length > 1) c.el.dataset.valueB = String(vals[1]);
      }
      if (c.el.classList.contains('firing') !== firing) {
        c.el.classList.toggle('firing', firing);
        c.el.dataset.firing = String(firing);
      }
    }
  }
}
