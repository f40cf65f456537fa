// What the page and the library show a reader cites only what a reader can open (issue 13, point 6):
// the scenario descriptions and captions, the library's docs and the README name no design document
// that is not in the repository (no "design.md §5", "kafka-model.md §8 (a)", bare "§8"); Kafka's
// classes, KIPs, KAFKA- issues and the project's own docs/ are what they cite instead.
import { describe, it, expect } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const REPO = join(import.meta.dirname, '../..');

function filesUnder(dir: string, ext: RegExp): string[] {
  return readdirSync(join(REPO, dir), { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && ext.test(d.name))
    .map((d) => join(d.parentPath ?? (d as unknown as { path: string }).path, d.name));
}

const shown = [
  ...filesUnder('scenarios/library', /\.ya?ml$/),
  ...filesUnder('scenarios/examples', /\.ya?ml$/),
  ...filesUnder('scenarios/experiments', /\.ya?ml$/),
  ...filesUnder('docs', /\.md$/),
  ...filesUnder('scenarios', /\.schema\.json$/),
  ...filesUnder('sim', /^README\.md$/),
  join(REPO, 'README.md'),
  join(REPO, 'viz/index.html'),
];

describe('cited documents exist', () => {
  it.each(shown.map((f) => [f.slice(REPO.length + 1), f]))('%s cites no document missing from the repository', (_name, file) => {
    const text = readFileSync(file, 'utf8');
    expect(text).not.toMatch(/§\s*\d/);
    for (const m of text.matchAll(/(?<![\w/.-])((?:[\w.-]+\/)*[\w.-]+\.md)\b/g)) {
      const cited = m[1];
      const candidates = [join(REPO, cited), join(REPO, 'docs', cited), join(file, '..', cited)];
      expect(candidates.some((c) => existsSync(c)), `${cited} cited in ${_name}`).toBe(true);
    }
  });
});

describe('the sources cite what a clone has', () => {
  // the team's design notes live outside the repository: a reader of a clone cannot open them
  const sources = ['sim', 'src', 'viz', 'test', 'bin'].flatMap((d) => filesUnder(d, /\.(ts|mjs|js|md)$/)).filter((f) => !f.endsWith('cited-docs.test.ts'));
  it('no source file points at ../shared, design.md or kafka-model.md', () => {
    const hits = sources.filter((f) => /\.\.\/shared|design\.md|kafka-model\.md/.test(readFileSync(f, 'utf8'))).map((f) => f.slice(REPO.length + 1));
    expect(hits).toEqual([]);
  });
});
