// A timeline step's `at`: a moment (`at: 10s`), or a window (`at: { between: [10s, 20s] }`) from
// which every run draws the moment, uniformly in whole microseconds with both ends included, from
// the step's own random stream (sim/kafka/spec.ts, timelineStream). So one file describes a family of
// failures, and a sweep's cells all see the same drawn moments for a seed.

import type { Context } from './context.ts';
import { formatDuration } from './durations.ts';
import { expected, item, key, keysOf, refuse } from './reader.ts';
import type { YNode } from './tree.ts';

export interface StepTime {
  /** The moment, or the window's start: the validator checks the step's references as of then. */
  atUs: number;
  between?: { minUs: number; maxUs: number };
}

const WINDOW = 'a window of two durations, like {between: [10s, 20s]}';

export function readStepTime(ctx: Context, node: YNode, path: string): StepTime | undefined {
  if (node.kind === 'seq') return expected(ctx.p, node, path, `a duration like 10s, or ${WINDOW}`);
  if (node.kind === 'scalar') {
    const atUs = ctx.instant(node, path);
    return atUs === undefined ? undefined : { atUs };
  }
  const k = keysOf(ctx.p, node, path, ['between'], { required: ['between'] });
  if (!k.between) return undefined;
  const windowPath = key(path, 'between');
  const bounds = k.between.value;
  if (bounds.kind !== 'seq') return expected(ctx.p, bounds, windowPath, 'two durations, like [10s, 20s]');
  if (bounds.items.length !== 2) return refuse(ctx.p, bounds, windowPath, `a window is two durations, like [10s, 20s]; got ${bounds.items.length}`);
  const [minUs, maxUs] = bounds.items.map((n, i) => ctx.instant(n, item(windowPath, i)));
  if (minUs === undefined || maxUs === undefined) return undefined;
  if (minUs > maxUs) {
    return refuse(ctx.p, bounds.items[1], item(windowPath, 1), `the window ends (${formatDuration(maxUs)}) before it starts (${formatDuration(minUs)})`);
  }
  return { atUs: minUs, between: { minUs, maxUs } };
}
