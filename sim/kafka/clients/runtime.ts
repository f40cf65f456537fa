// Everything the clients add to one simulation, as its clients part, and the queries on them: the
// producer and consumer hosts, InitProducerId, the group coordinators and __consumer_offsets
// placement (broker extensions), the timeline actions
// stop-producer, start-producer, reset-offsets, start-consumer, stop-consumer and crash-consumer, crash, restart and pause of client nodes, and the
// `kafka-consumer-groups --describe` view (GroupQueries) that the expectations, the CLI and the
// front end read through sim.parts.groupQueries.

import { configBoolean, configNumber } from '../config.ts';
import { behavioursOf, CURRENT_VERSION } from '../versions.ts';
import type { BrokerExtension } from '../broker.ts';
import type { ModelObserver } from '../cluster.ts';
import type { GroupOffsetRow, GroupQueries } from '../group-queries.ts';
import type { ActionHandlers, NodeFaults, SimulationPart } from '../parts.ts';
import type { Simulation } from '../simulation.ts';
import type { NodeName, TimelineStep } from '../spec.ts';
import { ConsumerHost } from './consumer-host.ts';
import { GroupCoordinator } from './group-coordinator.ts';
import { tpKey } from './group-protocol.ts';
import { describeGroup, type GroupDescribeRow } from './lag.ts';
import { OffsetsTopic } from './offsets-topic.ts';
import { ProducerHost } from './producer-host.ts';
import { ProducerIds, INIT_PRODUCER_ID, INIT_PRODUCER_ID_RESPONSE } from './producer-id.ts';
import { resetOffsets } from './reset-offsets.ts';

/** KafkaController.onControllerFailover: the first auto-rebalance check, 5 s after the controller starts. */
const ZK_FIRST_REBALANCE_CHECK_US = 5_000_000;

export class ClientsRuntime implements SimulationPart, GroupQueries {
  readonly producers = new Map<string, ProducerHost>();
  readonly consumers = new Map<string, ConsumerHost>();
  readonly producerIds = new ProducerIds();
  readonly offsetsTopic: OffsetsTopic;
  readonly coordinator: GroupCoordinator;

  // -- the part ------------------------------------------------------------------------------------
  readonly observers: ModelObserver[];
  readonly brokerExtensions: BrokerExtension[];
  readonly nodeFaults = new Map<NodeName, NodeFaults>();
  readonly actions: ActionHandlers = {
    'stop-producer': (_s, a) => this.producer(a.producer).setLoad(false),
    'start-producer': (_s, a) => this.producer(a.producer).setLoad(true),
    'reset-offsets': (_s, a) => resetOffsets(this.sim, this.coordinator, this.offsetsTopic, a),
    'start-consumer': (_s, a, step) => this.skippedUnless(step, a.type, this.consumer(a.consumer).startConsumer()),
    'stop-consumer': (_s, a, step) => this.skippedUnless(step, a.type, this.consumer(a.consumer).stopConsumer()),
    'crash-consumer': (_s, a, step) => this.skippedUnless(step, a.type, this.consumer(a.consumer).crashConsumer()),
  };
  /** The runtime answers the consumer-group queries itself (groups, groupOffsets below). */
  readonly groupQueries: GroupQueries = this;

  constructor(readonly sim: Simulation) {
    const spec = sim.spec;
    this.offsetsTopic = new OffsetsTopic(spec.brokers, configNumber('broker', 'offsets.topic.num.partitions', spec.brokerConfig), sim.streams.stream('placement:__consumer_offsets'));
    this.coordinator = new GroupCoordinator(this.offsetsTopic, (group) => sim.streams.stream(`group-coordinator:${group}`));
    this.observers = [this.followControllerDecisions()];
    // a broker starts and stops its extensions in this order
    this.brokerExtensions = [this.initProducerId(), this.groupCoordinator()];
    for (const p of spec.producers) {
      const host = new ProducerHost(sim, p, this.producerIds);
      this.producers.set(p.id, host);
      this.nodeFaults.set(p.id, { crash: () => host.crash(), restart: () => host.restart() });
    }
    for (const c of spec.consumers) {
      const host = new ConsumerHost(sim, c);
      this.consumers.set(c.id, host);
      this.nodeFaults.set(c.id, { crash: () => host.crash(), restart: () => host.restart(), pause: (us) => host.pause(us) });
    }
  }

  producer(id: string): ProducerHost {
    const p = this.producers.get(id);
    if (!p) throw new Error(`no producer called ${id} (producers: ${[...this.producers.keys()].join(', ') || 'none'})`);
    return p;
  }

  consumer(id: string): ConsumerHost {
    const c = this.consumers.get(id);
    if (!c) throw new Error(`no consumer called ${id} (consumers: ${[...this.consumers.keys()].join(', ') || 'none'})`);
    return c;
  }

  /** A consumer step that found nothing to do is traced as skipped, with the reason. */
  private skippedUnless(step: TimelineStep, action: string, reason: string | undefined): void {
    if (reason === undefined) return;
    const index = step.index ?? this.sim.spec.timeline.indexOf(step);
    this.sim.cluster.emit({ t: this.sim.now, type: 'step-skipped', step: index, action, reason });
  }

  // -- queries -------------------------------------------------------------------------------------

  /** Every group the scenario's consumers belong to or that has offsets, sorted. */
  groups(): string[] {
    const ids = new Set<string>();
    for (const c of this.consumers.values()) ids.add(c.spec.group);
    for (const g of this.offsetsTopic.offsets.keys()) ids.add(g);
    return [...ids].sort();
  }

