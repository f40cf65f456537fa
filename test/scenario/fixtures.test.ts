// Every file of the corpus through parseScenario: valid samples parse, and each malformed one reports
// exactly the errors its header promises (line, column, path, message), no more and no fewer.

import { describe, expect, it } from 'vitest';
import { formatError, parseScenario } from '../../src/scenario/index.ts';
import { invalidFiles, validFiles } from './corpus.ts';

describe('valid scenarios parse without errors', () => {
  it.each(validFiles().map((f) => [f.name, f] as const))('%s', (_, f) => {
    const result = parseScenario(f.text, f.name);
    expect(result.ok ? [] : result.errors.map(formatError)).toEqual([]);
  });
});

describe('malformed scenarios report every mistake where it is', () => {
  const files = invalidFiles();

  it('the corpus has at least 30 malformed files', () => {
    expect(files.length).toBeGreaterThanOrEqual(30);
  });

  it.each(files.map((f) => [f.name, f] as const))('%s', (_, f) => {
    expect(f.errors.length, 'the fixture must state its errors').toBeGreaterThan(0);
    const result = parseScenario(f.text, f.name);
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    expect(errors.map((e) => ({ line: e.line, column: e.column, path: e.path })))
      .toEqual(f.errors.map((e) => ({ line: e.line, column: e.column, path: e.path })));
    errors.forEach((e, i) => {
      expect(e.message).toContain(f.errors[i].fragment);
      expect(e.file).toBe(f.name);
    });
  });
});
