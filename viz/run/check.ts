// Parse and validate a scenario's text, in a worker (run/worker.ts): everything the page needs to
// know about a text before it runs it — the validator's errors, the title and description, the seed
// and the as-written value of each what-if key — as plain data. The page's main thread never parses
// scenario text it did not bundle itself, so a huge or slow-to-validate text cannot freeze it.

import { parseScenario, type ScenarioError } from '../../src/scenario/index.ts';
import { readScenarioMeta, type ScenarioMeta } from '../lib/meta.ts';
import { WHAT_IF_KEYS, writtenValue } from '../lib/what-if.ts';

/** At most this many errors travel back to the page (the editor lists them; the count is exact). */
export const MAX_CHECK_ERRORS = 200;

export interface ScenarioCheck extends ScenarioMeta {
  /** The first MAX_CHECK_ERRORS errors, in the validator's order. */
  errors: ScenarioError[];
  errorCount: number;
  /** The scenario's own seed (valid scenarios only). */
  seed?: number;
  /** As-written value of each what-if key that has one (valid scenarios only). */
  written: Record<string, string>;
}

export function checkScenario(text: string, fileName: string): ScenarioCheck {
  const parsed = parseScenario(text, fileName);
  if (!parsed.ok) {
    return { ...readScenarioMeta(fileName, text), errors: parsed.errors.slice(0, MAX_CHECK_ERRORS), errorCount: parsed.errors.length, written: {} };
  }
  const sc = parsed.scenario;
  const written: Record<string, string> = {};
  for (const k of WHAT_IF_KEYS) {
    const v = writtenValue(parsed.spec, k.key);
    if (v !== undefined) written[k.key] = v;
  }
  return {
    name: sc.name,
    title: sc.title ?? sc.name,
    description: sc.description ?? '',
    errors: [],
    errorCount: 0,
    seed: parsed.spec.seed,
    written,
  };
}
