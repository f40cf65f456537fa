// "Did you mean …?" for misspelt keys, actions, expectations and Kafka config names: the closest
// known name by edit distance, offered only when it is close enough to be a plausible typo.

/** Optimal-string-alignment distance: Levenshtein plus adjacent transpositions (`lsot` → `lost` is 1). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** How many edits still look like a typo rather than a different word. */
function tolerance(name: string): number {
  // "2" is one edit from "0", but that is no typo: very short names get no guess.
  if (name.length <= 2) return 0;
  if (name.length <= 3) return 1;
  if (name.length <= 6) return 2;
  return 3;
}

/** The known name closest to `name`, or undefined when none is close; ties go to the earlier candidate. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= tolerance(name) ? best : undefined;
}

/** ` (did you mean "x"?)`, or the empty string, ready to append to a message. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const match = closest(name, candidates);
  return match === undefined ? '' : ` (did you mean "${match}"?)`;
}
