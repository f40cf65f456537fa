// "How often?" (h): the scenario on screen, run over many seeds in a small pool of workers while the
// player keeps playing. Draws how many acknowledged records each run lost (a histogram whose bars
// open the lowest seed of their bin in the player) and the share of runs that lost any, with its 95%
// Wilson interval; optionally two values of one config side by side, on the same seeds.

import * as d3 from 'd3';
import { formatInterval, formatShare, fmtInt, SeedResults, sharedHistograms, summarize, sweepSeeds, type BinCount, type RunOutcome, type SeriesSummary } from '../lib/how-often.ts';
import { WHAT_IF_KEYS } from '../lib/what-if.ts';
import { C } from '../views/palette.ts';
import { escapeHtml } from './run-panel.ts';
import { defaultWorkerCount, SweepPool, type SweepStats } from './sweep-pool.ts';

export const RUN_COUNTS = [30, 100, 200, 500, 1000, 2000] as const;
export const DEFAULT_RUNS = 200;

/** The scenario the panel would run now (the editor's text when it is valid, even before Run). */
export interface CurrentScenario {
  text: string;
  fileName: string;
  title: string;
  /** The seed of the run in the player. */
  seed: number;
  /** The scenario's own value of each what-if key (undefined when producers or topics disagree). */
  written(key: string): string | undefined;
}

export interface OpenRequest {
  text: string;
  fileName: string;
  seed: number;
  /** The what-if run to play beside it (a side with a config override), or null: leave the player's as it is. */
  whatIf: Record<string, string> | null;
}

export interface HowOftenHooks {
  current(): CurrentScenario | undefined;
  open(req: OpenRequest): void;
}

interface Side {
  label: string;
  overrides: Record<string, string> | undefined;
  results: SeedResults;
}

interface Job {
  text: string;
  fileName: string;
  title: string;
  seeds: number[];
  fromCurrent: boolean;
  key: string | undefined;
  sides: Side[];
  started: number;
  stats?: SweepStats;
  error?: string;
  cancelled?: boolean;
}

const SIDE_COLORS = [C.blue, C.purple];

export class HowOftenPanel {
  readonly pool = new SweepPool();
  /** Overrides navigator.hardwareConcurrency (tests: the same histogram with 1 worker or 4). */
  workerCount: number | undefined;
  private job: Job | undefined;
  /** Sweeps started so far (tests wait for theirs). */
  private started = 0;
  private drawTimer: number | undefined;
  private runs = DEFAULT_RUNS;
  private from: 'one' | 'current' = 'one';
  private key = '';
  private valueA = '';
  private valueB = '';

  constructor(
    readonly el: HTMLElement,
    private readonly hooks: HowOftenHooks,
  ) {
    el.innerHTML = `
      <div class="ho-head">
        <strong class="ho-title">How often?</strong>
        <label>runs <select data-testid="ho-runs">${RUN_COUNTS.map((n) => `<option value="${n}" ${n === DEFAULT_RUNS ? 'selected' : ''}>${n}</option>`).join('')}</select></label>
        <label>seeds <select data-testid="ho-from"></select></label>
        <label title="Run two values of one config on the same seeds, side by side">compare <select data-testid="ho-key"><option value="">nothing</option>${WHAT_IF_KEYS.map((k) => `<option value="${k.key}" title="${escapeHtml(k.doc)}">${k.key}</option>`).join('')}</select></label>
        <span class="ho-pair" hidden><select data-testid="ho-a"></select> vs <select data-testid="ho-b"></select></span>
        <button class="ho-run" data-testid="ho-run"></button>
        <button class="ho-cancel" data-testid="ho-cancel" hidden>Cancel</button>
        <button class="ho-close" data-testid="ho-close" title="Close (h); a sweep keeps running">✕</button>
      </div>
      <div class="ho-progress" data-testid="ho-progress" hidden><div class="ho-track"><div class="ho-fill"></div></div><span class="ho-progress-text" data-testid="ho-progress-text"></span></div>
      <div class="ho-what" data-testid="ho-what"></div>
      <div class="ho-body" hidden>
        <div class="ho-shares"></div>
        <div class="ho-chart"></div>
      </div>
      <div class="ho-foot" data-testid="ho-foot"></div>`;
    const sel = (id: string) => el.querySelector(`[data-testid="${id}"]`) as HTMLSelectElement;
    sel('ho-runs').addEventListener('change', () => {
      this.runs = Number(sel('ho-runs').value);
      this.refresh();
    });
    sel('ho-from').addEventListener('change', () => {
      this.from = sel('ho-from').value === 'current' ? 'current' : 'one';
      this.refresh();
    });
    sel('ho-key').addEventListener('change', () => {
      this.key = sel('ho-key').value;
      this.valueA = '';
      this.valueB = '';
      this.refresh();
    });
    sel('ho-a').addEventListener('change', () => {
      this.valueA = sel('ho-a').value;
      this.refresh();
    });
    sel('ho-b').addEventListener('change', () => {
      this.valueB = sel('ho-b').value;
      this.refresh();
    });
    for (const s of el.querySelectorAll('select')) s.addEventListener('keydown', (ev) => ev.stopPropagation());
    this.q('.ho-run').addEventListener('click', () => this.run());
    this.q('.ho-cancel').addEventListener('click', () => this.cancel());
    this.q('.ho-close').addEventListener('click', () => this.show(false));
    this.q('.ho-chart').addEventListener('click', (ev) => this.onBar(ev));
    this.q('.ho-chart').addEventListener('keydown', (ev) => {
      if ((ev.key === 'Enter' || ev.key === ' ') && (ev.target as Element).closest('[data-testid="ho-hit"]')) {
        ev.preventDefault();
        ev.stopPropagation();
        this.onBar(ev);
      }
    });
  }

