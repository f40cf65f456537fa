// The scenario picker's library: titles from the files, and names that stay unambiguous in URLs.
import { describe, it, expect } from 'vitest';
import { findEntry, loadLibrary, readMeta, defaultEntry } from '../../viz/app/library.ts';

describe('scenario library', () => {
  const lib = loadLibrary();

  it('reads title and description from each file, and tolerates unreadable ones', () => {
    const e = readMeta('../../scenarios/x/a.yaml', 'name: a\ntitle: A title\ndescription: |\n  Some words.\n');
    expect(e).toMatchObject({ path: 'scenarios/x/a.yaml', name: 'a', key: 'a', title: 'A title', description: 'Some words.\n' });
    expect(readMeta('b.yaml', ': : [').title).toBe('b');
  });

  it('bundles every scenario file but the schema, each with a unique key', () => {
    expect(lib.length).toBeGreaterThan(0);
    expect(lib.some((e) => e.path.endsWith('.schema.json'))).toBe(false);
    expect(new Set(lib.map((e) => e.key)).size).toBe(lib.length);
    for (const e of lib) expect(findEntry(lib, e.key)).toBe(e);
  });

  it('has a default scenario for a URL that names none', () => {
    expect(defaultEntry(lib)).toBeDefined();
  });
});
