// The trace's catalog (sim/kafka/trace-events.ts) is the whole vocabulary of the journal: every event
// the simulator writes while it runs the scenarios of the repository is one of its types, with every
// field it requires and none it does not name. The JSON Schema of a trace line and the docs' list are
// generated from it, and the committed copies must be the generated ones.
// Regenerate both with: KAFKASIM_WRITE_TRACE_DOCS=1 npx vitest run --project unit test/trace/catalog.test.ts

import Ajv from 'ajv/dist/2020.js';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogProblems, TRACE_EVENT_TYPES, traceEventSchema, traceEventsMarkdown } from '../../sim/kafka/trace-events.ts';
import { EVENT_TYPES } from '../../src/scenario/event-types.ts';
import { parseScenario } from '../../src/scenario/index.ts';
import { runScenario } from '../../src/scenario/run.ts';

const ROOT = join(__dirname, '..', '..');
const SCHEMA_FILE = join(ROOT, 'scenarios', 'trace.schema.json');
const DOC_FILE = join(ROOT, 'docs', 'trace-format.md');
const BEGIN = '<!-- generated from sim/kafka/trace-events.ts: begin -->';
const END = '<!-- generated from sim/kafka/trace-events.ts: end -->';

const generatedSchema = `${JSON.stringify(traceEventSchema(), null, 2)}\n`;
function docWithList(doc: string): string {
  const a = doc.indexOf(BEGIN);
  const b = doc.indexOf(END);
  if (a < 0 || b < a) throw new Error(`${DOC_FILE} has no ${BEGIN} … ${END} markers`);
  return `${doc.slice(0, a + BEGIN.length)}\n\n${traceEventsMarkdown()}\n${doc.slice(b)}`;
}
if (process.env.KAFKASIM_WRITE_TRACE_DOCS === '1') {
  writeFileSync(SCHEMA_FILE, generatedSchema);
  writeFileSync(DOC_FILE, docWithList(readFileSync(DOC_FILE, 'utf8')));
}

const DIRS = ['scenarios/library', 'scenarios/examples', 'scenarios/experiments', 'scenarios/explore'];
const files = DIRS.flatMap((d) => readdirSync(join(ROOT, d)).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(d, f)));

/** Every problem of every event of a run, at most a few per type; and the types seen. */
function check(file: string, seen: Set<string>): string[] {
  const parsed = parseScenario(readFileSync(join(ROOT, file), 'utf8'), file);
  if (!parsed.ok) throw new Error(`${file} is not valid`);
  const problems = new Map<string, string>();
  runScenario(parsed.scenario, parsed.spec, {
    keepTrace: false,
    traceSink: (_line, e) => {
      seen.add(e.type);
      for (const p of catalogProblems(e)) if (!problems.has(p)) problems.set(p, `${p} (t=${e.t})`);
    },
  });
  return [...problems.values()];
}

describe('the trace catalog', () => {
  const seen = new Set<string>();
  it.each(files)('%s writes only events of the catalog, each with its fields', (file) => {
    expect(check(file, seen)).toEqual([]);
  });

  it('knows an event it lacks, a missing field, an unnamed one, a wrong type', () => {
    expect(catalogProblems({ t: 0, type: 'made-up' })).toEqual(['unknown event type "made-up"']);
    expect(catalogProblems({ t: 0, type: 'hw-advanced', broker: 1, partition: 'orders-0' })).toEqual(['hw-advanced: missing hw']);
    expect(catalogProblems({ t: 0, type: 'hw-advanced', b: 1, broker: 1, partition: 'orders-0', hw: 3 })).toEqual(['hw-advanced: field b is not in the catalog']);
    expect(catalogProblems({ t: 0, type: 'truncated', broker: 1, partition: 'orders-0', from: 3, to: 1, records: 2, reason: 'gone' })).toHaveLength(1);
  });

  it('names every type an `event:` expectation may count', () => {
    expect(EVENT_TYPES.filter((t) => !(TRACE_EVENT_TYPES as string[]).includes(t))).toEqual([]);
  });
});

describe('scenarios/trace.schema.json and docs/trace-format.md', () => {
  it('are generated from the catalog', () => {
    const hint = 'regenerate: KAFKASIM_WRITE_TRACE_DOCS=1 npx vitest run --project unit test/trace/catalog.test.ts';
    expect(readFileSync(SCHEMA_FILE, 'utf8'), hint).toBe(generatedSchema);
    const doc = readFileSync(DOC_FILE, 'utf8');
    expect(doc, hint).toBe(docWithList(doc));
  });

  it('the schema accepts the events of a run and its header, and refuses an unknown event', () => {
    const ajv = new Ajv({ strict: true, allErrors: true, allowUnionTypes: true });
    const valid = ajv.compile(traceEventSchema());
    const parsed = parseScenario(readFileSync(join(ROOT, 'scenarios/library/acks-1-leader-crash.yaml'), 'utf8'), 'acks-1-leader-crash.yaml');
    if (!parsed.ok) throw new Error('invalid');
    const bad: string[] = [];
    runScenario(parsed.scenario, parsed.spec, {
      keepTrace: false,
      traceSink: (line) => {
        if (!valid(JSON.parse(line)) && bad.length < 3) bad.push(`${line}: ${ajv.errorsText(valid.errors)}`);
      },
    });
    expect(bad).toEqual([]);
    expect(valid({ type: 'kafkasim-trace', format: 1, kafkasim: '0.1.0', scenario: 'x', file: 'x.yaml', text: 'name: x', seed: 1 })).toBe(true);
    expect(valid({ t: 0, type: 'made-up' })).toBe(false);
  });
});
