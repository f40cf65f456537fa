// What a simulation is made of besides the Kafka model itself. sim/kafka may import only the engine,
// yet a run needs the timeline's fault actions (sim/faults), the ledger and the invariant checks
// (sim/check) and the clients (clients/). Each is a part: given the simulation's model, it returns
// what it adds (SimulationPart). assemble-simulation.ts installs the parts it is handed, in a fixed
// order, into the simulation's InstalledParts: the one object that answers "what runs in this
// simulation?", field by field.

import type { BrokerExtension } from './broker.ts';
import { fanOutClientObservers, type ClientObserver } from './client-observer.ts';
import type { ModelObserver } from './cluster.ts';
import { NO_GROUPS, type GroupQueries } from './group-queries.ts';
import { MissingLedger, type LedgerPort } from './ledger-port.ts';
import type { MetricsPort } from './metrics-port.ts';
import type { Simulation } from './simulation.ts';
import type { Action, NodeName, TimelineStep } from './spec.ts';

/** Runs one timeline action of type T against the simulation (its brokers chosen already). */
export type ActionHandler<T extends Action['type'] = Action['type']> =
  (sim: Simulation, action: Extract<Action, { type: T }>, step: TimelineStep) => void;

/** Timeline actions by type, each handler typed for its own action. */
export type ActionHandlers = { [T in Action['type']]?: ActionHandler<T> };

/** What a client node does when the timeline crashes, restarts or pauses it. */
export interface NodeFaults {
  crash(): void;
  restart(): void;
  pause?(forUs: number): void;
}

/** What one part adds to a simulation; each field is optional. */
export interface SimulationPart {
  /** Watchers of the model's state changes, called after those of earlier parts. */
  readonly observers?: readonly ModelObserver[];
  /** Listeners to the clients' reports on records (the ledger, the consumption checker). */
  readonly clientObservers?: readonly ClientObserver[];
  /** The timeline actions this part runs; a type has one handler in a simulation. */
  readonly actions?: ActionHandlers;
  /** Crash, restart and pause of the client nodes this part runs, by node name. */
  readonly nodeFaults?: ReadonlyMap<NodeName, NodeFaults>;
  /** Request kinds the brokers serve for this part (InitProducerId, the group coordinator, …). */
  readonly brokerExtensions?: readonly BrokerExtension[];
  /** Runs after every event: the invariants that must hold at all times. */
  readonly afterEachEvent?: () => void;
  /** Run by Simulation.run() once the scenario's duration is reached: the expensive full checks (they change nothing, so may run again). */
  readonly endOfRunChecks?: readonly (() => void)[];
  /** Run once by Simulation.run() after the checks: what is written at the end (the journal's final counts and lost records). */
  readonly atEnd?: readonly (() => void)[];
  /** The ledger of every record's life (sim/check); one part at most gives it. */
  readonly ledger?: LedgerPort;
  /** The consumer groups (the clients); one part at most gives them. */
  readonly groupQueries?: GroupQueries;
  /** Ask the producers to keep each record's send() time (BatchRef.sendTimesUs): the metrics part's produce latency. Install such a part before the clients. */
  readonly keepSendTimes?: boolean;
  /** Kafka's metrics as time series (metrics.ts); one part at most gives them. */
  readonly metrics?: MetricsPort;
}

/** A part, built against one simulation's model (its scheduler, streams, network and cluster). */
export type PartBuilder = (sim: Simulation) => SimulationPart;

/** Every part of one simulation, merged in the order they were installed. */
export class InstalledParts {
  readonly observers: ModelObserver[] = [];
  readonly clientObservers: ClientObserver[] = [];
  /** Every client observer as one, for the producers and consumers to report to. */
  readonly clientObserver: ClientObserver = fanOutClientObservers(this.clientObservers);
  readonly actions: ActionHandlers = {};
  readonly nodeFaults = new Map<NodeName, NodeFaults>();
  readonly brokerExtensions: BrokerExtension[] = [];
  readonly afterEachEvent: (() => void)[] = [];
  readonly endOfRunChecks: (() => void)[] = [];
  readonly atEnd: (() => void)[] = [];
  /** A part asked the producers to keep each record's send() time. */
  keepSendTimes = false;
  /** The metrics part's series, when the simulation has one. */
  metrics: MetricsPort | undefined = undefined;
  private givenLedger: LedgerPort | undefined;
  private givenGroups: GroupQueries | undefined;
  private readonly missingLedger = new MissingLedger();

  /** The checks part's ledger, or one that says it is missing when asked for results. */
  get ledger(): LedgerPort {
    return this.givenLedger ?? this.missingLedger;
  }

  get groupQueries(): GroupQueries {
    return this.givenGroups ?? NO_GROUPS;
  }

  /** Merges one part in; two parts may not claim the same action, node, ledger or groups. */
  add(part: SimulationPart): void {
    this.observers.push(...(part.observers ?? []));
    this.clientObservers.push(...(part.clientObservers ?? []));
    for (const type of Object.keys(part.actions ?? {}) as Action['type'][]) {
      if (this.actions[type] !== undefined) throw new Error(`two parts handle the timeline action ${type}`);
      Object.assign(this.actions, { [type]: part.actions![type] });
    }
    for (const [node, faults] of part.nodeFaults ?? []) {
      if (this.nodeFaults.has(node)) throw new Error(`two parts run the node ${String(node)}`);
      this.nodeFaults.set(node, faults);
    }
    this.brokerExtensions.push(...(part.brokerExtensions ?? []));
    if (part.afterEachEvent !== undefined) this.afterEachEvent.push(part.afterEachEvent);
    this.endOfRunChecks.push(...(part.endOfRunChecks ?? []));
    this.atEnd.push(...(part.atEnd ?? []));
    if (part.keepSendTimes === true) this.keepSendTimes = true;
    if (part.metrics !== undefined) {
      if (this.metrics !== undefined) throw new Error('two parts record the metrics');
      this.metrics = part.metrics;
    }
    if (part.ledger !== undefined) {
      if (this.givenLedger !== undefined) throw new Error('two parts give the simulation a ledger');
      this.givenLedger = part.ledger;
    }
    if (part.groupQueries !== undefined) {
      if (this.givenGroups !== undefined) throw new Error('two parts answer the consumer-group queries');
      this.givenGroups = part.groupQueries;
    }
  }
}
