// The scenario format's public face: parse and validate a scenario file, format its errors, and the
// types of the validated document. The CLI, the experiments and the front end import from here.

export { parseScenario, type ParseResult } from './parse.ts';
export { formatError, type ScenarioError, type SourcePos } from './errors.ts';
export { parseDuration, formatDuration, type DurationResult } from './durations.ts';
export { buildClusterSpec } from './build.ts';
export { EVENT_TYPES } from './event-types.ts';
export { KAFKA_ERROR_CODES } from './kafka-errors.ts';
export {
  EXPECTATION_CHECKS, OVER_RUNS_CHECKS, TIMELINE_ACTIONS, isOverRuns,
  type Bound, type ClusterSection, type CountCheck, type Expectation, type ExpectationCheck, type OverRunsExpectation, type RunExpectation,
  type Scenario, type ScenarioStep,
} from './types.ts';
export { MAX_SCENARIO_BYTES, decodeScenarioBytes, type DecodeResult } from './text.ts';
