// The side panel: the ledger made visible (counts, the lost records, a lost record's story), what
// each producer believes beside the truth (stale beliefs hatched and flagged), consumer groups with
// positions, committed offsets and lag, and the event log around the playhead.

import { countUntil } from '../lib/processing.ts';
import type { LostRecord, RunData } from '../lib/run-data.ts';
import type { VizEvent } from '../lib/events.ts';
import { isLogged, logLine } from './prose.ts';
import { partitionHw, staleBeliefs, type ViewState } from '../lib/view-state.ts';
import { formatSeconds } from '../lib/time.ts';
import { notableClass } from './timeline.ts';
import type { LostIndex } from './partitions.ts';

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

function card(host: HTMLElement, title: string, testid: string): HTMLElement {
  const el = document.createElement('section');
  el.className = 'card';
  el.dataset.testid = testid;
  el.innerHTML = `<h2>${esc(title)}</h2><div class="content"></div>`;
  host.appendChild(el);
  return el.querySelector('.content') as HTMLElement;
}

function setHtml(el: HTMLElement, html: string): void {
  if ((el as HTMLElement & { _last?: string })._last !== html) {
    el.innerHTML = html;
    (el as HTMLElement & { _last?: string })._last = html;
  }
}

export class LedgerCard {
  private readonly el: HTMLElement;
  /** The card itself, to remove it with its run. */
  readonly root: HTMLElement;
  constructor(
    host: HTMLElement,
    private readonly run: RunData,
    private readonly lost: LostIndex,
    private readonly onPick: (r: LostRecord | undefined) => void,
    private readonly onSeek: (tUs: number) => void,
    private readonly onEnding: () => void,
    title = 'Ledger',
  ) {
    this.el = card(host, title, 'ledger');
    this.root = this.el.parentElement as HTMLElement;
    this.el.addEventListener('click', (ev) => {
      if ((ev.target as Element).closest('[data-act="ending"]')) {
        this.onEnding();
        return;
      }
      const li = (ev.target as Element).closest('[data-lost-index]');
      if (li) {
        this.onPick(this.run.lost[Number(li.getAttribute('data-lost-index'))]);
        return;
      }
      const step = (ev.target as Element).closest('[data-seek]');
      if (step) this.onSeek(Number(step.getAttribute('data-seek')));
    });
  }

