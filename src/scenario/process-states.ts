// Timeline steps that certainly do nothing: a crash of a broker that is already down, a restart of one
// that is running, a shutdown of one that is down or already shutting down, a pause of one that is
// down or already paused (and the same for a client's crash and restart). The run would skip them
// without a word, so the file is wrong; they are located errors.
//
// Each broker and client is followed through the timeline in the order the run takes the steps (time,
// then file order) as the set of states it may be in. Only what is certain is flagged: a step whose
// moment is drawn from a window (`at: {between: …}`) may fall before or after the steps around it, so
// until its window closes its targets may be in any state; a broker choice (any-of, leader-of) may
// name any of its candidates; a controlled shutdown may or may not have finished. What depends on the
// run is the simulation's to report (a `step-skipped` event, sim/faults/actions.ts). In ZooKeeper mode
// a restarted broker may have failed to start (its previous session still held its id), so it may be
// down again after a restart or a disk loss.

import type { Action, BrokerChoice, NodeName } from '../../sim/kafka/spec.ts';
import { isBrokerChoice } from '../../sim/kafka/spec.ts';
import type { Context } from './context.ts';
import { formatDuration } from './durations.ts';
import { item, key } from './reader.ts';
import type { YNode } from './tree.ts';

/** `stopping`: a controlled shutdown was asked for and may not have finished (the process still runs). */
export type ProcessState = 'running' | 'paused' | 'stopping' | 'down';
type State = ProcessState;
type ProcessAction = 'crash' | 'restart' | 'shutdown' | 'power-loss' | 'disk-loss' | 'pause';

const ANY: readonly State[] = ['running', 'paused', 'stopping', 'down'];

/** What an action does to a broker in each state; undefined: nothing (Broker.crash, restart, shutdown, pause). */
export const PROCESS_EFFECT: Readonly<Record<ProcessAction, Partial<Record<State, readonly State[]>>>> = {
  crash: { running: ['down'], paused: ['down'], stopping: ['down'] },
  // a machine losing power or its disk does something even when the process is down (its page cache, its disk)
  'power-loss': { running: ['down'], paused: ['down'], stopping: ['down'], down: ['down'] },
  'disk-loss': { running: ['running'], paused: ['running'], stopping: ['running'], down: ['down'] },
  restart: { down: ['running'] },
  shutdown: { running: ['stopping'] },
  // a broker shutting down still runs, so it can be paused (and its shutdown may then not finish)
  pause: { running: ['paused'], stopping: ['stopping', 'paused'] },
};

/** Clients have no shutdown or pause to follow here: only crash and restart, which do nothing twice. */
export const CLIENT_PROCESS_ACTIONS: ReadonlySet<string> = new Set(['crash', 'restart']);

const PAST: Record<ProcessAction, string> = {
  crash: 'crashed', 'power-loss': 'lost power', 'disk-loss': 'lost its disk', restart: 'restarted', shutdown: 'was shut down', pause: 'was paused',
};

const STATE_TEXT: Record<State, string> = { running: 'running', paused: 'paused', stopping: 'shutting down', down: 'down' };

/** One step of the timeline as the validator read it. */
export interface TimedStep {
  action: Action;
  /** The action's value in the file: the ids, or the mapping of a pause. */
  node: YNode;
  /** The action's path (`timeline[3].crash`) and the step's (`timeline[3]`). */
  path: string;
  stepPath: string;
  atUs: number;
  between?: { minUs: number; maxUs: number };
}

interface Process {
  name: string;
  states: Set<State>;
  /** The end of the latest pause that may hold it. */
  pausedUntilUs: number;
  /** Until then a step with a drawn moment may still change it: its state is unknown. */
  openUntilUs: number;
  /** The last step that changed it, for messages. */
  cause: string;
}

/** Checks the steps, in the order the run takes them, and reports the ones that certainly do nothing. */
export function checkProcessStates(ctx: Context, steps: readonly TimedStep[]): void {
  const processes = new Map<NodeName, Process>();
  for (const b of ctx.brokers ?? []) processes.set(b, newProcess(`broker ${b}`));
  for (const id of ctx.clients.keys()) processes.set(id, newProcess(`client ${id}`));
  for (const step of steps) {
    const type = step.action.type;
    if (!(type in PROCESS_EFFECT)) continue;
    const action = type as ProcessAction;
    const targets = targetsOf(step.action);
    if (targets === undefined) continue;
    if (isBrokerChoice(targets)) {
      chosen(ctx, processes, step, action, targets);
      continue;
    }
    targets.forEach((target, i) => {
      const p = processes.get(target);
      if (!p || (typeof target === 'string' && !CLIENT_PROCESS_ACTIONS.has(action))) return;
      apply(ctx, p, step, action, targetAt(step, i));
    });
  }
}

/** Where the i-th target is written: an item of a list, the value of `crash: 1`, a pause's broker or node. */
function targetAt(step: TimedStep, i: number): { node: YNode; path: string } {
  if (step.node.kind === 'seq') return { node: step.node.items[i], path: item(step.path, i) };
  if (step.node.kind === 'map') {
    const entry = step.node.entries.find((e) => e.key === 'broker' || e.key === 'node');
    if (entry) return { node: entry.value, path: key(step.path, entry.key) };
  }
  return { node: step.node, path: step.path };
}

function newProcess(name: string): Process {
  return { name, states: new Set(['running']), pausedUntilUs: -1, openUntilUs: -1, cause: 'running since the run started' };
}

