// The `timeline:` section: steps with `at`, one action each (or only a note). Steps may be written in
// any order; they are checked in time order (stable for equal times), so a step can use partitions
// that an earlier add-partitions created, exactly as the run will see them. A step whose moment is
// drawn from a window (`at: {between: [10s, 20s]}`) is placed at the window's start, the earliest it
// may run, and its references are checked as of then; partitions it adds count from the window's end,
// the moment by which they exist in every run.

import type { Context } from './context.ts';
import { FAULTS, type ActionReader } from './faults.ts';
import { OPERATIONS } from './operations.ts';
import { own } from './own.ts';
import { checkProcessStates, type TimedStep } from './process-states.ts';
import { EVENT_TYPES } from './event-types.ts';
import { asMap, item, key, keysOf, readInteger, readString, sectionItems } from './reader.ts';
import { readStepTime } from './step-time.ts';
import { didYouMean } from './suggest.ts';
import type { YEntry, YNode } from './tree.ts';
import { TIMELINE_ACTIONS, type NoteLink, type ScenarioStep } from './types.ts';

const ACTIONS: Readonly<Record<string, ActionReader>> = { ...FAULTS, ...OPERATIONS };
const STEP_KEYS: readonly string[] = ['at', 'note', 'explains', ...TIMELINE_ACTIONS];

/** A step whose keys are known, waiting for its action to be read in time order. */
interface PendingStep {
  step: ScenarioStep;
  action?: YEntry;
  /** The step's moment (a window's start) if `at` was readable; references are then checked as of that moment. */
  atUs: number | undefined;
  /** The last moment the step may run (a window's end). */
  latestUs: number | undefined;
}

export function readTimeline(ctx: Context, node: YNode | undefined, path: string): ScenarioStep[] {
  const pending = sectionItems(ctx.p, node, path).flatMap((n, i) => readStep(ctx, n, item(path, i)) ?? []);
  // A step with an unreadable `at` sorts first and is checked against the end of the run (it is an error anyway).
  const inTimeOrder = pending.map((s, i) => ({ s, i })).sort((a, b) => a.s.step.atUs - b.s.step.atUs || a.i - b.i);
  const read: TimedStep[] = [];
  for (const { s } of inTimeOrder) {
    if (!s.action) continue;
    const actionPath = key(s.step.path, s.action.key);
    const action = ACTIONS[s.action.key](ctx, s.action.value, actionPath, s.atUs, s.latestUs);
    if (action) s.step.action = action;
    if (action && s.atUs !== undefined) read.push({ action, node: s.action.value, path: actionPath, stepPath: s.step.path, atUs: s.atUs, between: s.step.between });
  }
  checkProcessStates(ctx, read);
  return pending.map((s) => s.step);
}

function readStep(ctx: Context, node: YNode, path: string): PendingStep | undefined {
  const map = asMap(ctx.p, node, path, 'a step like {at: 10s, crash: 1}');
  if (!map) return undefined;
  const k = keysOf(ctx.p, map, path, STEP_KEYS, { required: ['at'], unknown: unknownAction });
  const time = k.at && readStepTime(ctx, k.at.value, key(path, 'at'));
  const note = k.note && readString(ctx.p, k.note.value, key(path, 'note'), 'a caption (text)');
  const actions = map.entries.filter((e) => own(ACTIONS, e.key));
  for (const extra of actions.slice(1)) {
    ctx.p.add(extra.keyPos, key(path, extra.key), `one action per step: this step already has "${actions[0].key}" (write another step with the same at)`);
  }
  const misspelt = map.entries.some((e) => !STEP_KEYS.includes(e.key));
  if (actions.length === 0 && !k.note && !misspelt) ctx.p.add(map.pos, path, `a step needs an action (${TIMELINE_ACTIONS.join(', ')}) or a note`);
  const explains = k.explains && readExplains(ctx, k.explains.value, key(path, 'explains'));
  if (k.explains && !k.note) ctx.p.add(k.explains.keyPos, key(path, 'explains'), 'explains: names the event a note explains; this step has no note');
  const step: ScenarioStep = { atUs: time?.atUs ?? 0, source: map.pos, path };
  if (time?.between) step.between = time.between;
  if (note !== undefined) step.note = note;
  if (explains && note !== undefined) step.explains = explains;
  return { step, action: actions.length === 1 ? actions[0] : undefined, atUs: time?.atUs, latestUs: time?.between?.maxUs ?? time?.atUs };
}

/**
 * `explains: leader-elected` or `explains: {type: leader-elected, partition: orders-0, broker: 2}`:
 * the trace event a note's caption explains. The page shows the caption at the matching event nearest
 * the step's `at` (before or after it), so a note written at 70s about an election at 68.76s appears
 * with the election; the run itself is unchanged (the note is traced at `at` as always).
 */
function readExplains(ctx: Context, node: YNode, path: string): NoteLink | undefined {
  const checkType = (t: string | undefined, at: YNode, p: string) => {
    if (t === undefined) return undefined;
    if (EVENT_TYPES.includes(t)) return t;
    ctx.p.add(at.pos, p, `unknown event type "${t}"${didYouMean(t, EVENT_TYPES)} (explains: names a trace event type, as event: expectations do)`);
    return undefined;
  };
  if (node.kind !== 'map') {
    const type = checkType(readString(ctx.p, node, path, 'an event type (like leader-elected) or {type, partition, broker}'), node, path);
    return type === undefined ? undefined : { type };
  }
  const k = keysOf(ctx.p, node, path, ['type', 'partition', 'broker'], { required: ['type'] });
  const type = k.type && checkType(readString(ctx.p, k.type.value, key(path, 'type'), 'an event type'), k.type.value, key(path, 'type'));
  if (type === undefined) return undefined;
  const link: NoteLink = { type };
  const partition = k.partition && readString(ctx.p, k.partition.value, key(path, 'partition'), 'a partition name like orders-0');
  if (partition !== undefined) link.partition = partition;
  const broker = k.broker && readInteger(ctx.p, k.broker.value, key(path, 'broker'), { min: 0 }, 'a broker id');
  if (broker !== undefined) link.broker = broker;
  return link;
}

function unknownAction(name: string): string {
  const hint = didYouMean(name, STEP_KEYS);
  return hint !== '' ? `unknown action "${name}"${hint}` : `unknown action "${name}" (actions are ${TIMELINE_ACTIONS.join(', ')}, note)`;
}