  get open(): boolean {
    return !this.el.hidden;
  }

  get running(): boolean {
    return this.pool.running;
  }

  show(on = !this.open): void {
    this.el.hidden = !on;
    document.getElementById('howoften-toggle')?.setAttribute('aria-pressed', String(on));
    if (on) {
      this.refresh();
      this.draw();
      if (!this.pool.running) {
        this.pool.warm(this.workerCount ?? defaultWorkerCount());
        (this.q('.ho-run') as HTMLButtonElement).focus({ preventScroll: true });
      }
    }
  }

  private q(sel: string): HTMLElement {
    return this.el.querySelector(sel) as HTMLElement;
  }

  /** Controls that depend on the scenario on screen (its seed, its as-written values). */
  refresh(): void {
    if (!this.open) return;
    const cur = this.hooks.current();
    const n = this.runs;
    const from = this.el.querySelector('[data-testid="ho-from"]') as HTMLSelectElement;
    const s = cur?.seed ?? 1;
    from.innerHTML = `<option value="one">1–${fmtInt(n)}</option>` + (s !== 1 ? `<option value="current">${fmtInt(s)}–${fmtInt(s + n - 1)} (from this run's seed)</option>` : '');
    if (s === 1) this.from = 'one';
    from.value = this.from;
    const pair = this.q('.ho-pair');
    pair.hidden = !this.key;
    if (this.key) {
      const def = WHAT_IF_KEYS.find((k) => k.key === this.key)!;
      const written = cur?.written(this.key);
      if (!this.valueB) this.valueB = [...def.values].reverse().find((v) => v !== written) ?? def.values[0];
      const a = this.el.querySelector('[data-testid="ho-a"]') as HTMLSelectElement;
      const b = this.el.querySelector('[data-testid="ho-b"]') as HTMLSelectElement;
      a.innerHTML = `<option value="">as written${written !== undefined ? ` (${escapeHtml(written)})` : ''}</option>` + def.values.map((v) => `<option value="${escapeHtml(v)}">${escapeHtml(v)}</option>`).join('');
      a.value = this.valueA;
      b.innerHTML = def.values.map((v) => `<option value="${escapeHtml(v)}">${escapeHtml(v)}</option>`).join('');
      b.value = this.valueB;
    }
    const runBtn = this.q('.ho-run');
    runBtn.textContent = `Run ${fmtInt(n)} seeds${this.key ? ' × 2' : ''}`;
    runBtn.title = 'Run the scenario as it is now (with your edits) once per seed, in the background';
    this.drawWhat();
  }

