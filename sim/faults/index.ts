// The fault module: importing it plugs the broker and network timeline actions into every
// simulation created afterwards (see sim/kafka/plugins.ts).
import { registerSimulationPlugin } from '../kafka/index.ts';
import { installFaultActions } from './actions.ts';

export { installFaultActions } from './actions.ts';

export const faultsPlugin = { name: 'faults', order: 10, install: installFaultActions };
registerSimulationPlugin(faultsPlugin);
