// "Did you mean …?" for misspelt keys, actions, expectations and Kafka config names: the closest
// known name by edit distance, offered only when it is close enough to be a plausible typo.

/** Optimal-string-alignment distance: Levenshtein plus adjacent transpositions (`lsot` → `lost` is 1). */
export function editDistance(a: string, b: string): number {
  return boundedDistance(a, b, Math.max(a.length, b.length));
}

/**
 * The distance of `a` and `b` if it is at most `max`, else `max + 1`; three rows of memory, and it
 * gives up as soon as a row has nothing within `max` (so a long name costs little against far ones).
 */
function boundedDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Array<number>(b.length + 1).fill(0);
  let previousMin = 0;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2] + 1);
      current[j] = d;
      if (d < rowMin) rowMin = d;
    }
    // a transposition reaches back two rows, so give up only when two rows in a row are out of reach
    if (rowMin > max && previousMin > max) return max + 1;
    previousMin = rowMin;
    [before, previous, current] = [previous, current, before];
  }
  return Math.min(previous[b.length], max + 1);
}

/** How many edits still look like a typo rather than a different word. */
function tolerance(name: string): number {
  // "2" is one edit from "0", but that is no typo: very short names get no guess.
  if (name.length <= 2) return 0;
  if (name.length <= 3) return 1;
  if (name.length <= 6) return 2;
  return 3;
}

/** Names longer than this get no guess: nobody mistypes a 200-character name by one letter. */
const MAX_GUESSED_LENGTH = 100;

/**
 * The known name closest to `name`, or undefined when none is close; ties go to the earlier
 * candidate. Each candidate costs at most a few rows of work, so a guess is linear in the candidates.
 */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  if (name.length > MAX_GUESSED_LENGTH) return undefined;
  const lower = name.toLowerCase();
  const within = tolerance(name);
  let best: string | undefined;
  let bestDistance = within + 1;
  for (const candidate of candidates) {
    if (Math.abs(candidate.length - name.length) > within) continue;
    const distance = boundedDistance(lower, candidate.toLowerCase(), bestDistance - 1);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** ` (did you mean "x"?)`, or the empty string, ready to append to a message. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const match = closest(name, candidates);
  return match === undefined ? '' : ` (did you mean "${match}"?)`;
}
