// A scenario's name, title and description, read from its text by a tolerant YAML read (a file the
// validator would reject still gets its title). Costs a full YAML parse: the page calls it in a
// worker (run/check.ts) for text it did not bundle itself, never on the main thread.

import { parse as parseYaml } from 'yaml';

export interface ScenarioMeta {
  name: string;
  title: string;
  description: string;
}

export function readScenarioMeta(fileName: string, text: string): ScenarioMeta {
  let doc: Record<string, unknown> = {};
  try {
    const v: unknown = parseYaml(text);
    if (v && typeof v === 'object') doc = v as Record<string, unknown>;
  } catch {
    // An unreadable file keeps its file name as its title.
  }
  const name = typeof doc.name === 'string' ? doc.name : baseName(fileName);
  return {
    name,
    title: typeof doc.title === 'string' ? doc.title : name,
    description: typeof doc.description === 'string' ? doc.description : '',
  };
}

/** `dir/x.yaml` → `x`. */
export function baseName(fileName: string): string {
  return (fileName.split('/').pop() ?? fileName).replace(/\.(ya?ml|json)$/, '');
}
