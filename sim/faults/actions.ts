// The fault vocabulary of docs/scenario-format.md that concerns brokers, the controller and the network, each
// run as an event of the simulation's own queue and traced: crash, restart, shutdown, power-loss,
// disk-loss, pause, isolate, partition, cut, slow, heal, and the operator's tools alter-config
// (kafka-configs), elect-leaders (kafka-leader-election) and add-partitions (kafka-topics --alter).
// Client nodes in crash/restart/pause are handed to the part that runs them (sim.parts.nodeFaults:
// the clients); reset-offsets, stop-producer and start-producer are the clients' own actions.

import type { Action, ActionHandlers, BrokerChoice, NodeName, Simulation, TimelineStep } from '../kafka/index.ts';
import { CONTROLLER, brokerChoiceOf, isBrokerChoice } from '../kafka/index.ts';
import { parsePartitionName } from '../kafka/spec.ts';
import type { EventOf } from '../kafka/trace-events.ts';

type Of<T extends Action['type']> = Extract<Action, { type: T }>;

/** Every broker, controller and network action, by type. */
export const faultActions: ActionHandlers = {
  crash: (s, act, step) => {
    rackFault(s, 'crash', act.rack, act.nodes);
    forNodes(s, chosen(act.nodes), 'crash', step);
  },
  restart: (s, act, step) => {
    rackFault(s, 'restart', act.rack, act.nodes);
    forNodes(s, chosen(act.nodes), 'restart', step);
  },
  shutdown: (s, act, step) => rackFault(s, 'shutdown', act.rack, act.brokers) ?? chosen(act.brokers).forEach((id) => {
    if (!skipped(s, step, 'shutdown', id)) s.broker(id).shutdown();
  }),
  'power-loss': (s, act) => rackFault(s, 'power-loss', act.rack, act.brokers) ?? chosen(act.brokers).forEach((id) => s.broker(id).crash('power-loss')),
  'disk-loss': (s, act) => rackFault(s, 'disk-loss', act.rack, act.brokers) ?? chosen(act.brokers).forEach((id) => s.broker(id).crash('disk-loss')),
  pause: (s, act, step) => pause(s, act, step),
  isolate: (s, act) => {
    const node = chosen(act.node);
    s.network.isolate(node);
    networkFault(s, { action: 'isolate', node });
  },
  partition: (s, { groups, rack }) => {
    s.network.partition(groups);
    networkFault(s, { action: 'partition', groups, rack });
  },
  cut: (s, { from, to }) => {
    s.network.cut(from, to);
    networkFault(s, { action: 'cut', from, to });
  },
  slow: (s, { node, link, latencyUs }) => {
    if (link) s.network.slowLink(link[0], link[1], latencyUs);
    else if (node !== undefined) s.network.slowNode(node, latencyUs);
    networkFault(s, { action: 'slow', node, link, latencyUs });
  },
  heal: (s, { node }) => {
    s.network.heal(node);
    networkFault(s, { action: 'heal', node });
  },
  'alter-config': alterConfig,
  'elect-leaders': electLeaders,
  'add-partitions': addPartitions,
};

/** Handlers see brokers by id: Simulation.runStep resolves a step's BrokerChoice before calling them. */
function chosen<T>(target: T | BrokerChoice): T {
  if (isBrokerChoice(target)) throw new Error(`a broker choice (${target.choose}) reached its action unresolved`);
  return target;
}

function isBroker(s: Simulation, node: NodeName): node is number {
  return typeof node === 'number' && s.brokerNodes.has(node);
}

/**
 * Why the action would do nothing to broker `id` now (it is already down, still running, …), or
 * undefined. Power and disk loss always do something: to the machine, even when the process is down.
 */
function noEffect(s: Simulation, what: 'crash' | 'restart' | 'shutdown' | 'pause', id: number): string | undefined {
  const b = s.broker(id);
  const down = b.status === 'crashed' || b.status === 'stopped';
  switch (what) {
    case 'crash':
      return down ? `broker ${id} is already ${b.status}` : undefined;
    case 'restart':
      if (b.status === 'paused') return `broker ${id} is paused, not down`;
      if (b.status === 'running') return b.shuttingDown ? `broker ${id} is still shutting down` : `broker ${id} is already running`;
      return undefined;
    case 'shutdown':
      if (down) return `broker ${id} is ${b.status === 'stopped' ? 'already stopped' : 'crashed'}`;
      if (b.status === 'paused') return `broker ${id} is paused`;
      return b.shuttingDown ? `broker ${id} is already shutting down` : undefined;
    case 'pause':
      if (down) return `broker ${id} is ${b.status}`;
      return b.status === 'paused' ? `broker ${id} is already paused` : undefined;
  }
}

