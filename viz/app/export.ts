// Export for slides: the view on screen as one self-contained SVG (title, caption, time, the cluster,
// the ledger's counts, the partition logs and the timeline, each where it is on screen, styles
// inlined, no HTML inside, so Keynote, PowerPoint and Inkscape read it), the same as a PNG at twice
// the pixels, and a clip of a time range as WebM, recorded by the browser's own MediaRecorder from a
// canvas the composed view is drawn on frame by frame. From the Export… button or the `x` key.
// It drives the playhead only through the app's public seek() and reads the DOM; nothing else.

import { formatSeconds } from '../lib/time.ts';

const SVG_NS = 'http://www.w3.org/2000/svg';

interface AppHandle {
  seek(tUs: number): void;
  pause?(): void;
  probe(): { tUs: number; durationUs: number; playing: boolean; runs: { name: string; seed: number }[] };
}

const app = () => (window as unknown as { kafkasim?: AppHandle }).kafkasim;

// ---------------------------------------------------------------------------------------------
// Composition.

/** Computed properties that carry the look of SVG content (classes and CSS variables resolved). */
const SVG_PROPS = ['fill', 'stroke', 'stroke-width', 'stroke-dasharray', 'stroke-linecap', 'stroke-linejoin', 'opacity', 'fill-opacity', 'font-family', 'font-size', 'font-weight', 'font-style', 'text-anchor', 'dominant-baseline', 'paint-order', 'letter-spacing'];

function inlineStyles(src: Element, dst: Element): void {
  if (src instanceof SVGElement && !(src instanceof SVGDefsElement) && src.tagName !== 'pattern' && !src.closest('defs')) {
    const cs = getComputedStyle(src);
    const parts: string[] = [];
    for (const p of SVG_PROPS) {
      let v = cs.getPropertyValue(p);
      if (!v) continue;
      // url("http://host/#hatch") → url(#hatch): the pattern travels in the file's own defs.
      if (v.includes('url(')) v = v.replace(/url\((['"]?)[^#)'"]*#([^)'"]+)\1\)/g, 'url(#$2)');
      parts.push(`${p}:${v}`);
    }
    (dst as SVGElement).setAttribute('style', parts.join(';'));
    dst.removeAttribute('class');
    dst.removeAttribute('data-tip');
  }
  const a = src.children;
  const b = dst.children;
  for (let i = 0; i < a.length && i < b.length; i++) inlineStyles(a[i], b[i]);
}

let measureCtx: CanvasRenderingContext2D | null = null;
function textWidth(text: string, font: string): number {
  measureCtx ??= document.createElement('canvas').getContext('2d');
  if (!measureCtx) return text.length * 8;
  measureCtx.font = font;
  return measureCtx.measureText(text).width;
}

