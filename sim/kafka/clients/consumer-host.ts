// One consumer process in a simulation: its network node, its life (start at spec.startUs, close at
// spec.stopUs, start-consumer, stop-consumer, crash(-consumer), restart and pause from the timeline)
// and its reports to the ledger. A restart is a new process and a new group member; the old member is
// evicted by the coordinator once its session times out, exactly as when a real consumer is killed.
// A consumer started again after a clean stop is a new KafkaConsumer too (a closed one cannot poll).

import type { Simulation } from '../simulation.ts';
import { NEVER_US, type ConsumerSpec } from '../spec.ts';
import type { NodeContext } from '../network.ts';
import { KafkaConsumer } from './consumer.ts';

export class ConsumerHost {
  consumer: KafkaConsumer;
  private readonly ctx: NodeContext;
  private wanted = false;
  private crashed = false;

  constructor(
    private readonly sim: Simulation,
    readonly spec: ConsumerSpec,
  ) {
    this.ctx = sim.network.attach(spec.id, (msg) => this.consumer.handle(msg));
    this.consumer = this.newConsumer();
    const scheduler = sim.scheduler;
    if (spec.startUs !== NEVER_US) scheduler.at(Math.max(spec.startUs, scheduler.now), () => this.setRunning(true));
    if (spec.stopUs !== undefined) scheduler.at(Math.max(spec.stopUs, scheduler.now), () => this.setRunning(false));
  }

  /** The process is up and its application is consuming (started, not stopped, not crashed). */
  get running(): boolean {
    return this.wanted && !this.crashed;
  }

  private newConsumer(): KafkaConsumer {
    const sim = this.sim;
    const observer = sim.parts.clientObserver;
    return new KafkaConsumer(this.spec, { ctx: this.ctx, bootstrap: [...sim.spec.brokers], observer });
  }

  private setRunning(on: boolean): void {
    this.wanted = on;
    if (this.crashed) return;
    // a paused process runs nothing: its application acts once it resumes (the node defers its timers)
    if (this.sim.network.status(this.spec.id) === 'paused') {
      this.ctx.at(this.sim.now, () => {
        if (this.wanted === on) this.applyRunning(on);
      });
      return;
    }
    this.applyRunning(on);
  }

  private applyRunning(on: boolean): void {
    if (this.crashed) return;
    if (!on) return this.consumer.close();
    if (this.consumer.stopped) this.consumer = this.newConsumer();
    this.consumer.start();
  }

  /** start-consumer: the application starts (a new process if it had crashed); why not, if it runs already. */
  startConsumer(): string | undefined {
    if (this.running && !this.consumer.stopped) return `consumer ${this.spec.id} is already running`;
    if (this.crashed) {
      this.wanted = true;
      this.restart();
      return undefined;
    }
    this.setRunning(true);
    return undefined;
  }

  /** stop-consumer: KafkaConsumer.close() (commit, LeaveGroup); why not, if it is not running. */
  stopConsumer(): string | undefined {
    if (!this.running || this.consumer.stopped) return `consumer ${this.spec.id} is not running`;
    this.setRunning(false);
    return undefined;
  }

  /** crash-consumer: the process dies (no LeaveGroup); why not, if it is already down. */
  crashConsumer(): string | undefined {
    if (this.crashed) return `consumer ${this.spec.id} has already crashed`;
    this.crash();
    return undefined;
  }

  crash(): void {
    if (this.crashed) return;
    this.crashed = true;
    this.sim.network.down(this.spec.id);
    this.sim.cluster.emit({ t: this.sim.now, type: 'client-crashed', client: this.spec.id, group: this.spec.group });
    this.consumer.crash();
  }

  restart(): void {
    if (!this.crashed) return;
    this.crashed = false;
    this.sim.network.up(this.spec.id);
    this.sim.cluster.emit({ t: this.sim.now, type: 'client-restarted', client: this.spec.id, group: this.spec.group });
    this.consumer = this.newConsumer();
    if (this.wanted) this.consumer.start();
  }

  /** A GC pause or SIGSTOP: timers and messages wait; a long one expires the poll timer. */
  pause(forUs: number): void {
    if (this.crashed || this.sim.network.status(this.spec.id) !== 'up') return;
    this.sim.network.pause(this.spec.id);
    this.sim.cluster.emit({ t: this.sim.now, type: 'node-paused', node: this.spec.id, forUs });
    const consumer = this.consumer;
    this.sim.scheduler.after(forUs, () => {
      if (this.crashed || consumer !== this.consumer) return;
      this.sim.cluster.emit({ t: this.sim.now, type: 'node-resumed', node: this.spec.id });
      consumer.resumedAfter(forUs);
      this.sim.network.resume(this.spec.id);
    });
  }
}
