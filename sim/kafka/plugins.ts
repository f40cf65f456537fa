// Extension points of a simulation. sim/kafka may import only the engine, yet a simulation needs the
// fault actions (sim/faults), the ledger and invariant checks (sim/check) and the clients. Each of
// those registers a plugin here when its index module is imported, and createSimulation installs
// every registered plugin (ordered by `order`, then name), so a run is assembled the same way every
// time. Import sim/faults/index.ts and sim/check/index.ts once, wherever createSimulation is called.

import type { Simulation, SimulationOptions } from './simulation.ts';
import type { Action, TimelineStep } from './spec.ts';

export interface SimulationPlugin {
  name: string;
  /** Lower installs first (faults 10, checks 20, clients 30 by convention). */
  order: number;
  install(sim: Simulation, opts: SimulationOptions): void;
}

const plugins: SimulationPlugin[] = [];

/** Registers a plugin for every simulation created afterwards; registering a name twice is a no-op. */
export function registerSimulationPlugin(p: SimulationPlugin): void {
  if (plugins.some((q) => q.name === p.name)) return;
  plugins.push(p);
}

export function registeredPlugins(): SimulationPlugin[] {
  return [...plugins].sort((a, b) => a.order - b.order || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Runs one timeline action against the simulation (sim/faults for brokers and the network). */
export type ActionHandler = (sim: Simulation, action: Action, step: TimelineStep) => void;

/** The timeline actions a simulation can run, by type; clients add reset-offsets and the like. */
export class ActionRegistry {
  private readonly handlers = new Map<string, ActionHandler>();

  register(type: Action['type'] | string, handler: ActionHandler): void {
    this.handlers.set(type, handler);
  }

  has(type: string): boolean {
    return this.handlers.has(type);
  }

  get(type: string): ActionHandler | undefined {
    return this.handlers.get(type);
  }

  types(): string[] {
    return [...this.handlers.keys()].sort();
  }
}
