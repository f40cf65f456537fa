// Playback speed on a log scale: one slider step multiplies the speed by √10, from deep slow motion
// (a millisecond of simulated time over several seconds, to watch one fetch cross a link) to fast.
// Speed is simulated seconds per wall second.

export const SPEED_STEPS: readonly number[] = [
  0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30, 100,
];
export const DEFAULT_SPEED_INDEX = SPEED_STEPS.indexOf(1);

export function clampSpeedIndex(i: number): number {
  return Math.max(0, Math.min(SPEED_STEPS.length - 1, Math.round(i)));
}

/** The step closest (on the log scale) to an arbitrary speed, e.g. one read from a URL. */
export function nearestSpeedIndex(speed: number): number {
  if (!(speed > 0)) return DEFAULT_SPEED_INDEX;
  let best = 0;
  let bestDist = Infinity;
  SPEED_STEPS.forEach((s, i) => {
    const d = Math.abs(Math.log10(s) - Math.log10(speed));
    if (d < bestDist) {
      bestDist = d;
      best = i;
    }
  });
  return best;
}

export function formatSpeed(speed: number): string {
  if (speed >= 1) return `${speed}×`;
  const inv = Math.round(1 / speed);
  return `1/${inv}×`;
}

/**
 * Advance the playhead by a wall-clock delta. Wall time is clipped (a background tab or a long GC
 * must not leap the playhead across the story), and the result is whole microseconds.
 */
export function advance(tUs: number, wallDeltaMs: number, speed: number, endUs: number): number {
  const dt = Math.min(Math.max(wallDeltaMs, 0), 100);
  const next = tUs + Math.max(1, Math.round(dt * 1000 * speed));
  return Math.min(next, endUs);
}
