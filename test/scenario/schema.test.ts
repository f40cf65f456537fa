// The JSON Schema and the validator describe one format. The schema file is the generated one (so
// editors complete exactly what the validator accepts), and on every file of the corpus both agree:
// a valid file passes both; an invalid one fails both, except the semantic mistakes (a broker that
// does not exist, a partition not yet added) that only the validator can see.
// Regenerate the schema with: KAFKASIM_WRITE_SCHEMA=1 npx vitest run test/scenario/schema.test.ts

import Ajv from 'ajv';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseScenario } from '../../src/scenario/index.ts';
import { scenarioSchema } from '../../src/scenario/schema.ts';
import { ROOT, invalidFiles, validFiles, type CorpusFile } from './corpus.ts';

const SCHEMA_FILE = join(ROOT, 'scenarios', 'scenario.schema.json');
const generated = `${JSON.stringify(scenarioSchema(), null, 2)}\n`;
if (process.env.KAFKASIM_WRITE_SCHEMA === '1') writeFileSync(SCHEMA_FILE, generated);

// strictRequired is off: "exactly one of these keys" is written as alternatives that only require a key.
const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
const schemaAccepts = ajv.compile(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')));

/** What the schema says of a file; text that is not YAML (or JSON) at all fails it too. */
function schemaVerdict(f: CorpusFile): { ok: boolean; why: string } {
  let data: unknown;
  try {
    data = f.name.endsWith('.json') ? JSON.parse(f.text) : parse(f.text);
  } catch (e) {
    return { ok: false, why: String(e) };
  }
  const ok = schemaAccepts(data);
  return { ok, why: ok ? '' : JSON.stringify(schemaAccepts.errors?.slice(0, 3)) };
}

describe('scenarios/scenario.schema.json', () => {
  it('is the schema generated from the validator\'s tables', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8'), 'regenerate it: KAFKASIM_WRITE_SCHEMA=1 npx vitest run test/scenario/schema.test.ts').toBe(generated);
  });

  it('documents every property it defines', () => {
    const undocumented: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (!node || typeof node !== 'object') return;
      const properties = (node as { properties?: Record<string, Record<string, unknown>> }).properties;
      for (const [name, prop] of Object.entries(properties ?? {})) {
        if (typeof prop.description !== 'string' && typeof prop.$ref !== 'string') undocumented.push(`${path}.${name}`);
      }
      for (const [k, v] of Object.entries(node)) walk(v, `${path}.${k}`);
    };
    walk(scenarioSchema(), '');
    expect(undocumented).toEqual([]);
  });
});

describe('schema and validator agree on every valid file', () => {
  it.each(validFiles().map((f) => [f.name, f] as const))('%s', (_, f) => {
    const verdict = schemaVerdict(f);
    expect(verdict.ok, verdict.why).toBe(true);
    expect(parseScenario(f.text, f.name).ok).toBe(true);
  });
});

describe('schema and validator agree on every invalid file (the schema ignores semantic mistakes)', () => {
  it.each(invalidFiles().map((f) => [f.name, f] as const))('%s', (_, f) => {
    expect(parseScenario(f.text, f.name).ok).toBe(false);
    const verdict = schemaVerdict(f);
    expect(verdict.ok, verdict.why).toBe(f.semantic);
  });
});
