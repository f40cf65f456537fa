// Loads a scenario file for a command: read, parse, validate; bad input becomes a BadScenario error
// carrying every formatted message, which main() prints and maps to exit code 2.
import { parseScenario, formatError, type Scenario } from '../scenario/index.ts';
import type { ClusterSpec } from '../../sim/kafka/spec.ts';
import { BadScenario, readScenarioFile } from './inputs.ts';

export { BadScenario };

export function loadScenario(file: string): { scenario: Scenario; spec: ClusterSpec; text: string } {
  const text = readScenarioFile(file);
  const result = parseScenario(text, file);
  if (!result.ok) throw new BadScenario(result.errors.map(formatError));
  return { scenario: result.scenario, spec: result.spec, text };
}