function wrap(text: string, font: string, width: number): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    const next = line ? `${line} ${w}` : w;
    if (line && textWidth(next, font) > width) {
      lines.push(line);
      line = w;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

function visible(el: Element | null): el is HTMLElement {
  if (!el) return false;
  const r = el.getBoundingClientRect();
  return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
}

/** An HTML element's text as SVG text, wrapped to its width, in its own font and colour. */
function htmlText(el: HTMLElement, origin: DOMRect, opts: { text?: string } = {}): SVGGElement {
  const cs = getComputedStyle(el);
  const r = el.getBoundingClientRect();
  const g = document.createElementNS(SVG_NS, 'g');
  const font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
  const size = parseFloat(cs.fontSize);
  const lh = parseFloat(cs.lineHeight) || size * 1.3;
  const padL = parseFloat(cs.paddingLeft) || 0;
  const padT = parseFloat(cs.paddingTop) || 0;
  const text = (opts.text ?? el.innerText ?? el.textContent ?? '').replace(/\s+/g, ' ').trim();
  const lines = wrap(text, font, Math.max(40, r.width - padL - (parseFloat(cs.paddingRight) || 0)));
  const centred = cs.textAlign === 'center';
  lines.forEach((line, i) => {
    const t = document.createElementNS(SVG_NS, 'text');
    t.setAttribute('x', String(centred ? r.left - origin.left + r.width / 2 : r.left - origin.left + padL));
    if (centred) t.setAttribute('text-anchor', 'middle');
    t.setAttribute('y', String(r.top - origin.top + padT + lh * i + (lh + size * 0.7) / 2));
    t.setAttribute('style', `font-family:${cs.fontFamily};font-size:${cs.fontSize};font-weight:${cs.fontWeight};font-style:${cs.fontStyle};fill:${cs.color}`);
    t.textContent = line;
    g.appendChild(t);
  });
  return g;
}

function box(el: HTMLElement, origin: DOMRect): SVGRectElement | undefined {
  const cs = getComputedStyle(el);
  const bg = cs.backgroundColor;
  const border = cs.borderLeftWidth !== '0px' ? cs.borderLeftColor : undefined;
  if ((!bg || bg === 'rgba(0, 0, 0, 0)') && !border) return undefined;
  const r = el.getBoundingClientRect();
  const rect = document.createElementNS(SVG_NS, 'rect');
  rect.setAttribute('x', String(r.left - origin.left));
  rect.setAttribute('y', String(r.top - origin.top));
  rect.setAttribute('width', String(r.width));
  rect.setAttribute('height', String(r.height));
  rect.setAttribute('rx', cs.borderTopLeftRadius && cs.borderTopLeftRadius !== '0px' ? String(parseFloat(cs.borderTopLeftRadius)) : '0');
  rect.setAttribute('style', `fill:${bg && bg !== 'rgba(0, 0, 0, 0)' ? bg : 'none'};stroke:${border ?? 'none'};stroke-width:${border ? 1 : 0}`);
  return rect;
}

export interface Composed {
  svg: string;
  width: number;
  height: number;
}

/**
 * The lesson on screen as one SVG: what a slide needs (title, caption, time, cluster, ledger counts,
 * partitions, timeline), placed as on screen. Elements scrolled out of sight are included too.
 */
export function composeView(): Composed {
  const items: HTMLElement[] = [];
  const add = (sel: string) => document.querySelectorAll<HTMLElement>(sel).forEach((e) => visible(e) && items.push(e));
  add('#scenario-title');
  add('#caption');
  add('.run');
  add('[data-testid="ledger"]');
  add('#partitions .pcard');
  add('.controls .time');
  add('#timeline-host svg');
  const rects = items.map((e) => e.getBoundingClientRect());
  const pad = 12;
  const left = Math.min(...rects.map((r) => r.left)) - pad;
  const top = Math.min(...rects.map((r) => r.top)) - pad;
  const right = Math.max(...rects.map((r) => r.right)) + pad;
  const bottom = Math.max(...rects.map((r) => r.bottom)) + pad;
  const origin = new DOMRect(left, top, right - left, bottom - top);
  const out = document.createElementNS(SVG_NS, 'svg');
  out.setAttribute('xmlns', SVG_NS);
  out.setAttribute('width', String(Math.ceil(origin.width)));
  out.setAttribute('height', String(Math.ceil(origin.height)));
  out.setAttribute('viewBox', `0 0 ${Math.ceil(origin.width)} ${Math.ceil(origin.height)}`);
  const bg = document.createElementNS(SVG_NS, 'rect');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('fill', '#ffffff');
  out.appendChild(bg);
  const placeSvg = (svg: SVGSVGElement) => {
    const r = svg.getBoundingClientRect();
    const clone = svg.cloneNode(true) as SVGSVGElement;
    inlineStyles(svg, clone);
    clone.setAttribute('x', String(r.left - origin.left));
    clone.setAttribute('y', String(r.top - origin.top));
    clone.setAttribute('width', String(r.width));
    clone.setAttribute('height', String(r.height));
    clone.removeAttribute('class');
    clone.removeAttribute('style');
    out.appendChild(clone);
  };
  for (const el of items) {
    if (el instanceof SVGSVGElement || el.tagName.toLowerCase() === 'svg') {
      placeSvg(el as unknown as SVGSVGElement);
    } else if (el.id === 'caption') {
      const b = box(el, origin);
      if (b) out.appendChild(b);
      out.appendChild(htmlText(el, origin));
    } else if (el.classList.contains('run')) {
      const b = box(el, origin);
      if (b) out.appendChild(b);
      const head = el.querySelector<HTMLElement>('.run-head');
      if (head) out.appendChild(htmlText(head, origin));
      const svg = el.querySelector<SVGSVGElement>('svg.cluster-svg');
      if (svg) placeSvg(svg);
    } else if (el.dataset.testid === 'ledger') {
      const b = box(el, origin);
      if (b) out.appendChild(b);
      const h = el.querySelector<HTMLElement>('h2');
      if (h) out.appendChild(htmlText(h, origin));
      el.querySelectorAll<HTMLElement>('.ledger-counts .n, .ledger-counts .k').forEach((n) => out.appendChild(htmlText(n, origin)));
    } else if (el.classList.contains('pcard')) {
      const b = box(el, origin);
      if (b) out.appendChild(b);
      const head = el.querySelector<HTMLElement>('.phead');
      if (head) out.appendChild(htmlText(head, origin));
      const svg = el.querySelector<SVGSVGElement>('svg');
      if (svg) placeSvg(svg);
    } else {
      out.appendChild(htmlText(el, origin));
    }
  }
  const svg = new XMLSerializer().serializeToString(out);
  return { svg: `<?xml version="1.0" encoding="UTF-8"?>\n${svg}`, width: Math.ceil(origin.width), height: Math.ceil(origin.height) };
}

/** Draw a composed SVG on a canvas (scale × its size). */
async function drawSvg(c: Composed, canvas: HTMLCanvasElement, scale: number): Promise<void> {
  const url = URL.createObjectURL(new Blob([c.svg], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.decoding = 'async';
    img.src = url;
    await img.decode();
    const w = Math.round(c.width * scale);
    const h = Math.round(c.height * scale);
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w;
      canvas.height = h;
    }
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, w, h);
    ctx.drawImage(img, 0, 0, w, h);
  } finally {
    URL.revokeObjectURL(url);
  }
}