  /** Start a sweep of the scenario as it is now. */
  run(): void {
    const cur = this.hooks.current();
    if (!cur) return;
    const seeds = sweepSeeds(this.runs, this.from === 'current' ? cur.seed : 1);
    const sides: Side[] = [];
    if (this.key) {
      const a = this.valueA ? { [this.key]: this.valueA } : undefined;
      const written = cur.written(this.key);
      sides.push({ label: this.valueA ? `${this.key}=${this.valueA}` : `as written${written !== undefined ? ` (${this.key}=${written})` : ''}`, overrides: a, results: new SeedResults(seeds) });
      sides.push({ label: `${this.key}=${this.valueB}`, overrides: { [this.key]: this.valueB }, results: new SeedResults(seeds) });
    } else {
      sides.push({ label: 'as written', overrides: undefined, results: new SeedResults(seeds) });
    }
    this.started++;
    const job: Job = { text: cur.text, fileName: cur.fileName, title: cur.title, seeds, fromCurrent: this.from === 'current', key: this.key || undefined, sides, started: performance.now() };
    this.job = job;
    this.setRunning(true);
    this.draw();
    this.pool.start(
      { setup: { text: cur.text, fileName: cur.fileName, sides: sides.map((s) => s.overrides) }, seeds },
      this.workerCount ?? defaultWorkerCount(),
      {
        result: (side, outcome) => {
          job.sides[side].results.set(outcome);
          this.scheduleDraw();
        },
        done: (stats) => {
          job.stats = stats;
          this.setRunning(false);
          this.draw();
        },
        failed: (message, errors) => {
          job.error = errors.length ? `${message}: ${errors[0]}` : message;
          this.setRunning(false);
          this.draw();
        },
      },
    );
  }

  cancel(): void {
    if (!this.pool.running) return;
    this.pool.cancel();
    if (this.job) this.job.cancelled = true;
    this.setRunning(false);
    this.draw();
  }

  private setRunning(on: boolean): void {
    this.el.dataset.state = on ? 'running' : this.job?.error ? 'error' : this.job?.cancelled ? 'cancelled' : this.job ? 'done' : 'idle';
    this.q('.ho-cancel').hidden = !on;
    (this.q('.ho-run') as HTMLButtonElement).disabled = on;
    if (!on) window.clearTimeout(this.drawTimer), (this.drawTimer = undefined);
  }

  private scheduleDraw(): void {
    if (this.drawTimer !== undefined) return;
    this.drawTimer = window.setTimeout(() => {
      this.drawTimer = undefined;
      this.draw();
    }, 200);
  }

  // ---------------------------------------------------------------------------------------------
  // Drawing.

  /** Redraw everything (also on resize and on presentation mode). */
  draw(): void {
    this.drawWhat();
    this.drawProgress();
    const job = this.job;
    const body = this.q('.ho-body');
    const series = job?.sides.map((s) => s.results.ordered()) ?? [];
    const any = series.some((s) => s.length > 0);
    body.hidden = !any || !this.open;
    if (!job || !any || !this.open) return this.drawFoot(undefined);
    const summaries = series.map(summarize);
    this.drawShares(job, summaries);
    this.drawChart(job, series);
    this.drawFoot(summaries);
  }

  private drawWhat(): void {
    const what = this.q('.ho-what');
    const job = this.job;
    if (!job) {
      const cur = this.hooks.current();
      const n = this.runs;
      const first = this.from === 'current' && cur ? cur.seed : 1;
      what.innerHTML = cur
        ? `Runs <b>${escapeHtml(cur.title)}</b> (the text as it is now, edits included) once for each of the seeds ${fmtInt(first)}–${fmtInt(first + n - 1)}, and counts the acknowledged records each run lost. The player keeps playing meanwhile.`
        : 'Load a valid scenario first.';
      return;
    }
    const a = job.seeds[0];
    const b = job.seeds[job.seeds.length - 1];
    const stale = this.hooks.current()?.text !== job.text;
    what.innerHTML =
      `<b>${escapeHtml(job.title)}</b>: ${fmtInt(job.seeds.length)} runs${job.sides.length > 1 ? ' per side' : ''}, seeds ${fmtInt(a)}–${fmtInt(b)}${job.fromCurrent ? " (from the player's seed)" : ''}. ` +
      `<span class="ho-def">Lost: acknowledged, and not in the final leader's log.</span> ` +
      (stale ? '<span class="ho-stale">The scenario has changed since: a bar opens the text these runs used.</span> ' : '') +
      '<span class="ho-hint">Click a bar to play the lowest seed of that bar.</span>';
  }

