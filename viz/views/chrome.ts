// The page's chrome around the app (loaded by index.html beside main.ts): the "what to watch" text
// that opens and closes (button, `d`), a visible notice when a link names a scenario the library does
// not have, presentation mode fitted to one screen (partition cards that do not fit are set aside,
// those that matter now first), and export for slides (app/export.ts: button, `x`). It reads the app
// only through the DOM and the read-only `window.kafkasim` probe, and never changes the run.

import { findEntry, loadLibrary } from '../app/library.ts';
import { whatIfErrors } from '../lib/what-if.ts';
import { readUrlState } from '../lib/url-state.ts';
import { installExport } from '../app/export.ts';

const $ = (id: string) => document.getElementById(id) as HTMLElement;

// ---------------------------------------------------------------------------------------------
// "What to watch": two lines, expandable.

const info = $('scenario-info');
const desc = $('scenario-description');
const toggle = $('description-toggle') as HTMLButtonElement;

function setExpanded(on: boolean): void {
  info.classList.toggle('expanded', on);
  toggle.setAttribute('aria-expanded', String(on));
  toggle.textContent = on ? 'less ▴' : 'more ▾';
  refreshToggle();
  fitSoon();
}

/** The button shows only when there is more to read than the two lines show. */
function refreshToggle(): void {
  const expanded = info.classList.contains('expanded');
  const more = desc.scrollHeight > desc.clientHeight + 2;
  toggle.hidden = desc.textContent === '' || (!expanded && !more);
}

toggle.addEventListener('click', () => setExpanded(!info.classList.contains('expanded')));
// A new scenario's text starts closed.
new MutationObserver(() => {
  if (info.classList.contains('expanded')) setExpanded(false);
  else refreshToggle();
}).observe(desc, { childList: true, subtree: true, characterData: true });
new ResizeObserver(() => refreshToggle()).observe(desc);

// ---------------------------------------------------------------------------------------------
// A link the page cannot follow in full: a scenario the library does not have (the app opens the
// default), or a what-if it cannot run (the app runs the scenario as written). Say so.