export async function toPng(c: Composed, scale = 2): Promise<Blob> {
  const canvas = document.createElement('canvas');
  await drawSvg(c, canvas, scale);
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the browser made no PNG'))), 'image/png'));
}

// ---------------------------------------------------------------------------------------------
// Downloads.

function baseName(): string {
  const p = app()?.probe();
  const name = p?.runs[0]?.name ?? 'kafkasim';
  const t = formatSeconds(p?.tUs ?? 0, 3).replace(' s', 's');
  return `${name}-seed${p?.runs[0]?.seed ?? ''}-${t}`;
}

function download(blob: Blob, name: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

export function exportSvg(): void {
  download(new Blob([composeView().svg], { type: 'image/svg+xml' }), `${baseName()}.svg`);
}

export async function exportPng(): Promise<void> {
  download(await toPng(composeView()), `${baseName()}.png`);
}

/** The first container type this browser's MediaRecorder can write, if it has one. */
export function clipType(): string | undefined {
  if (typeof MediaRecorder === 'undefined' || typeof HTMLCanvasElement.prototype.captureStream !== 'function') return undefined;
  return ['video/webm;codecs=vp9', 'video/webm;codecs=vp8', 'video/webm'].find((t) => MediaRecorder.isTypeSupported(t));
}

const nextFrame = () => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r())));

/**
 * Record [fromUs, toUs] of simulated time as WebM: `speed` simulated seconds per second of video.
 * Frames are composed as fast as the page can (the simulated time of each follows the wall clock,
 * so the clip plays at the speed asked for whatever the frame rate), then the playhead goes back.
 */
export async function recordClip(fromUs: number, toUs: number, speed: number, onProgress?: (f: number) => void): Promise<Blob> {
  const type = clipType();
  if (!type) throw new Error('this browser cannot record video (no MediaRecorder for WebM)');
  const a = app();
  if (!a) throw new Error('nothing is playing');
  const p0 = a.probe();
  if (p0.playing) a.pause?.();
  const back = p0.tUs;
  const canvas = document.createElement('canvas');
  a.seek(fromUs);
  await nextFrame();
  const scale = Math.min(2, 1920 / composeView().width);
  await drawSvg(composeView(), canvas, scale);
  const stream = canvas.captureStream(30);
  const rec = new MediaRecorder(stream, { mimeType: type, videoBitsPerSecond: 4_000_000 });
  const chunks: Blob[] = [];
  rec.ondataavailable = (e) => e.data.size && chunks.push(e.data);
  const done = new Promise<void>((r) => (rec.onstop = () => r()));
  rec.start(250);
  const wall0 = performance.now();
  const span = Math.max(0, toUs - fromUs);
  for (;;) {
    const t = Math.min(toUs, fromUs + (performance.now() - wall0) * 1000 * speed);
    a.seek(t);
    await nextFrame();
    await drawSvg(composeView(), canvas, scale);
    onProgress?.(span ? (t - fromUs) / span : 1);
    if (t >= toUs) break;
  }
  await new Promise((r) => setTimeout(r, 200)); // the last frame held a moment
  rec.stop();
  await done;
  stream.getTracks().forEach((tr) => tr.stop());
  a.seek(back);
  // a recorder that got no frame (a page too busy to paint) writes nothing: say so, not save an empty file
  if (chunks.length === 0) throw new Error('the browser recorded no video frames (the page was too busy?): try again');
  return new Blob(chunks, { type: 'video/webm' });
}

