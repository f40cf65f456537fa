// The fault vocabulary of docs/scenario-format.md that concerns brokers, the controller and the network, each
// run as an event of the simulation's own queue and traced: crash, restart, shutdown, power-loss,
// disk-loss, pause, isolate, partition, cut, slow, heal, and the operator's tools alter-config
// (kafka-configs), elect-leaders (kafka-leader-election), add-partitions (kafka-topics --alter) and
// reassign (kafka-reassign-partitions).
// Client nodes in crash/restart/pause are handed to the part that runs them (sim.parts.nodeFaults:
// the clients); reset-offsets, stop-producer and start-producer are the clients' own actions.

import type { Action, ActionHandlers, BrokerChoice, NodeName, Simulation, TimelineStep } from '../kafka/index.ts';
import { CONTROLLER, brokerChoiceOf, isBrokerChoice } from '../kafka/index.ts';
import { parsePartitionName } from '../kafka/spec.ts';
import type { EventOf } from '../kafka/trace-events.ts';
import { dynamicBrokerConfigError } from '../kafka/dynamic-broker-config.ts';

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
  isolate: (s, act, step) => {
    const node = controllerNode(s, chosen(act.node), step, 'isolate');
    if (node === undefined) return;
    s.network.isolate(node);
    noteQuorumFault(s, [node]);
    networkFault(s, { action: 'isolate', node });
  },
  partition: (s, act, step) => {
    const resolved = act.groups.map((g) => g.map((n) => controllerNode(s, n, step, 'partition')));
    if (resolved.some((g) => g.some((n) => n === undefined))) return;
    const groups = resolved as NodeName[][];
    s.network.partition(groups);
    // the active controller is cut off if its side holds no majority of the quorum
    if (s.quorum) {
      const active = s.quorum.activeNode();
      const side = active && groups.find((g) => g.includes(active.name));
      if (active && side && side.filter((n) => s.quorum!.node(String(n))).length * 2 <= s.quorum.nodes.length) noteQuorumFault(s, [active.name]);
    }
    networkFault(s, { action: 'partition', groups, rack: act.rack });
  },
  cut: (s, act, step) => {
    const from = controllerNode(s, act.from, step, 'cut');
    const to = controllerNode(s, act.to, step, 'cut');
    if (from === undefined || to === undefined) return;
    s.network.cut(from, to);
    networkFault(s, { action: 'cut', from, to });
  },
  slow: (s, act, step) => {
    const { link, latencyUs } = act;
    const node = act.node === undefined ? undefined : controllerNode(s, act.node, step, 'slow');
    if (act.node !== undefined && node === undefined) return;
    if (link) s.network.slowLink(link[0], link[1], latencyUs);
    else if (node !== undefined) s.network.slowNode(node, latencyUs);
    networkFault(s, { action: 'slow', node, link, latencyUs });
  },
  heal: (s, act, step) => {
    const node = act.node === 'all' ? 'all' : controllerNode(s, act.node, step, 'heal');
    if (node === undefined) return;
    s.network.heal(node);
    networkFault(s, { action: 'heal', node });
  },
  'alter-config': (s, act) => withActiveController(s, 'alter-config', () => alterConfig(s, act)),
  'elect-leaders': (s, act) => withActiveController(s, 'elect-leaders', () => electLeaders(s, act)),
  'add-partitions': (s, act) => withActiveController(s, 'add-partitions', () => addPartitions(s, act)),
  reassign: (s, act) => withActiveController(s, 'reassign', () => reassign(s, act)),
};

/**
 * An operator's tool talks to the active controller; a quorum without one leaves the request
 * unanswered until the tool gives up (default.api.timeout.ms), traced as the tool's error.
 */
function withActiveController(s: Simulation, action: string, run: () => void): void {
  if (!s.quorum || s.quorum.activeNode()) return run();
  s.cluster.emit({ t: s.now, type: 'admin-error', action, code: 'NOT_CONTROLLER', message: 'no controller of the quorum is active: the request times out' });
}

/**
 * With a controller quorum, `controller` and `active-controller` name whichever node is the active
 * controller when the step runs; with none active the step is skipped, traced with the reason.
 * Other names (and the single controller's `controller`) pass through.
 */
