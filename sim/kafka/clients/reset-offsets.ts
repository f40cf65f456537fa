// The timeline action reset-offsets: `kafka-consumer-groups --reset-offsets --group G --topic T
// (--to-earliest | --to-latest | --to-offset N | --shift-by N) --execute`
// (ConsumerGroupCommand.resetOffsets, prepareOffsetsToReset). The tool refuses a group with live
// members, printing "Assignments can only be reset if the group 'G' is inactive, but the current
// state is S."; the run records that error in the trace (`admin-error`) instead of the new offsets.
// Offsets are clamped to [earliest, latest] as the tool clamps them (checkOffsetsRange), earliest
// being the leader's log start and latest the HW, and are
// committed without a generation, as AdminClient.alterConsumerGroupOffsets does; each partition's move
// is traced as an `offset-reset` with reason reset-offsets, as a consumer's own resets are.

import type { Simulation } from '../simulation.ts';
import type { Action } from '../spec.ts';
import type { GroupCoordinator } from './group-coordinator.ts';
import type { CommittedOffset } from './group-protocol.ts';
import type { OffsetsTopic } from './offsets-topic.ts';

type ResetOffsets = Extract<Action, { type: 'reset-offsets' }>;

const TOOL = 'kafka-consumer-groups';

export function resetOffsets(sim: Simulation, coordinator: GroupCoordinator, topic: OffsetsTopic, a: ResetOffsets): void {
  const fail = (message: string): void => {
    sim.cluster.emit({ t: sim.now, type: 'admin-error', tool: TOOL, action: 'reset-offsets', group: a.group, message });
  };
  const broker = topic.coordinatorFor(a.group);
  if (broker < 0 || sim.broker(broker).status !== 'running') {
    return fail('Error: Executing consumer group command failed due to org.apache.kafka.common.errors.CoordinatorNotAvailableException: The coordinator is not available.');
  }
  const state = coordinator.groupState(a.group);
  if (state !== 'Empty' && state !== 'Dead') {
    return fail(`Error: Assignments can only be reset if the group '${a.group}' is inactive, but the current state is ${state}.`);
  }
  const t = sim.topics().find((x) => x.name === a.topic);
  if (t === undefined) return fail(`Error: Executing consumer group command failed due to org.apache.kafka.common.errors.UnknownTopicOrPartitionException: This server does not host this topic-partition.`);
  const offsets: CommittedOffset[] = [];
  for (const p of t.partitions) {
    if (p.highWatermark === null || p.logStartOffset === null) return fail(`Error: Executing consumer group command failed due to org.apache.kafka.common.errors.LeaderNotAvailableException: There is no leader for this topic-partition as we are in the middle of a leadership election.`);
    // getLogStartOffsets / getLogEndOffsets: ListOffsets EARLIEST (the log start, above 0 once
    // retention deleted segments) and LATEST (read_uncommitted: the HW)
    const earliest = p.logStartOffset;
    const latest = p.highWatermark;
    let target: number;
    if (a.to === 'earliest') target = earliest;
    else if (a.to === 'latest') target = latest;
    else if ('offset' in a.to) target = a.to.offset;
    else {
      const current = topic.committed(a.group, p.topic, p.partition);
      if (current === undefined) return fail(`Error: Cannot shift offset for partition ${p.name} since there is no current committed offset`);
      target = current.offset + a.to.shiftBy;
    }
    offsets.push({ topic: p.topic, partition: p.partition, offset: Math.min(Math.max(target, earliest), latest), leaderEpoch: -1 });
  }
  const before = offsets.map((o) => topic.committed(a.group, o.topic, o.partition)?.offset ?? -1);
  topic.storeOffsets(a.group, offsets, sim.now);
  // each partition's committed offset moved: traced as an offset reset of the group, by the tool
  offsets.forEach((o, i) => {
    sim.cluster.emit({ t: sim.now, type: 'offset-reset', tool: TOOL, group: a.group, partition: `${o.topic}-${o.partition}`, from: before[i], to: o.offset, reason: 'reset-offsets' });
  });
  sim.cluster.emit({
    t: sim.now, type: 'offset-committed', group: a.group, member: '', coordinator: broker, admin: true,
    offsets: offsets.map((o) => [`${o.topic}-${o.partition}`, o.offset]),
  });
}