  private drawProgress(): void {
    const job = this.job;
    const box = this.q('.ho-progress');
    box.hidden = !job;
    if (!job) return;
    const total = job.seeds.length * job.sides.length;
    const done = job.sides.reduce((s, x) => s + x.results.count, 0);
    (this.q('.ho-fill') as HTMLElement).style.width = `${(100 * done) / Math.max(1, total)}%`;
    box.classList.toggle('finished', done === total);
    const secs = (performance.now() - job.started) / 1000;
    const text = this.q('.ho-progress-text');
    if (job.error) text.textContent = `✕ ${job.error}`;
    else if (job.stats) {
      const st = job.stats;
      text.textContent = `${fmtInt(st.runs)} runs in ${(st.wallMs / 1000).toFixed(1)} s on ${st.workers} worker${st.workers > 1 ? 's' : ''}: ${Math.round(st.runs / Math.max(0.001, st.wallMs / 1000))} runs/s`;
      text.dataset.runsPerSecond = String(st.runs / Math.max(0.001, st.wallMs / 1000));
    } else if (job.cancelled) text.textContent = `cancelled after ${fmtInt(done)} of ${fmtInt(total)} runs`;
    else text.textContent = `${fmtInt(done)} / ${fmtInt(total)} runs${secs > 0.5 ? ` · ${Math.round(done / secs)} runs/s` : ''}`;
    text.classList.toggle('error', job.error !== undefined);
    box.dataset.done = String(done);
    box.dataset.total = String(total);
  }

  private drawShares(job: Job, summaries: SeriesSummary[]): void {
    const host = this.q('.ho-shares');
    host.innerHTML = '';
    const pair = job.sides.length > 1;
    host.classList.toggle('pair', pair);
    summaries.forEach((s, i) => {
      const side = job.sides[i];
      const card = document.createElement('div');
      card.className = 'ho-share';
      card.dataset.testid = 'ho-share';
      card.dataset.side = String(i);
      card.dataset.k = String(s.withLoss);
      card.dataset.n = String(s.n);
      if (pair) card.style.borderLeftColor = SIDE_COLORS[i];
      const iv = s.interval;
      const tip = `95% Wilson interval for ${s.withLoss} of ${s.n} runs (z = 1.96): center ${formatShare(iv.center, 1000)} ± ${(iv.halfWidth * 100).toFixed(1)} points`;
      card.innerHTML =
        (pair ? `<div class="ho-side"><span class="ho-swatch" style="background:${SIDE_COLORS[i]}"></span>${escapeHtml(side.label)}</div>` : '') +
        `<div class="ho-main"><div class="ho-big" data-testid="ho-share-value">${formatShare(s.share, s.n)}</div>` +
        `<div class="ho-sub"><span class="ho-k">${fmtInt(s.withLoss)} of ${fmtInt(s.n)} runs</span> lost acknowledged records</div></div>` +
        `<div class="ho-ci" data-testid="ho-ci" data-tip="${escapeHtml(tip)}">95% interval ${formatInterval(iv)}</div>`;
      host.appendChild(card);
      this.drawIntervalStrip(card, s, pair ? SIDE_COLORS[i] : C.vermillion);
    });
  }

  /** 0–100% with the interval as a band and k/n as a tick: two sides compare at a glance. */
  private drawIntervalStrip(card: HTMLElement, s: SeriesSummary, color: string): void {
    const rem = remPx();
    const w = Math.max(120, card.clientWidth - rem);
    const h = Math.round(1.7 * rem);
    const svg = d3.select(card).append('svg').attr('class', 'ho-strip').attr('viewBox', `0 0 ${w} ${h}`).attr('width', w).attr('height', h);
    const x = d3.scaleLinear().domain([0, 1]).range([4, w - 4]);
    const y = Math.round(0.55 * rem);
    svg.append('line').attr('x1', x(0)).attr('x2', x(1)).attr('y1', y).attr('y2', y).attr('stroke', C.rule).attr('stroke-width', 2);
    for (const t of [0, 0.5, 1]) {
      svg.append('line').attr('x1', x(t)).attr('x2', x(t)).attr('y1', y - 4).attr('y2', y + 4).attr('stroke', C.ink3);
      svg.append('text').attr('class', 'chart-label').attr('x', x(t)).attr('y', h - 1).attr('text-anchor', t === 0 ? 'start' : t === 1 ? 'end' : 'middle').text(`${t * 100}%`);
    }
    svg.append('rect').attr('x', x(s.interval.lo)).attr('y', y - 5).attr('width', Math.max(2, x(s.interval.hi) - x(s.interval.lo))).attr('height', 10).attr('fill', color).attr('opacity', 0.35);
    svg.append('rect').attr('x', x(s.share) - 1.5).attr('y', y - 7).attr('width', 3).attr('height', 14).attr('fill', color);
  }

