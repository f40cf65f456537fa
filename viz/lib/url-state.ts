// What the presenter shows, as a URL: scenario, seed, playhead, speed, presentation mode and the
// what-if override. A link reproduces the same run at the same moment; the scenario text itself
// travels in the fragment when it was edited (it can be long, and fragments are not sent to servers),
// up to MAX_LINK_TEXT_BYTES: a bigger text is not put in the link, and a link carrying one is refused
// before it is decoded, let alone parsed.

import { formatDuration, parseDuration } from '../../src/scenario/durations.ts';
import { parseSecondsToUs } from './time.ts';

/**
 * The most scenario text a link may carry: 256 KiB of UTF-8, after decoding (the fragment's base64 is
 * a third longer). Scenarios are a few KB; a bigger one is shared as a file. Beyond it the page's
 * URL says `#too-large=<bytes>` instead of the text, and a page opened on such a link (or on a longer
 * `#text=`) refuses it with a message rather than trying to read it.
 */
export const MAX_LINK_TEXT_BYTES = 256 * 1024;

export interface UrlState {
  /** Library scenario name; undefined: the default scenario (or `text`). */
  scenario?: string;
  /** Overrides the scenario's own seed. */
  seed?: number;
  /** Playhead in microseconds. */
  tUs?: number;
  speed?: number;
  present?: boolean;
  /** What-if overrides for the second run: config name → value text. */
  whatIf?: Record<string, string>;
  /** Edited scenario text (in the fragment). */
  text?: string;
  /** The size in bytes of a scenario text too large for a link (above MAX_LINK_TEXT_BYTES): not carried. */
  textTooLarge?: number;
}

export function readUrlState(search: string, hash: string): UrlState {
  const q = new URLSearchParams(search);
  const out: UrlState = {};
  const scenario = q.get('scenario');
  if (scenario) out.scenario = scenario;
  const seed = q.get('seed');
  if (seed !== null && /^-?\d+$/.test(seed)) out.seed = Number(seed);
  const t = q.get('t');
  if (t !== null) {
    const us = parseUrlTime(t);
    if (us !== undefined) out.tUs = us;
  }
  const speed = q.get('speed');
  if (speed !== null && Number(speed) > 0) out.speed = Number(speed);
  if (q.get('present') === '1') out.present = true;
  const wi = q.getAll('whatif');
  if (wi.length) {
    out.whatIf = {};
    for (const item of wi) {
      const eq = item.indexOf('=');
      if (eq > 0) out.whatIf[item.slice(0, eq)] = item.slice(eq + 1);
    }
  }
  const h = new URLSearchParams(hash.replace(/^#/, ''));
  const text = h.get('text');
  if (text) {
    const bytes = base64DecodedBytes(text);
    if (bytes > MAX_LINK_TEXT_BYTES) out.textTooLarge = bytes;
    else {
      const decoded = decodeBase64Url(text);
      if (decoded !== undefined) out.text = decoded;
    }
  }
  const tooLarge = h.get('too-large');
  if (out.text === undefined && tooLarge !== null && /^\d{1,15}$/.test(tooLarge)) out.textTooLarge = Number(tooLarge);
  return out;
}

/** The query string and fragment for a state (keys in a fixed order, so links are stable). */
export function writeUrlState(s: UrlState): { search: string; hash: string } {
  const q = new URLSearchParams();
  if (s.scenario) q.set('scenario', s.scenario);
  if (s.seed !== undefined) q.set('seed', String(s.seed));
  if (s.tUs !== undefined) q.set('t', formatUrlTime(s.tUs));
  if (s.speed !== undefined && s.speed !== 1) q.set('speed', String(s.speed));
  if (s.present) q.set('present', '1');
  for (const [k, v] of Object.entries(s.whatIf ?? {})) q.append('whatif', `${k}=${v}`);
  const search = q.toString();
  const hash = s.text !== undefined ? textFragment(s.text) : s.textTooLarge !== undefined ? `too-large=${s.textTooLarge}` : '';
  return { search: search ? '?' + search : '', hash: hash ? '#' + hash : '' };
}

/**
 * The playhead as the scenario format writes a duration (`t=70s`, `t=68.76344s`, `t=250ms`), so a
 * time read off a link can be pasted into a scenario's `at:` and back.
 */
export function formatUrlTime(us: number): string {
  return formatDuration(Math.max(0, Math.round(us)));
}

/**
 * A link's time: a scenario duration (`70s`, `250ms`), several summed as a person writes a clock
 * (`1m10.5s`, `1h2m`), or the old links' bare seconds (`70`, `31.00025`). Undefined if malformed.
 */
export function parseUrlTime(text: string): number | undefined {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return parseSecondsToUs(t);
  const parts = t.match(/\d+(?:\.\d+)?\s*[A-Za-zµ]+/g);
  if (!parts || parts.join('').replace(/\s+/g, '') !== t.replace(/\s+/g, '')) return undefined;
  let us = 0;
  for (const part of parts) {
    const r = parseDuration(part);
    if (!r.ok) return undefined;
    us += r.us;
  }
  return Number.isSafeInteger(us) ? us : undefined;
}

/** The page writes its URL on every paused frame: the text's fragment is computed once per text. */
let lastFragment: { text: string; fragment: string } | undefined;

function textFragment(text: string): string {
  if (lastFragment?.text === text) return lastFragment.fragment;
  const bytes = new TextEncoder().encode(text);
  const fragment = bytes.length > MAX_LINK_TEXT_BYTES ? `too-large=${bytes.length}` : 'text=' + bytesToBase64Url(bytes);
  lastFragment = { text, fragment };
  return fragment;
}

/** How many bytes a base64 (or base64url) string decodes to, without decoding it. */
export function base64DecodedBytes(s: string): number {
  let n = s.length;
  while (n > 0 && s[n - 1] === '=') n--;
  return Math.floor((n * 3) / 4);
}

export function encodeBase64Url(text: string): string {
  return bytesToBase64Url(new TextEncoder().encode(text));
}

function bytesToBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function decodeBase64Url(s: string): string | undefined {
  try {
    const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