function controllerNode(s: Simulation, node: NodeName, step: TimelineStep, action: string): NodeName | undefined {
  if (!s.quorum || (node !== CONTROLLER && node !== 'active-controller')) return node;
  const active = s.quorum.activeNode();
  if (active) return active.name;
  const index = step.index ?? s.spec.timeline.indexOf(step);
  s.cluster.emit({ t: s.now, type: 'step-skipped', step: index, action, reason: `${String(node)}: no controller is active` });
  return undefined;
}

/** A fault that cuts off or freezes the active controller starts the gap without one (controller-quorum.ts). */
function noteQuorumFault(s: Simulation, nodes: NodeName[]): void {
  for (const n of nodes) if (typeof n === 'string') s.quorum?.noteFault(n);
}

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
  for (const written of nodes) {
    const node = controllerNode(s, written, step, what);
    if (node === undefined) continue;
    const voter = s.quorum && typeof node === 'string' ? s.quorum.node(node) : undefined;
    if (voter) {
      const down = s.quorum!.isDown(voter.name);
      if (what === 'crash' ? down : !down) {
        const index = step.index ?? s.spec.timeline.indexOf(step);
        s.cluster.emit({ t: s.now, type: 'step-skipped', step: index, action: what, reason: `${voter.name} is already ${down ? 'down' : 'running'}` });
      } else if (what === 'crash') s.quorum!.crash(voter.name);
      else s.quorum!.restart(voter.name);
      continue;
    }
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
  const node = controllerNode(s, chosen(act.node), step, 'pause');
  if (node === undefined) return;
  noteQuorumFault(s, [node]);
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
  // a broker config Kafka reads at start only: the tool's request fails whole (dynamic-broker-config.ts)
  const refused = resource === 'broker' ? dynamicBrokerConfigError(Object.keys(act.set)) : undefined;
  if (refused) {
    s.cluster.emit({ t: s.now, type: 'admin-error', action: 'alter-config', tool: 'kafka-configs', code: refused.code, message: refused.message });
    return;
  }
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

/**
 * kafka-reassign-partitions --execute. With --throttle the tool first sets, on every broker of the
 * old and new replicas, leader.replication.throttled.rate and follower.replication.throttled.rate,
 * and on the topic the replicas throttled: the existing ones as leaders, the added ones as followers
 * (ReassignPartitionsCommand.modifyReassignmentThrottle / calculateProposedMoveMap).
 */
function reassign(s: Simulation, act: Of<'reassign'>): void {
  const names = s.cluster.names;
  const ref = parsePartitionName(act.partition);
  const idx = ref ? names.find(ref.topic, ref.partition) : -1;
  const current = idx >= 0 ? s.controller.image.partition(idx) : undefined;
  if (!ref || !current) {
    s.cluster.emit({ t: s.now, type: 'admin-error', action: 'reassign', tool: 'kafka-reassign-partitions', code: 'UNKNOWN_TOPIC_OR_PARTITION', message: `partition ${act.partition} does not exist` });
    return;
  }
  if (act.throttle !== undefined) {
    const rate = { 'leader.replication.throttled.rate': act.throttle, 'follower.replication.throttled.rate': act.throttle };
    const involved = [...new Set([...current.replicas, ...act.replicas])].sort((a, b) => a - b);
    for (const b of involved) alterConfig(s, { type: 'alter-config', broker: b, set: rate, delete: [] });
    const topicConfig = s.controller.image.topics.get(ref.topic)?.config ?? {};
    const merged = (key: string, add: number[]): string[] => {
      const had = topicConfig[key];
      const list = Array.isArray(had) ? [...had] : typeof had === 'string' && had !== '' ? had.split(',') : [];
      for (const b of add) if (!list.includes(`${ref.partition}:${b}`)) list.push(`${ref.partition}:${b}`);
      return list;
    };
    const adding = act.replicas.filter((b) => !current.replicas.includes(b));
    alterConfig(s, {
      type: 'alter-config', topic: ref.topic, delete: [],
      set: { 'leader.replication.throttled.replicas': merged('leader.replication.throttled.replicas', current.replicas), 'follower.replication.throttled.replicas': merged('follower.replication.throttled.replicas', adding) },
    });
  }
  const r = s.controller.reassign(idx, act.replicas);
  if (r.error !== 'NONE') s.cluster.emit({ t: s.now, type: 'admin-error', action: 'reassign', tool: 'kafka-reassign-partitions', code: r.error, message: r.message });
}