  private drawChart(job: Job, series: RunOutcome[][]): void {
    const host = this.q('.ho-chart');
    host.innerHTML = '';
    const { counts } = sharedHistograms(series);
    const rem = remPx();
    const width = Math.max(260, host.clientWidth || 600);
    const shares = this.q('.ho-shares');
    const beside = shares.offsetTop === host.offsetTop; // not wrapped below the cards
    const height = Math.round(Math.max(12 * rem, beside ? shares.offsetHeight : 0));
    const m = { left: Math.round(2.6 * rem), right: Math.round(0.4 * rem), top: Math.round(1.9 * rem), bottom: Math.round(3.3 * rem) };
    const pair = series.length > 1;
    const svg = d3.select(host).append('svg').attr('class', 'ho-svg').attr('data-testid', 'ho-chart').attr('viewBox', `0 0 ${width} ${height}`).attr('width', width).attr('height', height);
    const labels = counts[0].map((b) => b.label);
    const x = d3.scaleBand<string>().domain(labels).range([m.left, width - m.right]).paddingInner(0.18).paddingOuter(0.08);
    const inner = d3.scaleBand<number>().domain(series.map((_, i) => i)).range([0, x.bandwidth()]).padding(pair ? 0.06 : 0);
    const maxCount = Math.max(1, ...counts.flatMap((c) => c.map((b) => b.count)));
    const y = d3.scaleLinear().domain([0, maxCount]).nice().range([height - m.bottom, m.top]);
    // y axis: runs
    const yAxis = svg.append('g').attr('class', 'axis').attr('transform', `translate(${m.left - 4},0)`);
    yAxis.call(d3.axisLeft(y).ticks(4).tickFormat((d) => fmtInt(Number(d))).tickSizeOuter(0) as never);
    svg.append('text').attr('class', 'ho-axis-title').attr('x', 2).attr('y', Math.round(0.8 * rem)).text('runs');
    // grid lines
    for (const t of y.ticks(4)) if (t > 0) svg.append('line').attr('x1', m.left).attr('x2', width - m.right).attr('y1', y(t)).attr('y2', y(t)).attr('stroke', C.paper2);
    svg.append('line').attr('x1', m.left).attr('x2', width - m.right).attr('y1', y(0)).attr('y2', y(0)).attr('stroke', C.ink3);
    // bars, their counts, and a full-height target to click
    const bars = svg.append('g');
    const hits = svg.append('g');
    const labelPx = 0.8 * rem;
    counts.forEach((bins, si) => {
      bins.forEach((b: BinCount, bi) => {
        const bx = x(b.label)! + inner(si)!;
        const bw = inner.bandwidth();
        const fill = pair ? SIDE_COLORS[si] : b.lo === 0 ? C.green : C.vermillion;
        const top = b.count > 0 ? Math.min(y(b.count), y(0) - 2) : y(0);
        bars.append('rect').attr('class', 'ho-bar').attr('data-testid', 'ho-bar').attr('data-side', si).attr('data-bin', bi).attr('data-label', b.label).attr('data-count', b.count)
          .attr('x', bx).attr('y', top).attr('width', bw).attr('height', y(0) - top).attr('fill', fill);
        if (b.count > 0 && bw >= labelPx * 1.1 * String(b.count).length * 0.6) {
          bars.append('text').attr('class', 'ho-count').attr('x', bx + bw / 2).attr('y', top - 4).attr('text-anchor', 'middle').text(fmtInt(b.count));
        }
        if (b.count > 0 && b.lowestSeed !== undefined) {
          const side = job.sides[si];
          const what = b.lo === 0 ? 'lost no acknowledged record' : `lost ${b.label} acknowledged record${b.hi === 1 ? '' : 's'}`;
          hits.append('rect').attr('class', 'ho-hit').attr('data-testid', 'ho-hit').attr('data-side', si).attr('data-bin', bi).attr('data-seed', b.lowestSeed).attr('data-count', b.count)
            .attr('tabindex', 0).attr('role', 'button')
            .attr('aria-label', `${b.count} runs ${what}; open seed ${b.lowestSeed}`)
            .attr('data-tip', `${fmtInt(b.count)} run${b.count > 1 ? 's' : ''}${pair ? ` with ${side.label}` : ''} ${what}.\nClick to play seed ${b.lowestSeed}, the lowest of them.`)
            .attr('x', bx).attr('y', m.top - 4).attr('width', bw).attr('height', y(0) - m.top + 4).attr('fill', 'transparent');
        }
      });
    });
    // x labels: the bin's range, on two lines when any is too wide for its step
    const xl = counts[0].map((b) => svg.append('text').attr('class', 'ho-xlabel').attr('x', x(b.label)! + x.bandwidth() / 2).attr('y', y(0) + 1.05 * rem).attr('text-anchor', 'middle').text(b.label));
    const widest = Math.max(...xl.map((t) => (t.node() as SVGTextElement).getComputedTextLength()));
    if (widest > x.step() - 0.5 * rem) {
      counts[0].forEach((b, i) => {
        if (!b.label.includes('–')) return;
        const cx = x(b.label)! + x.bandwidth() / 2;
        const [lo, hi] = b.label.split('–');
        xl[i].text(null);
        xl[i].append('tspan').attr('x', cx).text(`${lo}–`);
        xl[i].append('tspan').attr('x', cx).attr('dy', '1.05em').text(hi);
      });
    }
    svg.append('text').attr('class', 'ho-axis-title').attr('x', (m.left + width - m.right) / 2).attr('y', height - 0.25 * rem).attr('text-anchor', 'middle').text('acknowledged records lost in a run');
    // legend for a pair
    if (pair) {
      let lx = m.left + 4;
      job.sides.forEach((s, i) => {
        const g = svg.append('g').attr('transform', `translate(${lx},${Math.round(0.35 * rem)})`);
        g.append('rect').attr('width', 0.8 * rem).attr('height', 0.8 * rem).attr('fill', SIDE_COLORS[i]);
        const text = g.append('text').attr('class', 'ho-legend').attr('x', 1.1 * rem).attr('y', 0.7 * rem).text(s.label);
        lx += 1.1 * rem + (text.node() as SVGTextElement).getComputedTextLength() + 1.2 * rem;
      });
    }
  }

