// The entry point of the scenario format: text and a file name in, either the validated Scenario with
// its ClusterSpec, or every problem of the file with line, column and path. Browser-safe: no file
// system here, the caller reads the file.

import type { ClusterSpec } from '../../sim/kafka/spec.ts';
import { buildClusterSpec } from './build.ts';
import { Problems, type ScenarioError } from './errors.ts';
import { MAX_SCENARIO_BYTES, tooLargeMessage, utf8LengthAbove } from './text.ts';
import { readTree } from './tree.ts';
import type { Scenario } from './types.ts';
import { validateScenario } from './validate.ts';

export type ParseResult = { ok: true; scenario: Scenario; spec: ClusterSpec } | { ok: false; errors: ScenarioError[] };

/**
 * Parses YAML, or JSON when the file name ends in .json; never throws for bad input. A text over
 * MAX_SCENARIO_BYTES (in UTF-8) is refused before it is parsed. A leading byte-order mark is ignored
 * (it is not a column), so a host that strips it (a browser's Blob.text()) and one that keeps it
 * (Node's readFileSync) read the same scenario, positions included.
 */
export function parseScenario(text: string, fileName: string): ParseResult {
  const problems = new Problems(fileName);
  const tooLarge = utf8LengthAbove(text, MAX_SCENARIO_BYTES);
  if (tooLarge !== undefined) {
    problems.add({ line: 1, column: 1 }, '', tooLargeMessage(tooLarge));
    return { ok: false, errors: problems.sorted() };
  }
  try {
    const root = readTree(text.startsWith('\uFEFF') ? text.slice(1) : text, problems, /\.json$/i.test(fileName));
    const scenario = root && validateScenario(root, problems);
    if (!scenario || problems.count > 0) return { ok: false, errors: problems.sorted() };
    return { ok: true, scenario, spec: buildClusterSpec(scenario) };
  } catch (e) {
    // A bug of the validator must still come out as a located error, not a crash of the caller.
    problems.add({ line: 1, column: 1 }, '', `internal error while reading the scenario (please report it): ${e instanceof Error ? e.message : String(e)}`);
    return { ok: false, errors: problems.sorted() };
  }
}