function targetsOf(action: Action): NodeName[] | BrokerChoice | undefined {
  switch (action.type) {
    case 'crash': case 'restart': return action.nodes;
    case 'shutdown': case 'power-loss': case 'disk-loss': return action.brokers;
    case 'pause': return isBrokerChoice(action.node) ? action.node : [action.node];
    default: return undefined;
  }
}

/** What may have happened to `p` by `atUs` without a step: a pause ended, a shutdown finished. */
function advance(p: Process, atUs: number): void {
  // the resume is scheduled after the timeline's steps, so a step at the pause's very end still finds it paused
  if (p.states.has('paused') && atUs > p.pausedUntilUs) {
    p.states.delete('paused');
    p.states.add('running');
  }
  if (p.states.has('stopping')) p.states.add('down');
}

function apply(ctx: Context, p: Process, step: TimedStep, action: ProcessAction, where: { node: YNode; path: string }): void {
  const whenText = step.between ? `between ${formatDuration(step.between.minUs)} and ${formatDuration(step.between.maxUs)}` : `at ${formatDuration(step.atUs)}`;
  advance(p, step.atUs);
  const open = step.between !== undefined || step.atUs <= p.openUntilUs;
  const next = new Set<State>();
  for (const s of p.states) for (const n of PROCESS_EFFECT[action][s] ?? [s]) next.add(n);
  // ZooKeeper mode: a process started while the previous one's session lives fails to start and
  // exits (NodeExistsException, sim/kafka/broker.ts), so after a restart it may be down again
  if (ctx.zookeeper && p.name.startsWith('broker ') && (action === 'restart' || action === 'disk-loss') && next.has('running')) next.add('down');
  if (!open && doesNothing(p, action)) {
    ctx.p.add(where.node.pos, where.path, `${p.name} is ${stateText(p)} at ${formatDuration(step.atUs)} (${p.cause}), so this ${action} would do nothing`);
    return;
  }
  if (action === 'pause' && step.action.type === 'pause') {
    p.pausedUntilUs = Math.max(p.pausedUntilUs, (step.between?.maxUs ?? step.atUs) + step.action.forUs);
  }
  if (step.between) p.openUntilUs = Math.max(p.openUntilUs, step.between.maxUs);
  p.states = open ? new Set(ANY) : next;
  p.cause = `it ${PAST[action]} ${whenText}, ${step.stepPath}${action === 'pause' && step.action.type === 'pause' ? ` for ${formatDuration(step.action.forUs)}` : ''}`;
}

function doesNothing(p: Process, action: ProcessAction): boolean {
  return [...p.states].every((s) => PROCESS_EFFECT[action][s] === undefined);
}

function stateText(p: Process): string {
  return ANY.filter((s) => p.states.has(s)).map((s) => STATE_TEXT[s]).join(' or ');
}

/** A choice made when the step runs: each candidate may or may not be the one. */
function chosen(ctx: Context, processes: Map<NodeName, Process>, step: TimedStep, action: ProcessAction, choice: BrokerChoice): void {
  const brokers = ctx.brokers ?? [];
  if (brokers.length === 0) return; // cluster.brokers is wrong, and said so
  const here = { node: step.node, path: step.path };
  if (choice.choose === 'crashed') {
    // every broker down then is restarted: the effect is known for each, only a window blurs it
    for (const b of brokers) advance(processes.get(b)!, step.atUs);
    if (!step.between && brokers.every((b) => step.atUs > processes.get(b)!.openUntilUs && !processes.get(b)!.states.has('down'))) {
      ctx.p.add(step.node.pos, step.path, `no broker is down at ${formatDuration(step.atUs)} (${brokers.map((b) => `${b} is ${stateText(processes.get(b)!)}`).join(', ')}), so this restart would do nothing`);
      return;
    }
    for (const b of brokers) {
      const p = processes.get(b)!;
      if (p.states.has('down') || step.between) apply(ctx, p, step, action, here);
    }
    return;
  }
  const candidates = (choice.choose === 'any-of' ? choice.brokers : brokers).filter((b) => processes.has(b));
  for (const b of candidates) advance(processes.get(b)!, step.atUs);
  const certain = (b: number): boolean => !step.between && step.atUs > processes.get(b)!.openUntilUs;
  if (choice.choose === 'any-of' && candidates.every((b) => certain(b) && doesNothing(processes.get(b)!, action))) {
    const each = candidates.map((b) => `${b} is ${stateText(processes.get(b)!)}`).join(', ');
    ctx.p.add(step.node.pos, step.path, `this ${action} would do nothing to any broker it may draw at ${formatDuration(step.atUs)} (${each})`);
    return;
  }
  for (const b of candidates) {
    const p = processes.get(b)!;
    const before = new Set(p.states);
    const cause = p.cause;
    const pausedUntilUs = p.pausedUntilUs;
    const affected = PROCESS_EFFECT[action];
    if ([...before].some((s) => affected[s] !== undefined) || step.between) {
      apply(ctx, p, step, action, { node: step.node, path: step.path });
      // this one may not be the one chosen: it may also be as it was
      for (const s of before) p.states.add(s);
      if (!step.between) p.cause = `it ${PAST[action]} at ${formatDuration(step.atUs)}, ${step.stepPath}, if it was the one chosen; else ${cause.replace(/; else .*$/, '')}`;
    }
    p.pausedUntilUs = Math.max(pausedUntilUs, p.pausedUntilUs);
  }
}
