// The workload the explore tests shrink schedules against: the library's unclean-election scenario
// with its own timeline (and so its faults) removed, leaving its cluster, clients and `lost: 0`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Base, loadBase } from '../../src/experiments/explore/document.ts';

const REPO = join(import.meta.dirname, '..', '..');

/** The unclean-election workload without a timeline, loaded as explore loads a base scenario. */
export function uncleanWorkload(): Base {
  const text = readFileSync(join(REPO, 'scenarios/library/unclean-election-loses-acked-writes.yaml'), 'utf8').replace(/\ntimeline:[\s\S]*$/, '\n');
  const loaded = loadBase(text, 'padded.yaml');
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return loaded.base;
}
