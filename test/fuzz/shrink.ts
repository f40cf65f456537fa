// Shrinks a failing scenario to a small one that fails the same way, so a fuzz failure is reported
// with a file a person can read: greedily deletes list items and mapping keys (and shortens the run)
// while the file still validates and the run still fails with the same signature. Bounded by a
// number of attempts, never by the clock, so it is as deterministic as the rest of the suite.
// The search may run with cheaper options than the failure was found with (a loop is shrunk against
// a small event limit), so shrinkConfirmed runs the result again the way the fuzz ran the original
// and keeps it only if it still fails the same way there.

import { isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import { parseScenario } from '../../src/scenario/index.ts';
import type { RunOptions } from '../../src/scenario/run.ts';
import { failureOf } from './oracle.ts';

/** Every way to make the document one step smaller: paths of removable items and keys. */
function candidates(doc: Document): ((d: Document) => boolean)[] {
  const out: ((d: Document) => boolean)[] = [];
  const walk = (node: unknown, path: (string | number)[]): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
        if (key === undefined) continue;
        out.push((d) => d.deleteIn([...path, key]));
        walk(pair.value, [...path, key]);
      }
    } else if (isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) {
        out.push((d) => d.deleteIn([...path, i]));
        walk(node.items[i], [...path, i]);
      }
    }
  };
  walk(doc.contents, []);
  return out;
}

/**
 * The smallest text found that still fails with `wanted`; at most `maxAttempts` runs. Deletions are
 * tried from the last candidate to the first so that list indexes stay valid after a success.
 */
export function shrink(text: string, wanted: string, opts: RunOptions, maxAttempts = 400): string {
  let best = text;
  let attempts = 0;
  let progress = true;
  while (progress && attempts < maxAttempts) {
    progress = false;
    const count = candidates(parseDocument(best)).length;
    for (let i = count - 1; i >= 0 && attempts < maxAttempts; i--) {
      const trial = parseDocument(best);
      const fresh = candidates(trial);
      if (i >= fresh.length) continue;
      try {
        if (!fresh[i](trial)) continue;
      } catch {
        continue;
      }
      const next = trial.toString({ lineWidth: 0 });
      attempts++;
      if (next.length < best.length && failureOf(next, opts)?.signature === wanted) {
        best = next;
        progress = true;
        break;
      }
    }
  }
  return shortenRun(best, wanted, opts);
}

/** Tries shorter durations (timeline steps past the new end make it invalid, and are skipped). */
function shortenRun(text: string, wanted: string, opts: RunOptions): string {
  const doc = parseDocument(text);
  const parsed = parseScenario(text, 'shrink.yaml');
  if (!parsed.ok) return text;
  const durationMs = parsed.scenario.durationUs / 1000;
  for (const ms of [1000, 2000, 5000, 10000, 20000]) {
    if (ms >= durationMs) break;
    doc.set('duration', `${ms}ms`);
    const next = doc.toString({ lineWidth: 0 });
    if (failureOf(next, opts)?.signature === wanted) return next;
  }
  return text;
}

export interface ShrinkOptions {
  /** How each candidate is run while searching (cheaper than `confirm`, e.g. a smaller event limit). */
  search: RunOptions;
  /** How the fuzz itself runs a scenario text (its event limit may depend on the text). */
  confirm: (text: string) => RunOptions;
  maxAttempts?: number;
}

export type Shrunk =
  | { confirmed: true; text: string }
  | { confirmed: false; text: string; rejected: string; why: string };

/**
 * Shrinks, then re-runs the result with `confirm`: the shrunk text when it still fails with `wanted`
 * there; otherwise the original text, with the rejected candidate and what its confirming run did.
 */
export function shrinkConfirmed(text: string, wanted: string, opts: ShrinkOptions): Shrunk {
  const small = shrink(text, wanted, opts.search, opts.maxAttempts);
  if (small === text) return { confirmed: true, text };
  const again = failureOf(small, opts.confirm(small));
  if (again?.signature === wanted) return { confirmed: true, text: small };
  const why = again === undefined ? 'runs cleanly' : `fails another way (${again.signature})`;
  return { confirmed: false, text, rejected: small, why };
}
