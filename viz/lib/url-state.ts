// What the presenter shows, as a URL: scenario, seed, playhead, speed, presentation mode and the
// what-if override. A link reproduces the same run at the same moment; the scenario text itself
// travels in the fragment when it was edited (it can be long, and fragments are not sent to servers).

import { parseSecondsToUs, usToSecondsText } from './time.ts';

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
    const us = parseSecondsToUs(t);
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
    const decoded = decodeBase64Url(text);
    if (decoded !== undefined) out.text = decoded;
  }
  return out;
}

/** The query string and fragment for a state (keys in a fixed order, so links are stable). */
export function writeUrlState(s: UrlState): { search: string; hash: string } {
  const q = new URLSearchParams();
  if (s.scenario) q.set('scenario', s.scenario);
  if (s.seed !== undefined) q.set('seed', String(s.seed));
  if (s.tUs !== undefined) q.set('t', usToSecondsText(s.tUs));
  if (s.speed !== undefined && s.speed !== 1) q.set('speed', String(s.speed));
  if (s.present) q.set('present', '1');
  for (const [k, v] of Object.entries(s.whatIf ?? {})) q.append('whatif', `${k}=${v}`);
  const search = q.toString();
  const hash = s.text !== undefined ? 'text=' + encodeBase64Url(s.text) : '';
  return { search: search ? '?' + search : '', hash: hash ? '#' + hash : '' };
}

export function encodeBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
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