// ---------------------------------------------------------------------------------------------
// The panel (Export… button, `x`).

export function installExport(): void {
  const panel = document.getElementById('export-panel') as HTMLElement;
  const button = document.getElementById('export-toggle') as HTMLButtonElement;
  const canClip = clipType() !== undefined;
  panel.innerHTML = `
    <div class="export-head"><strong>Export for slides</strong><button data-x="close" title="Close (Esc, x)">✕</button></div>
    <p class="export-what">The caption, cluster, ledger, partition logs and timeline as they are now.</p>
    <div class="export-row">
      <button data-x="svg" data-testid="export-svg" title="A vector image: scales to any slide">SVG</button>
      <button data-x="png" data-testid="export-png" title="A picture at twice the screen's pixels">PNG</button>
    </div>
    <fieldset class="export-clip" ${canClip ? '' : 'disabled'}>
      <legend>Clip (WebM video)</legend>
      <label>from <input type="number" step="0.1" min="0" data-x="from" data-testid="clip-from"> s</label>
      <label>to <input type="number" step="0.1" min="0" data-x="to" data-testid="clip-to"> s</label>
      <label>at <select data-x="speed" data-testid="clip-speed">
        <option value="0.25">¼ s</option><option value="0.5">½ s</option><option value="1" selected>1 s</option><option value="2">2 s</option><option value="5">5 s</option><option value="10">10 s</option>
      </select> of simulated time a second</label>
      <button data-x="clip" data-testid="export-clip">Record clip</button>
    </fieldset>
    <p class="export-status" data-testid="export-status" aria-live="polite">${canClip ? '' : 'This browser cannot record video (no MediaRecorder for WebM); SVG and PNG work.'}</p>`;
  const status = panel.querySelector('.export-status') as HTMLElement;
  const from = panel.querySelector('[data-x="from"]') as HTMLInputElement;
  const to = panel.querySelector('[data-x="to"]') as HTMLInputElement;
  const speed = panel.querySelector('[data-x="speed"]') as HTMLSelectElement;
  let busy = false;

  const show = (on: boolean) => {
    panel.hidden = !on;
    button.setAttribute('aria-pressed', String(on));
    if (on) {
      const p = app()?.probe();
      const t = (p?.tUs ?? 0) / 1e6;
      const end = (p?.durationUs ?? 0) / 1e6;
      from.value = String(Math.max(0, Math.floor(t - 2)));
      to.value = String(Math.min(end, Math.max(0, Math.floor(t - 2)) + 10));
      to.max = from.max = String(end);
    }
  };
  const run = async (what: string) => {
    if (busy) return;
    busy = true;
    panel.dataset.busy = 'true';
    try {
      if (what === 'svg') {
        exportSvg();
        status.textContent = 'SVG saved.';
      } else if (what === 'png') {
        status.textContent = 'making the PNG…';
        await exportPng();
        status.textContent = 'PNG saved.';
      } else if (what === 'clip') {
        const f = Math.round(Number(from.value) * 1e6);
        const t = Math.round(Number(to.value) * 1e6);
        if (!(t > f)) {
          status.textContent = '✕ the clip ends before it starts';
          return;
        }
        const name = `${baseName()}-clip`;
        const blob = await recordClip(f, t, Number(speed.value), (x) => (status.textContent = `recording… ${Math.round(x * 100)}%`));
        download(blob, `${name}.webm`);
        status.textContent = `Clip saved (${Math.round(blob.size / 1024)} KB).`;
      }
    } catch (e) {
      status.textContent = `✕ ${e instanceof Error ? e.message : String(e)}`;
    } finally {
      busy = false;
      delete panel.dataset.busy;
    }
  };
  button.addEventListener('click', () => {
    show(panel.hidden);
    button.blur();
  });
  panel.addEventListener('click', (ev) => {
    const b = (ev.target as Element).closest('button[data-x]');
    if (!b) return;
    const what = b.getAttribute('data-x')!;
    if (what === 'close') show(false);
    else void run(what);
  });
  panel.addEventListener('keydown', (ev) => {
    if ((ev.target as HTMLElement).tagName === 'INPUT' || (ev.target as HTMLElement).tagName === 'SELECT') ev.stopPropagation();
  });
  window.addEventListener('keydown', (ev) => {
    const t = ev.target as HTMLElement | null;
    if (t && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName))) return;
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (ev.key === 'x') {
      show(panel.hidden);
      ev.preventDefault();
    } else if (ev.key === 'Escape' && !panel.hidden) show(false);
  });
}
