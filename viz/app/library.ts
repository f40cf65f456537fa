// The scenario library: every file under scenarios/, bundled as text, with the title and description
// read from the file itself (a quick YAML read that tolerates files the validator would reject, so a
// broken library file still shows up in the picker and opens with its errors). Only the bundled
// files are read here, on the main thread; text from a link, a file or the editor is read in a worker.

import { readScenarioMeta } from '../lib/meta.ts';

export interface LibraryEntry {
  /** Path relative to the repository, e.g. "scenarios/classic/unclean-election.yaml". */
  path: string;
  /** How the URL names it: the scenario's name, or its path under scenarios/ when two files share a name. */
  key: string;
  fileName: string;
  name: string;
  title: string;
  description: string;
  text: string;
}

// The golden traces' index (scenarios/golden/golden.json) is not a scenario: not bundled, not listed.
const files = import.meta.glob(['../../scenarios/**/*.{yaml,yml,json}', '!../../scenarios/golden/**'], { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

/** Scenarios a first-time visitor should see, in order of preference, when the URL names none. */
const PREFERRED_DEFAULTS = [
  'unclean-election-loses-acked-writes',
  'unclean-election',
  'acks1-leader-crash',
  'quickstart',
];

export function readMeta(path: string, text: string): LibraryEntry {
  const fileName = path.split('/').pop() ?? path;
  const meta = readScenarioMeta(fileName, text);
  return { key: meta.name, path: path.replace(/^(\.\.\/)+/, ''), fileName, ...meta, text };
}

/** Files under scenarios/ that are not scenarios: the JSON Schemas and the golden traces' index. */
export function isScenarioPath(path: string): boolean {
  return !path.endsWith('.schema.json') && !/(^|\/)scenarios\/golden\//.test(path);
}

export function loadLibrary(): LibraryEntry[] {
  const lib = Object.entries(files)
    .filter(([p]) => isScenarioPath(p))
    .map(([p, text]) => readMeta(p, text))
    .sort((a, b) => a.path.localeCompare(b.path));
  for (const e of lib) if (lib.some((o) => o !== e && o.name === e.name)) e.key = e.path.replace(/^scenarios\//, '').replace(/\.(ya?ml|json)$/, '');
  return lib;
}

/** The entry a URL's `scenario=` names: a key (name or path), else the first file with that name. */
export function findEntry(lib: readonly LibraryEntry[], key: string): LibraryEntry | undefined {
  return lib.find((e) => e.key === key) ?? lib.find((e) => e.name === key);
}

export function defaultEntry(lib: readonly LibraryEntry[]): LibraryEntry | undefined {
  for (const n of PREFERRED_DEFAULTS) {
    const e = lib.find((x) => x.name === n && x.path.includes('/library/')) ?? lib.find((x) => x.name === n);
    if (e) return e;
  }
  return lib[0];
}

/** Used when the library is empty (a fresh checkout before scenarios exist): a small classic. */
export const FALLBACK_SCENARIO = `name: acks1-leader-crash
title: acks=1 loses a write when the leader dies
description: |
  A producer with acks=1 is acknowledged by the leader alone. The leader crashes before its
  followers fetch the last records; a follower is elected and the acknowledged records are gone.
duration: 40s
cluster: { brokers: 3 }
topics:
  - { name: orders, partitions: 1, replication.factor: 3, replicas: [[1, 2, 3]] }
producers:
  - { id: checkout, topic: orders, rate: 20/s, config: { acks: 1 } }
timeline:
  - at: 5s
    note: Three replicas in sync; the producer gets an answer as soon as the leader has written.
  - at: 10s
    crash: 1
    note: The leader dies. Records it acknowledged but had not yet replicated exist nowhere else.
  - at: 25s
    restart: 1
    note: Broker 1 returns and truncates its log to the new leader's history.
`;
