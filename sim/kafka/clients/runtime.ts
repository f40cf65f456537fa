// Everything the clients add to one simulation, and the queries on them: the producer hosts, the
// cluster-wide producer-id allocator behind InitProducerId, and the timeline actions of producers.
// `clientsOf(sim)` finds the runtime of a simulation for the CLI, expectations and the front end.

import type { Simulation } from '../simulation.ts';
import type { Action } from '../spec.ts';
import { ProducerHost } from './producer-host.ts';
import { ProducerIds, INIT_PRODUCER_ID, INIT_PRODUCER_ID_RESPONSE } from './producer-id.ts';

const runtimes = new WeakMap<Simulation, ClientsRuntime>();

/** The clients of a simulation, or undefined if the clients module did not install into it. */
export function clientsOf(sim: Simulation): ClientsRuntime | undefined {
  return runtimes.get(sim);
}

export class ClientsRuntime {
  readonly producers = new Map<string, ProducerHost>();
  readonly producerIds = new ProducerIds();

  constructor(readonly sim: Simulation) {
    runtimes.set(sim, this);
    this.serveInitProducerId();
    for (const spec of sim.spec.producers) {
      const host = new ProducerHost(sim, spec, this.producerIds);
      this.producers.set(spec.id, host);
      sim.nodeFaults.set(spec.id, { crash: () => host.crash(), restart: () => host.restart() });
    }
    sim.actions.register('stop-producer', (_s, a) => this.producer((a as Extract<Action, { type: 'stop-producer' }>).producer).setLoad(false));
    sim.actions.register('start-producer', (_s, a) => this.producer((a as Extract<Action, { type: 'start-producer' }>).producer).setLoad(true));
  }

  producer(id: string): ProducerHost {
    const p = this.producers.get(id);
    if (!p) throw new Error(`no producer called ${id} (producers: ${[...this.producers.keys()].join(', ') || 'none'})`);
    return p;
  }

  /** InitProducerId, answered by any broker from its block of ids (see producer-id.ts). */
  private serveInitProducerId(): void {
    const ids = this.producerIds;
    this.sim.cluster.registerBrokerExtension({
      kinds: [INIT_PRODUCER_ID],
      handle: (broker, msg, ctx) => {
        ctx.reply(msg, { kind: INIT_PRODUCER_ID_RESPONSE, correlationId: msg.body.correlationId, error: 'NONE', producerId: ids.allocate(broker.id), producerEpoch: 0 } as never);
      },
      stopped: (broker) => ids.forget(broker.id),
    });
  }
}