  /**
   * As of the playhead, nothing later (issue 13, point 4): the acked and lost counts, and the lost
   * records, each from its lostAt on. "Show the ending" (the presenter's explicit choice) shows the
   * run's final counts and every record it loses.
   */
  update(s: ViewState, tUs: number, selected?: LostRecord): void {
    const ending = this.lost.ending;
    const l = ending ? this.run.final : s.counts.ledger;
    const acked = ending ? this.run.final.acked : s.counts.acked;
    const visible = this.lost.lostAt(tUs);
    const lostNow = ending ? Math.max(this.run.final.lost, visible.length) : (l?.lost ?? visible.length);
    const failed = ending ? undefined : s.counts.failed;
    let html =
      `<div class="ledger-counts${ending ? ' ending' : ''}">` +
      `<div><div class="n" data-testid="acked-count">${acked}</div><div class="k">acked</div></div>` +
      `<div class="lost ${lostNow === 0 ? 'zero' : ''}"><div class="n" data-testid="lost-count">${lostNow}</div><div class="k">${lostNow ? '✕ ' : ''}lost</div></div>` +
      `<div><div class="n" data-testid="unavailable-count">${l?.unavailable ?? '—'}</div><div class="k">unavailable</div></div>` +
      `<div><div class="n" data-testid="failed-count">${failed ?? '—'}</div><div class="k">failed sends</div></div>` +
      `</div>`;
    // consumers that take time: what each group processed twice (at least once) or skipped (at most once)
    for (const g of this.run.processing) {
      const dup = ending ? g.duplicateTimes.length : countUntil(g.duplicateTimes, tUs);
      const skip = ending ? g.skipTimes.length : countUntil(g.skipTimes, tUs);
      html += `<div class="processing-row" data-testid="processing-${esc(g.group)}" data-duplicates="${dup}" data-skipped="${skip}" title="group ${esc(g.group)}: records its applications processed more than once (a crash or a rebalance before the commit), and records its committed offset passed that none of them processed">`
        + `<b>${esc(g.group)}</b> <span class="${dup ? 'dup' : 'k'}">↻ ${dup} processed twice</span> · <span class="${skip ? 'skip' : 'k'}">${skip} skipped</span></div>`;
    }
    html += `<div class="ending-row"><button type="button" class="ending-toggle" data-act="ending" data-testid="show-ending" aria-pressed="${ending}" title="Show how the run ends: its final counts and every record it loses (a spoiler)">${ending ? '◀ back to the playhead' : 'show the ending ▶▶'}</button>${ending ? '<span class="k">the counts at the end of the run</span>' : ''}</div>`;
    if (visible.length) {
      html += `<ul class="lost-list" data-testid="lost-list">${visible
        .slice(0, 200)
        .map((r) => `<li data-lost-index="${this.run.lost.indexOf(r)}" class="${r === selected ? 'selected' : ''}" title="click for its story">✕ ${esc(r.partition)} @${r.offset} · ${esc(r.producer)}#${r.sequence}${r.ackedUs !== undefined ? ` · acked ${formatSeconds(r.ackedUs)}${r.ackedBy !== undefined ? ` by ${r.ackedBy}` : ''}` : ''}</li>`)
        .join('')}${visible.length > 200 ? `<li>… ${visible.length - 200} more</li>` : ''}</ul>`;
    }
    if (selected) {
      html += `<div class="story" data-testid="story"><b>${esc(selected.partition)} offset ${selected.offset}</b> (${esc(selected.producer)} #${selected.sequence}) — its story:<ol>${selected.story
        .filter((st) => ending || st.tUs <= tUs)
        .map((st) => `<li data-seek="${st.tUs}" class="${st.tUs <= tUs ? '' : 'future'}"><span class="t">${formatSeconds(st.tUs)}</span> ${esc(st.text)}</li>`)
        .join('')}</ol></div>`;
    }
    setHtml(this.el, html);
  }
}

export class ProducersCard {
  private readonly el: HTMLElement;
  constructor(host: HTMLElement) {
    this.el = card(host, 'Producers: what they believe · the truth', 'producers');
  }

  update(s: ViewState): void {
    const rows: string[] = [];
    for (const pr of Object.values(s.producers)) {
      const stale = new Set(staleBeliefs(pr, s));
      const errs = Object.entries(pr.errors)
        .map(([c, n]) => `${c}×${n}`)
        .join(' ');
      rows.push(
        `<tr><td colspan="3"><span class="producer-name">${esc(pr.id)}</span> acks=${esc(pr.acks)} · ${pr.acked} acked${pr.failed ? ` · <span class="errors">${pr.failed} failed</span>` : ''}${errs ? `<div class="errors">errors: ${esc(errs)}</div>` : ''}</td></tr>`,
      );
      const parts = Object.values(s.partitions).filter((p) => p.topic === pr.topic);
      for (const p of parts.slice(0, 8)) {
        const b = pr.beliefs[p.name];
        const belief = b ? `${b.leader ?? 'none'} (e${b.epoch})` : '—';
        rows.push(
          `<tr class="${stale.has(p.name) ? 'stale' : ''}" data-producer="${esc(pr.id)}" data-partition="${esc(p.name)}"><td>${esc(p.name)}</td><td class="belief">${belief}</td><td>${p.leader ?? 'none'} (e${p.leaderEpoch})</td></tr>`,
        );
      }
      if (parts.length > 8) rows.push(`<tr><td colspan="3">… ${parts.length - 8} more partitions, ${stale.size} stale</td></tr>`);
    }
    setHtml(
      this.el,
      rows.length ? `<table class="beliefs"><thead><tr><th>partition</th><th>believed leader</th><th>actual leader</th></tr></thead><tbody>${rows.join('')}</tbody></table>` : '<div class="k">no producers</div>',
    );
  }
}

export class GroupsCard {
  private readonly el: HTMLElement;
  constructor(host: HTMLElement) {
    this.el = card(host, 'Consumer groups', 'groups');
  }

  update(s: ViewState): void {
    const rows: string[] = [];
    for (const g of Object.values(s.groups)) {
      const members = Object.keys(g.assignment);
      const state = g.state === 'rebalancing' ? ' · <span class="errors">⟳ rebalancing</span>' : g.state === 'empty' ? ' · empty' : '';
      rows.push(`<tr><td colspan="5"><b>${esc(g.group)}</b> generation ${g.generation} · ${members.length} member${members.length === 1 ? '' : 's'}${state}</td></tr>`);
      const owner = new Map<string, string>();
      for (const [m, ps] of Object.entries(g.assignment)) for (const p of ps) owner.set(p, m);
      const parts = [...new Set([...Object.keys(g.committed), ...Object.keys(g.positions), ...owner.keys()])].sort();
      for (const name of parts.slice(0, 8)) {
        const p = s.partitions[name];
        const hw = p ? partitionHw(p) : undefined;
        const committed = g.committed[name];
        const lag = hw !== undefined && committed !== undefined ? hw - committed : undefined;
        rows.push(`<tr data-partition="${esc(name)}" data-lag="${lag ?? ''}"><td>${esc(name)}</td><td>${esc(owner.get(name) ?? '—')}</td><td>${g.positions[name] ?? '—'}</td><td>${committed ?? '—'}</td><td><b>${lag ?? '—'}</b></td></tr>`);
      }
    }
    setHtml(
      this.el,
      rows.length ? `<table class="groups"><thead><tr><th>partition</th><th>member</th><th>position</th><th>committed</th><th>lag</th></tr></thead><tbody>${rows.join('')}</tbody></table>` : '<div class="k">no consumer groups</div>',
    );
  }
}

export { isLogged } from './prose.ts';

export class EventLogCard {
  private readonly el: HTMLElement;
  private readonly list: HTMLOListElement;
  private idx: number[] = [];
  private events: readonly VizEvent[] = [];
  /** Which run the log tells (0: A, 1: B). */
  run = 0;
  constructor(
    host: HTMLElement,
    private readonly runs: readonly { label: string; events: readonly VizEvent[] }[],
    private readonly onSeek: (tUs: number) => void,
  ) {
    this.el = card(host, 'Event log', 'event-log');
    if (runs.length > 1) {
      // A what-if: the log says which run it tells, and switches.
      const h2 = this.el.parentElement!.querySelector('h2')!;
      h2.innerHTML = `Event log <span class="run-switch" role="group" aria-label="which run">${runs
        .map((r, i) => `<button type="button" data-run="${i}" data-testid="event-log-${r.label}" aria-pressed="${i === 0}" title="The events of run ${r.label}">run ${esc(r.label)}</button>`)
        .join('')}</span>`;
      h2.addEventListener('click', (ev) => {
        const b = (ev.target as Element).closest('[data-run]');
        if (!b) return;
        this.show(Number(b.getAttribute('data-run')));
        h2.querySelectorAll('[data-run]').forEach((x) => x.setAttribute('aria-pressed', String(x === b)));
      });
    }
    this.list = document.createElement('ol');
    this.list.className = 'event-log';
    this.el.appendChild(this.list);
    this.show(0);
    this.list.addEventListener('click', (ev) => {
      const li = (ev.target as Element).closest('[data-seek]');
      if (li) this.onSeek(Number(li.getAttribute('data-seek')));
    });
  }

  private show(i: number): void {
    this.run = i;
    this.events = this.runs[i].events;
    this.idx = [];
    this.events.forEach((e, k) => {
      if (isLogged(e)) this.idx.push(k);
    });
    (this.el.parentElement as HTMLElement).dataset.run = this.runs[i].label;
    if (this.last) this.update(this.last.tUs, this.last.ending, this.last.explained);
  }

  private last?: { tUs: number; ending: boolean; explained?: number };

  /** `explained`: the index (in the run's events) of the event the caption on screen explains: highlighted. */
  update(tUs: number, ending = false, explained?: number): void {
    this.last = { tUs, ending, explained };
    // Binary search: the last logged event at or before t.
    let lo = 0;
    let hi = this.idx.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.events[this.idx[mid]].tUs <= tUs) lo = mid + 1;
      else hi = mid;
    }
    const cur = lo - 1;
    // Lines wrap, so how many fit varies: the list is bottom-aligned (styles.css), with the current
    // line second from the bottom (one line of what comes next) and as much of the past as fits above.
    const past = 9;
    // Nothing after the playhead (no spoilers) unless the ending is shown: then one line of what comes next.
    const last = ending ? Math.min(this.idx.length - 1, Math.max(cur + 1, Math.min(past, this.idx.length - 1))) : cur;
    const first = Math.max(0, last - past - 1);
    let html = '';
    for (let k = first; k <= last; k++) {
      const e = this.events[this.idx[k]];
      const text = logLine(e) ?? '';
      const cls = [k > cur ? 'future' : '', k === cur ? 'current' : '', `k-${notableClass(e)}`, this.idx[k] === explained ? 'explained' : ''].join(' ');
      html += `<li class="${cls}" data-seek="${e.tUs}"${this.idx[k] === explained ? ' data-testid="explained"' : ''}><span class="t">${formatSeconds(e.tUs)}</span>${esc(text)}</li>`;
    }
    if (!html) html = `<li class="future">${this.idx.length && !ending ? 'nothing has happened yet' : 'no events'}</li>`;
    setHtml(this.list, html);
  }
}
