// Who hears about the clients' records: the simulation's ledger (sim.ledger, read at call time since
// sim/check installs it) and any observer registered with observeClients — the consumption checker
// of sim/check registers itself this way, before or after the clients are built.

import type { Simulation } from '../simulation.ts';
import type { ClientObserver } from '../client-observer.ts';

const extra = new WeakMap<Simulation, ClientObserver[]>();

/** Adds an observer of every producer and consumer of `sim`. */
export function observeClients(sim: Simulation, o: ClientObserver): void {
  listOf(sim).push(o);
}

function listOf(sim: Simulation): ClientObserver[] {
  let list = extra.get(sim);
  if (list === undefined) {
    list = [];
    extra.set(sim, list);
  }
  return list;
}

/** One ClientObserver that forwards every call to the ledger and the registered observers. */
export function clientFanOut(sim: Simulation): ClientObserver {
  const list = listOf(sim); // the same array observeClients appends to, so late observers are seen
  return {
    onSend(producer, topic, nowUs) {
      sim.ledger.onSend?.(producer, topic, nowUs);
      for (const o of list) o.onSend?.(producer, topic, nowUs);
    },
    onSendError(producer, topic, code, nowUs) {
      sim.ledger.onSendError?.(producer, topic, code, nowUs);
      for (const o of list) o.onSendError?.(producer, topic, code, nowUs);
    },
    recordsCreated(ref, firstUs, lastUs, nowUs) {
      sim.ledger.recordsCreated?.(ref, firstUs, lastUs, nowUs);
      for (const o of list) o.recordsCreated?.(ref, firstUs, lastUs, nowUs);
    },
    batchSent(ref, broker, attempt, acks, nowUs) {
      sim.ledger.batchSent?.(ref, broker, attempt, acks, nowUs);
      for (const o of list) o.batchSent?.(ref, broker, attempt, acks, nowUs);
    },
    batchAcked(ref, broker, baseOffset, nowUs) {
      sim.ledger.batchAcked?.(ref, broker, baseOffset, nowUs);
      for (const o of list) o.batchAcked?.(ref, broker, baseOffset, nowUs);
    },
    batchFailed(ref, broker, code, final, nowUs) {
      sim.ledger.batchFailed?.(ref, broker, code, final, nowUs);
      for (const o of list) o.batchFailed?.(ref, broker, code, final, nowUs);
    },
    batchAbandoned(ref, nowUs) {
      sim.ledger.batchAbandoned?.(ref, nowUs);
      for (const o of list) o.batchAbandoned?.(ref, nowUs);
    },
    consumed(group, consumer, topic, partition, batches, nowUs) {
      sim.ledger.consumed?.(group, consumer, topic, partition, batches, nowUs);
      for (const o of list) o.consumed?.(group, consumer, topic, partition, batches, nowUs);
    },
    positionChanged(group, consumer, topic, partition, offset, reason, nowUs) {
      sim.ledger.positionChanged?.(group, consumer, topic, partition, offset, reason, nowUs);
      for (const o of list) o.positionChanged?.(group, consumer, topic, partition, offset, reason, nowUs);
    },
    assignmentChanged(group, consumer, partitions, generation, nowUs) {
      sim.ledger.assignmentChanged?.(group, consumer, partitions, generation, nowUs);
      for (const o of list) o.assignmentChanged?.(group, consumer, partitions, generation, nowUs);
    },
  };
}
