// The scenario corpus the tests share: valid samples (the library's examples and the test fixtures)
// and invalid fixtures with the errors each must produce. A YAML fixture states its own expectations
// in header comments:
//   # semantic                      the JSON Schema cannot see this mistake, only the validator can
//   # expect LINE:COL PATH FRAGMENT  one per error, in file order; PATH "-" for a file-level problem
// JSON cannot carry comments, so the JSON fixtures' expectations are listed here.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'scenarios');
const EXAMPLES = join(ROOT, 'scenarios', 'examples');
const LIBRARY = join(ROOT, 'scenarios', 'library');

export interface ExpectedError {
  line: number;
  column: number;
  path: string;
  fragment: string;
}

export interface CorpusFile {
  name: string;
  file: string;
  text: string;
}

export interface InvalidFile extends CorpusFile {
  semantic: boolean;
  errors: ExpectedError[];
}

const JSON_EXPECTATIONS: Record<string, { semantic: boolean; errors: ExpectedError[] }> = {
  'trailing-comma.json': { semantic: false, errors: [{ line: 4, column: 30, path: '', fragment: 'JSON syntax' }] },
  'unknown-broker.json': { semantic: true, errors: [{ line: 6, column: 29, path: 'timeline[0].crash', fragment: 'broker 4 does not exist (brokers are 1, 2, 3)' }] },
  'wrong-types.json': {
    semantic: false,
    errors: [
      { line: 4, column: 27, path: 'cluster.brokers', fragment: 'expected a broker count or a list of broker ids, got the text "three"' },
      { line: 5, column: 48, path: 'topics[0].partitions', fragment: 'expected a partition count, got the text "3"' },
    ],
  },
};

function filesIn(dir: string): CorpusFile[] {
  return readdirSync(dir)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .sort()
    .map((f) => ({ name: f, file: join(dir, f), text: readFileSync(join(dir, f), 'utf8') }));
}

export function validFiles(): CorpusFile[] {
  return [...filesIn(join(FIXTURES, 'valid')), ...filesIn(EXAMPLES), ...filesIn(LIBRARY)];
}

export function invalidFiles(): InvalidFile[] {
  return filesIn(join(FIXTURES, 'invalid')).map((f) => ({ ...f, ...(f.name.endsWith('.json') ? jsonExpectations(f.name) : yamlHeader(f.text)) }));
}

function jsonExpectations(name: string): { semantic: boolean; errors: ExpectedError[] } {
  const expected = JSON_EXPECTATIONS[name];
  if (!expected) throw new Error(`${name}: add its expected errors to JSON_EXPECTATIONS`);
  return expected;
}

function yamlHeader(text: string): { semantic: boolean; errors: ExpectedError[] } {
  const lines = text.split('\n');
  const errors = lines.flatMap((l) => {
    const m = /^# expect (\d+):(\d+) (\S+) (.+)$/.exec(l);
    return m ? [{ line: Number(m[1]), column: Number(m[2]), path: m[3] === '-' ? '' : m[3], fragment: m[4] }] : [];
  });
  return { semantic: lines.some((l) => l.trim() === '# semantic'), errors };
}