function checkLink(): void {
  const q = new URLSearchParams(location.search);
  const lines: (string | Node)[][] = [];
  const name = q.get('scenario');
  const carriesText = /(^|[#&])(text|too-large)=/.test(location.hash.slice(1));
  if (name && !carriesText && !findEntry(loadLibrary(), name)) {
    const b = document.createElement('b');
    b.textContent = `“${name}”`;
    lines.push(['This link names a scenario, ', b, ', that is not in the library (renamed, or a typo?). Showing the default scenario instead; pick another from the list.']);
  }
  for (const why of whatIfErrors(readUrlState(location.search, location.hash).whatIf ?? {})) lines.push([`This link asks for a ${why}.`]);
  if (!lines.length) return;
  const n = $('notice');
  n.innerHTML = '';
  const texts = lines.map((parts) => {
    const p = document.createElement('p');
    p.append(...parts);
    return p;
  });
  const close = document.createElement('button');
  close.textContent = 'OK';
  close.title = 'Dismiss';
  close.addEventListener('click', () => {
    n.hidden = true;
    fitSoon();
  });
  n.append(...texts, close);
  if (name) n.dataset.missing = name;
  n.hidden = false;
}
checkLink();

// ---------------------------------------------------------------------------------------------
// Presentation mode on one screen.

const root = document.documentElement;
const isPresent = () => root.classList.contains('present');

/** How much a partition card matters at this moment, from what it shows. */
function importance(card: HTMLElement): number {
  let score = 0;
  if (card.querySelector('[data-testid="leader"][data-value="none"]')) score += 8;
  if (card.querySelector('.unclean')) score += 4;
  if (card.querySelector('[data-state="lost"], [data-state="lost-truncated"]')) score += 4;
  if (card.querySelector('[data-state="truncated"]')) score += 2;
  const isr = card.querySelector('[data-testid="isr"]')?.getAttribute('data-value') ?? '';
  const replicas = card.querySelectorAll('g.replica').length;
  if (replicas && isr.split(',').filter(Boolean).length < replicas) score += 2;
  if (card.querySelector('.selected-record, [stroke-width="3"][data-lost]')) score += 16;
  // a consumer's batch in processing (`processing:`) is what a consumer lesson is about
  if (card.querySelector('[data-state="group-processing"]')) score += 3;
  // A consumer group falling behind on this partition (the groups card's lag column).
  const name = card.dataset.partition ?? '';
  const lags = [...document.querySelectorAll<HTMLElement>('[data-testid="groups"] tr[data-lag]')].map((r) => ({ p: r.dataset.partition, lag: Number(r.dataset.lag || 0) }));
  if (lags.length > 1) {
    const all = lags.map((l) => l.lag);
    const least = Math.min(...all);
    const most = Math.max(...all);
    const mine = Math.max(0, ...lags.filter((l) => l.p === name).map((l) => l.lag));
    if (mine > 2 * least + 10 && mine >= most / 2) score += 6;
  }
  return score;
}

let fitting = false;
let lastFit = '';

/** Set aside the partition cards that matter least until the page fits the screen (presentation). */
function fit(): void {
  if (fitting) return;
  fitting = true;
  try {
    const cards = [...document.querySelectorAll<HTMLElement>('#partitions .pcard')];
    const before = cards.map((c) => c.classList.contains('fit-hidden')).join();
    for (const c of cards) c.classList.remove('fit-hidden');
    document.querySelectorAll('#partitions .fit-more').forEach((n) => n.remove());
    const body = document.body;
    // A panel opened on top of the lesson (how often?, what-if) may need more than a screen: let it scroll.
    const panelOpen = !$('howoften-panel').hidden || document.getElementById('metrics-host')?.classList.contains('expanded') === true;
    body.classList.toggle('scrolls', isPresent() && panelOpen);
    if (isPresent() && !panelOpen) {
      const overflows = () => body.scrollHeight > body.clientHeight + 1 || stageTooSmall();
      // Least important first; among equals, the later card goes first (the first stays, as in the file).
      const order = cards.map((c, i) => ({ c, i, s: importance(c) })).sort((a, b) => a.s - b.s || b.i - a.i);
      const perRun = new Map<Element | null, number>();
      for (const c of cards) perRun.set(c.parentElement, (perRun.get(c.parentElement) ?? 0) + 1);
      for (const { c } of order) {
        if (!overflows()) break;
        const left = perRun.get(c.parentElement) ?? 0;
        if (left <= 1) continue; // every run keeps at least one partition on screen
        c.classList.add('fit-hidden');
        perRun.set(c.parentElement, left - 1);
      }
      for (const host of document.querySelectorAll<HTMLElement>('#partitions .run-partitions')) {
        const hidden = host.querySelectorAll('.pcard.fit-hidden').length;
        if (!hidden) continue;
        const note = document.createElement('div');
        note.className = 'fit-more';
        note.dataset.testid = 'fit-more';
        note.textContent = `+ ${hidden} more partition${hidden > 1 ? 's' : ''} (the ones with the least happening now): leave presentation mode (p) to see every one`;
        host.appendChild(note);
      }
    }
    const after = cards.map((c) => c.classList.contains('fit-hidden')).join();
    const key = `${after}|${window.innerWidth}x${window.innerHeight}|${isPresent()}`;
    // Cards shown or hidden change the room the cluster has: ask the app to lay out again.
    if (after !== before && key !== lastFit) window.dispatchEvent(new Event('resize'));
    lastFit = key;
  } finally {
    fitting = false;
  }
}

/** The cluster needs some room too: at least about a third of the screen's height (or 9rem). */
function stageTooSmall(): boolean {
  const stage = $('stage');
  const rem = parseFloat(getComputedStyle(root).fontSize) || 16;
  return stage.getBoundingClientRect().height < Math.min(window.innerHeight * 0.34, 14 * rem);
}

let fitTimer: number | undefined;
export function fitSoon(delay = 60): void {
  window.clearTimeout(fitTimer);
  fitTimer = window.setTimeout(fit, delay);
}

new MutationObserver(() => fitSoon()).observe(root, { attributes: true, attributeFilter: ['class'] });
new MutationObserver(() => fitSoon()).observe($('partitions'), { childList: true });
new MutationObserver(() => fitSoon()).observe($('howoften-panel'), { attributes: true, attributeFilter: ['hidden'] });
window.addEventListener('resize', () => {
  if (!fitting) fitSoon(200);
});
// What matters changes as the story plays: look again now and then (cheap: a few attributes).
let lastImportance = '';
window.setInterval(() => {
  if (!isPresent()) return;
  const sig = [...document.querySelectorAll<HTMLElement>('#partitions .pcard')].map(importance).join();
  if (sig !== lastImportance) {
    lastImportance = sig;
    fit();
  }
}, 700);

// ---------------------------------------------------------------------------------------------
// Keys of the chrome (the app ignores keys it does not know).

window.addEventListener('keydown', (ev) => {
  const t = ev.target as HTMLElement | null;
  if (t && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName))) return;
  if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
  if (ev.key === 'd') {
    setExpanded(!info.classList.contains('expanded'));
    ev.preventDefault();
  }
});

installExport();
fitSoon(300);
