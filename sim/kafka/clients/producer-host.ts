// One producer process in a simulation: its network node, its life (start and stop of the load at
// spec.startUs/stopUs and by stop-producer/start-producer, crash and restart from the timeline) and
// its reports to the ledger and the facade's error counters. A restart is a new process: a new
// KafkaProducer with empty buffers and, if idempotent, a new producer id; what the old one held and
// had not had acknowledged is reported to the ledger as abandoned.

import type { Simulation } from '../simulation.ts';
import type { ProducerSpec } from '../spec.ts';
import type { NodeContext } from '../network.ts';
import { KafkaProducer } from './producer.ts';
import type { ProducerIds } from './producer-id.ts';

export class ProducerHost {
  producer: KafkaProducer;
  private readonly ctx: NodeContext;
  /** The application wants to send (between start and stop, unless a stop-producer says otherwise). */
  private loadWanted = false;
  private crashed = false;

  constructor(
    private readonly sim: Simulation,
    readonly spec: ProducerSpec,
    private readonly ids: ProducerIds,
  ) {
    this.ctx = sim.network.attach(spec.id, (msg) => this.producer.handle(msg));
    this.producer = this.newProducer();
    this.producer.boot();
    const scheduler = sim.scheduler;
    scheduler.at(Math.max(spec.startUs, scheduler.now), () => this.setLoad(true));
    if (spec.stopUs !== undefined) scheduler.at(Math.max(spec.stopUs, scheduler.now), () => this.setLoad(false));
  }

  private newProducer(): KafkaProducer {
    const sim = this.sim;
    const observer = sim.parts.clientObserver;
    return new KafkaProducer(this.spec, {
      ctx: this.ctx, bootstrap: [...sim.spec.brokers], observer,
      localProducerId: () => this.ids.localId(),
      onError: (code, records, reason) => sim.recordProducerError(this.spec.id, code, records, reason),
      keepSendTimes: sim.parts.keepSendTimes,
    });
  }

  /** stop-producer / start-producer, and the spec's own start and stop times. */
  setLoad(on: boolean): void {
    this.loadWanted = on;
    this.sim.cluster.emit({ t: this.sim.now, type: on ? 'producer-started' : 'producer-stopped', client: this.spec.id });
    if (this.crashed) return;
    if (on) this.producer.startLoad();
    else this.producer.stopLoad();
  }

  crash(): void {
    if (this.crashed) return;
    this.crashed = true;
    this.sim.network.down(this.spec.id);
    this.sim.cluster.emit({ t: this.sim.now, type: 'client-crashed', client: this.spec.id });
    this.producer.crash();
  }

  restart(): void {
    if (!this.crashed) return;
    this.crashed = false;
    this.sim.network.up(this.spec.id);
    this.sim.cluster.emit({ t: this.sim.now, type: 'client-restarted', client: this.spec.id });
    this.producer = this.newProducer();
    this.producer.boot();
    if (this.loadWanted) this.producer.startLoad();
  }
}