/**
 * A step that finds its broker where the action does nothing is traced as skipped, with the reason,
 * the way Simulation.runStep traces a choice that names no broker (a crash must not pass in silence).
 */
function skipped(s: Simulation, step: TimelineStep, what: 'crash' | 'restart' | 'shutdown' | 'pause', id: number): boolean {
  const reason = noEffect(s, what, id);
  if (reason === undefined) return false;
  const index = step.index ?? s.spec.timeline.indexOf(step);
  const choice = brokerChoiceOf(step.action);
  s.cluster.emit({
    t: s.now, type: 'step-skipped', step: index, action: what,
    ...(step.between ? { between: [step.between.minUs, step.between.maxUs] } : {}),
    ...(choice ? describeChoice(choice) : {}),
    broker: id, reason,
  });
  return true;
}

/** A choice as the trace shows it (as Simulation's step-resolved and step-skipped events do). */
function describeChoice(c: BrokerChoice): Record<string, unknown> {
  if (c.choose === 'any-of') return { choice: c.choose, among: c.brokers };
  if (c.choose === 'leader-of') return { choice: c.choose, partition: c.partition };
  return { choice: c.choose };
}

function forNodes(s: Simulation, nodes: NodeName[], what: 'crash' | 'restart', step: TimelineStep): void {
  for (const node of nodes) {
    if (isBroker(s, node)) {
      if (skipped(s, step, what, node)) continue;
      if (what === 'crash') s.broker(node).crash('crash');
      else s.broker(node).restart();
      continue;
    }
    const handler = s.parts.nodeFaults.get(node);
    if (!handler) throw new Error(`${what}: no broker or client called ${String(node)}`);
    handler[what]();
  }
}

/** The process freezes for `forUs`: a broker, the controller, or a client (GC pause, SIGSTOP). */
function pause(s: Simulation, act: Of<'pause'>, step: TimelineStep): void {
  const { forUs } = act;
  const node = chosen(act.node);
  if (isBroker(s, node)) {
    if (!skipped(s, step, 'pause', node)) s.broker(node).pause(forUs);
    return;
  }
  const handler = s.parts.nodeFaults.get(node);
  if (handler?.pause) return handler.pause(forUs);
  if (node !== CONTROLLER && !s.network.has(node)) throw new Error(`pause: no node called ${String(node)}`);
  s.network.pause(node);
  s.cluster.emit({ t: s.now, type: 'node-paused', node, forUs });
  s.scheduler.after(forUs, () => {
    s.network.resume(node);
    s.cluster.emit({ t: s.now, type: 'node-resumed', node });
  });
}

/** A fault written with `{ rack: a }`: traced once (`rack-fault`) before it reaches each broker of the rack. */
function rackFault(s: Simulation, action: EventOf<'rack-fault'>['action'], rack: string | undefined, nodes: NodeName[] | BrokerChoice): undefined {
  if (rack !== undefined) s.cluster.emit({ t: s.now, type: 'rack-fault', action, rack, brokers: chosen(nodes).filter((n): n is number => typeof n === 'number') });
  return undefined;
}

function networkFault(s: Simulation, fields: Omit<EventOf<'network-fault'>, 't' | 'type'>): void {
  s.cluster.emit({ t: s.now, type: 'network-fault', ...fields });
}

function alterConfig(s: Simulation, act: Of<'alter-config'>): void {
  const resource = act.topic !== undefined ? 'topic' : 'broker';
  const name = act.topic ?? (act.broker === undefined ? '' : String(act.broker));
  s.cluster.emit({ t: s.now, type: 'config-altered', resource, name, set: act.set, delete: act.delete });
  s.controller.alterConfig(resource, name, act.set, act.delete);
}

function electLeaders(s: Simulation, act: Of<'elect-leaders'>): void {
  const names = s.cluster.names;
  const idxs = act.partitions === 'all'
    ? s.controller.image.partitionIndexes()
    : act.partitions.map((n) => {
        const p = parsePartitionName(n);
        return p ? names.find(p.topic, p.partition) : -1;
      }).filter((i) => i >= 0);
  const results = s.controller.electLeaders(idxs, act.electionType);
  s.cluster.emit({ t: s.now, type: 'elect-leaders', electionType: act.electionType, results });
}

function addPartitions(s: Simulation, act: Of<'add-partitions'>): void {
  const r = s.controller.addPartitions(act.topic, act.count);
  if (r.error === 'NONE') s.cluster.emit({ t: s.now, type: 'partitions-added', topic: act.topic, count: act.count });
  else s.cluster.emit({ t: s.now, type: 'admin-error', action: 'add-partitions', topic: act.topic, code: r.error, message: r.message });
}