  private drawFoot(summaries: SeriesSummary[] | undefined): void {
    const foot = this.q('.ho-foot');
    const job = this.job;
    if (!job || !summaries) {
      foot.textContent = '';
      return;
    }
    foot.innerHTML = summaries
      .map((s, i) => {
        const who = job.sides.length > 1 ? `<b style="color:${SIDE_COLORS[i]}">${escapeHtml(job.sides[i].label)}</b>: ` : '';
        const parts = [
          `the scenario's expectations held in ${fmtInt(s.passed)} of ${fmtInt(s.n)}`,
          `duplicates in ${fmtInt(s.withDuplicates)}`,
          `acked records without a leader at the end in ${fmtInt(s.withUnavailable)}`,
          `most lost in one run: ${fmtInt(s.maxLost)}`,
        ];
        if (s.errors) parts.push(`<span class="error">${fmtInt(s.errors)} could not finish (event limit) and are left out</span>`);
        return `<div>${who}${parts.join(' · ')}</div>`;
      })
      .join('');
  }

  private onBar(ev: Event): void {
    const hit = (ev.target as Element).closest('[data-testid="ho-hit"]');
    const job = this.job;
    if (!hit || !job) return;
    const side = job.sides[Number(hit.getAttribute('data-side'))];
    const seed = Number(hit.getAttribute('data-seed'));
    if (!side || !Number.isInteger(seed)) return;
    this.hooks.open({ text: job.text, fileName: job.fileName, seed, whatIf: side.overrides ?? null });
  }

  /** For tests: what the panel holds, in seed order. */
  probe() {
    const job = this.job;
    return {
      state: this.el.dataset.state ?? 'idle',
      started: this.started,
      seeds: job?.seeds ?? [],
      sides: job?.sides.map((s) => ({ label: s.label, overrides: s.overrides, outcomes: s.results.ordered() })) ?? [],
      stats: job?.stats,
    };
  }
}

function remPx(): number {
  return parseFloat(getComputedStyle(document.documentElement).fontSize) || 15;
}
