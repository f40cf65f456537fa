// The faults part: the timeline's broker, controller and network actions (actions.ts), handed to
// assembleSimulation (sim/kafka/assemble-simulation.ts) as `faults`.
import type { PartBuilder } from '../kafka/index.ts';
import { faultActions } from './actions.ts';

export { faultActions } from './actions.ts';

export const faults: PartBuilder = () => ({ actions: faultActions });
