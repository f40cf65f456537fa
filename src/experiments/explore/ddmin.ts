// Delta debugging (Zeller and Hildebrandt, "Simplifying and Isolating Failure-Inducing Input", 2002):
// the smallest sublist of a failing list that still fails, found by trying chunks and their
// complements at finer and finer granularity. The result is 1-minimal: removing any single item from
// it makes the failure go away. Pure over the predicate, so it shrinks faults, producers or consumers
// alike, and tests need no simulator.

/**
 * The smallest sublist (order kept) of `items` for which `fails` holds; `fails(items)` is assumed.
 * With `tryEmpty`, the empty list is tried first (a scenario that fails with no fault at all).
 */
export function ddmin<T>(items: readonly T[], fails: (subset: T[]) => boolean, opts: { tryEmpty?: boolean } = {}): T[] {
  if (items.length > 0 && opts.tryEmpty && fails([])) return [];
  let current = [...items];
  let n = 2;
  while (current.length >= 2) {
    const chunks = split(current, n);
    const subset = chunks.find((c) => fails(c));
    if (subset) {
      current = subset;
      n = 2;
      continue;
    }
    const complement = n > 2 ? complements(chunks).find((c) => fails(c)) : undefined;
    if (complement) {
      current = complement;
      n = Math.max(n - 1, 2);
      continue;
    }
    if (n >= current.length) break;
    n = Math.min(n * 2, current.length);
  }
  return current;
}

/** `items` cut into `n` chunks of nearly equal size, in order. */
function split<T>(items: T[], n: number): T[][] {
  const chunks: T[][] = [];
  let start = 0;
  for (let i = 0; i < n; i++) {
    const end = start + Math.floor((items.length - start) / (n - i));
    chunks.push(items.slice(start, end));
    start = end;
  }
  return chunks.filter((c) => c.length > 0);
}

function complements<T>(chunks: T[][]): T[][] {
  return chunks.map((_, i) => chunks.filter((__, j) => j !== i).flat());
}
