// Who hears about the clients' records: the simulation's ledger (sim.ledger, read at call time since
// sim/check installs it) and any observer registered with observeClients — the consumption checker
// of sim/check registers itself this way, before or after the clients are built.

import type { Simulation } from '../simulation.ts';
import type { ClientObserver } from './observer.ts';

const extra = new WeakMap<Simulation, ClientObserver[]>();

/** Adds an observer of every producer and consumer of `sim`. */
export function observeClients(sim: Simulation, o: ClientObserver): void {
  let list = extra.get(sim);
  if (list === undefined) {
    list = [];
    extra.set(sim, list);
  }
  list.push(o);
}

type Method = keyof ClientObserver;

/** One ClientObserver that forwards every call to the ledger and the registered observers. */
export function clientFanOut(sim: Simulation): ClientObserver {
  const forward = <K extends Method>(k: K) => (...args: Parameters<NonNullable<ClientObserver[K]>>): void => {
    const ledgerFn = sim.ledger[k] as ((...a: unknown[]) => void) | undefined;
    ledgerFn?.apply(sim.ledger, args);
    for (const o of extra.get(sim) ?? []) (o[k] as ((...a: unknown[]) => void) | undefined)?.apply(o, args);
  };
  return {
    recordsCreated: forward('recordsCreated'),
    batchSent: forward('batchSent'),
    batchAcked: forward('batchAcked'),
    batchFailed: forward('batchFailed'),
    batchAbandoned: forward('batchAbandoned'),
    consumed: forward('consumed'),
    positionChanged: forward('positionChanged'),
    assignmentChanged: forward('assignmentChanged'),
  };
}