  /** The group's state as its coordinator has it (Empty when it has none). */
  groupState(group: string): string {
    return this.coordinator.groupState(group);
  }

  /** The describe rows as the expectations and the CLI read them (GroupQueries). */
  groupOffsets(group: string): GroupOffsetRow[] {
    return this.describeGroup(group).map((r) => ({
      topic: r.topic, partition: r.partition, committed: r.currentOffset, logEndOffset: r.logEndOffset,
      consumerId: r.consumerId, host: r.host, clientId: r.clientId,
    }));
  }

  /** GroupQueries.position: the consumer's fetch position, when it has a valid one. */
  position(consumer: string, topic: string, partition: number): number | undefined {
    const host = this.consumers.get(consumer);
    const p = host?.running ? host.consumer.subscriptions.get(topic, partition) : undefined;
    return p !== undefined && p.state === 'FETCHING' ? p.position : undefined;
  }

  /** `kafka-consumer-groups --describe --group <group>`. */
  describeGroup(group: string): GroupDescribeRow[] {
    const live = this.coordinator.liveGroup(group);
    const stored = this.offsetsTopic.groups.get(group);
    const members = live !== undefined ? [...live.members.values()] : stored?.members ?? [];
    // GroupMetadataManager.describeGroups: a group that is not Stable is described without its
    // members' assignments (describeNoMetadata)
    const described = live !== undefined && live.state !== 'Stable' ? members.map((m) => ({ ...m, assignment: [] })) : members;
    const offsets = this.offsetsTopic.offsets.get(group);
    return describeGroup({
      group,
      state: this.groupState(group),
      members: described.map((m) => ({ memberId: m.memberId, clientId: m.clientId, host: m.host, assignment: m.assignment })),
      committed: (tp) => this.offsetsTopic.committed(group, tp.topic, tp.partition)?.offset,
      committedPartitions: offsets === undefined ? [] : [...offsets.values()].map((o) => ({ topic: o.topic, partition: o.partition })),
      highWatermark: (tp) => this.sim.partition(tpKey(tp.topic, tp.partition))?.highWatermark ?? undefined,
    });
  }

  // -- broker side ---------------------------------------------------------------------------------

  /**
   * The offsets partitions' leaders follow the controller's fencing and rebalancing: an observer of
   * its decisions, and the preferred-leader check of auto.leader.rebalance.enable, on the controller's
   * schedule. ZooKeeper (KafkaController.onControllerFailover): 5 s after the start, then every
   * leader.imbalance.check.interval.seconds. KRaft (QuorumController.maybeScheduleNextBalancePartitionLeaders,
   * from 3.2): an interval after a leadership left its preferred replica, and again an interval after
   * each check while one is left; before 3.2 a KRaft controller had no such check (versions.ts).
   */
  private followControllerDecisions(): ModelObserver {
    const topic = this.offsetsTopic;
    const spec = this.sim.spec;
    const cfg = spec.brokerConfig;
    if (configBoolean('broker', 'auto.leader.rebalance.enable', cfg)) {
      const intervalUs = configNumber('broker', 'leader.imbalance.check.interval.seconds', cfg) * 1_000_000;
      const scheduler = this.sim.scheduler;
      if (spec.controller === 'zookeeper') {
        scheduler.after(ZK_FIRST_REBALANCE_CHECK_US, () => {
          topic.preferredLeaderRebalance();
          scheduler.every(intervalUs, () => topic.preferredLeaderRebalance());
        });
      } else if (behavioursOf(spec.kafkaVersion ?? CURRENT_VERSION).kraftAutoLeaderRebalance) {
        let scheduled = false;
        const imbalanced = (): boolean => topic.leaders.some((l, p) => l !== topic.assignment[p][0]);
        const maybeSchedule = (): void => {
          if (scheduled || !imbalanced()) return;
          scheduled = true;
          scheduler.after(intervalUs, () => {
            // still scheduled while it runs: its own moves do not schedule another
            topic.preferredLeaderRebalance();
            scheduled = false;
            maybeSchedule();
          });
        };
        topic.onLeaderChange(() => maybeSchedule());
      }
    }
    return {
      event: (e) => {
        if (e.type === 'broker-fenced' || e.type === 'broker-controlled-shutdown') topic.brokerLost(e.broker as number);
        // a KRaft broker is usable once unfenced; a ZooKeeper one once registered (it is never fenced on its way back)
        else if (e.type === 'broker-unfenced' || (e.type === 'broker-registered' && spec.controller === 'zookeeper')) topic.brokerBack(e.broker as number);
      },
    };
  }

  /** The group coordinator's requests (JoinGroup, SyncGroup, Heartbeat, OffsetCommit, …). */
  private groupCoordinator(): BrokerExtension {
    const c = this.coordinator;
    return {
      kinds: c.kinds,
      handle: (broker, msg, ctx) => c.handle(broker, msg, ctx),
      started: (broker) => c.started(broker),
      stopped: (broker) => c.stopped(broker),
    };
  }

  /** InitProducerId, answered by any broker from its block of ids (see producer-id.ts). */
  private initProducerId(): BrokerExtension {
    const ids = this.producerIds;
    return {
      kinds: [INIT_PRODUCER_ID],
      handle: (broker, msg, ctx) => {
        ctx.reply(msg, { kind: INIT_PRODUCER_ID_RESPONSE, correlationId: msg.body.correlationId, error: 'NONE', producerId: ids.allocate(broker.id), producerEpoch: 0 } as never);
      },
      stopped: (broker) => ids.forget(broker.id),
    };
  }
}
