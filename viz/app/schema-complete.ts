// Completion for the scenario editor from the project's own JSON Schema (scenarios/scenario.schema.json,
// the file yaml-language-server reads): at the cursor, the YAML path is worked out from the text above
// it (block indentation, `- ` items, `{ … }` and `[ … ]` flow collections on the line), the schema is
// followed along that path ($ref, allOf, anyOf, oneOf), and its keys (with their descriptions) or its
// enum and boolean values are offered. A pure function of text, position and schema: unit-tested
// without an editor (test/viz/schema-complete.test.ts).

export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  definitions?: Record<string, JsonSchema>;
  [k: string]: unknown;
}

export interface SchemaOption {
  label: string;
  /** What is inserted (a key gets its colon and a space). */
  apply: string;
  type: 'property' | 'enum' | 'keyword';
  info?: string;
}

export interface SchemaCompletion {
  /** Where the word being completed starts (an offset in the text). */
  from: number;
  options: SchemaOption[];
  /** The YAML path of the mapping (keys) or of the key (values) completed, `[]` for an item. */
  path: string[];
  kind: 'key' | 'value';
}

const KEY_RE = /^(\s*)((?:-\s+)*)([^\s:#'"{}[\],][^:#{}[\],]*?)\s*:(?:\s|$)/;

interface LineShape {
  /** Column of the line's first "- " (an item), if any. */
  dash?: number;
  /** Column where the key starts, and the key. */
  keyCol?: number;
  key?: string;
  /** Column of the first non-blank character. */
  indent: number;
  blank: boolean;
}

function shape(line: string): LineShape {
  const indent = line.length - line.trimStart().length;
  const blank = line.trim() === '' || line.trimStart().startsWith('#');
  const m = KEY_RE.exec(line);
  const dashM = /^(\s*)-(\s+|$)/.exec(line);
  const dash = dashM ? dashM[1].length : undefined;
  if (m) return { dash, keyCol: m[1].length + m[2].length, key: m[3].trim(), indent, blank };
  return { dash, indent, blank };
}

/** The block path of a position at `col` on line `row`, from the lines above it. */
function blockPath(lines: string[], row: number, col: number, currentDash?: number): string[] {
  const path: string[] = [];
  let limit = col;
  if (currentDash !== undefined && currentDash < col) {
    path.unshift('[]');
    limit = currentDash;
  }
  for (let i = row - 1; i >= 0 && limit > 0; i--) {
    const s = shape(lines[i]);
    if (s.blank) continue;
    if (s.keyCol !== undefined && s.keyCol < limit) {
      path.unshift(s.key!);
      if (s.dash !== undefined && s.dash < s.keyCol) {
        path.unshift('[]');
        limit = s.dash;
      } else limit = s.keyCol;
    } else if (s.dash !== undefined && s.dash < limit) {
      path.unshift('[]');
      limit = s.dash;
    } else if (s.indent < limit && s.keyCol === undefined && s.dash === undefined) {
      // A continuation of a multi-line scalar or flow: not a key; keep looking above.
      continue;
    }
  }
  return path;
}

/** Flow collections open on the line before the cursor: each `{`/`[` with the key that holds it. */
function flowFrames(before: string): { start: number; frames: { kind: 'map' | 'seq'; key?: string; at: number }[]; segment: string } | undefined {
  const frames: { kind: 'map' | 'seq'; key?: string; at: number }[] = [];
  let quote: string | undefined;
  for (let i = 0; i < before.length; i++) {
    const c = before[i];
    if (quote) {
      if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(before[i - 1]))) return undefined; // a comment
    else if (c === '{' || c === '[') {
      const segStart = frames.length ? Math.max(before.lastIndexOf(',', i), frames[frames.length - 1].at) + 1 : 0;
      const seg = before.slice(segStart, i);
      const km = /([^\s:,{}[\]'"][^:,{}[\]]*?)\s*:\s*$/.exec(seg);
      frames.push({ kind: c === '{' ? 'map' : 'seq', key: km ? km[1].trim().replace(/^-\s+/, '') : undefined, at: i });
    } else if (c === '}' || c === ']') frames.pop();
  }
  if (!frames.length) return undefined;
  const last = frames[frames.length - 1];
  const segStart = Math.max(before.lastIndexOf(',') + 1, last.at + 1);
  return { start: frames[0].at, frames, segment: before.slice(segStart) };
}

// ---------------------------------------------------------------------------------------------
// The schema along a path.

function deref(s: JsonSchema, root: JsonSchema): JsonSchema {
  let cur = s;
  for (let n = 0; cur.$ref && n < 20; n++) {
    const m = /^#\/(definitions|\$defs)\/(.+)$/.exec(cur.$ref);
    const next = m ? (root[m[1]] as Record<string, JsonSchema> | undefined)?.[m[2]] : undefined;
    if (!next) break;
    cur = { ...next, ...Object.fromEntries(Object.entries(cur).filter(([k]) => k !== '$ref')) };
  }
  return cur;
}

/** Every alternative a value may take (anyOf, oneOf and allOf flattened), $refs followed. */
function alternatives(s: JsonSchema, root: JsonSchema, depth = 0): JsonSchema[] {
  if (depth > 12) return [];
  const d = deref(s, root);
  const out: JsonSchema[] = [d];
  for (const k of ['anyOf', 'oneOf', 'allOf'] as const) for (const a of d[k] ?? []) out.push(...alternatives(a, root, depth + 1));
  return out;
}

export function schemaAt(root: JsonSchema, path: string[]): JsonSchema[] {
  let cur: JsonSchema[] = [root];
  for (const seg of path) {
    const next: JsonSchema[] = [];
    for (const s of cur)
      for (const a of alternatives(s, root)) {
        if (seg === '[]') {
          if (a.items) next.push(a.items);
        } else if (a.properties && Object.hasOwn(a.properties, seg)) next.push(a.properties[seg]);
      }
    cur = next;
    if (!cur.length) break;
  }
  return cur;
}

function keysOf(schemas: JsonSchema[], root: JsonSchema): SchemaOption[] {
  const seen = new Map<string, SchemaOption>();
  for (const s of schemas)
    for (const a of alternatives(s, root))
      for (const [k, v] of Object.entries(a.properties ?? {})) {
        if (k === '$schema' || seen.has(k)) continue;
        const desc = alternatives(v, root).find((x) => x.description)?.description;
        seen.set(k, { label: k, apply: `${k}: `, type: 'property', info: desc });
      }
  return [...seen.values()];
}

function valuesOf(schemas: JsonSchema[], root: JsonSchema): SchemaOption[] {
  const seen = new Map<string, SchemaOption>();
  for (const s of schemas)
    for (const a of alternatives(s, root)) {
      for (const v of a.enum ?? []) if (typeof v === 'string' || typeof v === 'number') seen.set(String(v), { label: String(v), apply: String(v), type: 'enum', info: a.description });
      if (a.const !== undefined && (typeof a.const === 'string' || typeof a.const === 'number')) seen.set(String(a.const), { label: String(a.const), apply: String(a.const), type: 'enum' });
      const types = Array.isArray(a.type) ? a.type : a.type ? [a.type] : [];
      if (types.includes('boolean')) for (const b of ['true', 'false']) seen.set(b, { label: b, apply: b, type: 'keyword' });
    }
  return [...seen.values()];
}

/** Keys already written in the mapping the cursor is in (block form), so they are not offered again. */
function siblings(lines: string[], row: number, keyCol: number, startsItem: boolean): Set<string> {
  const out = new Set<string>();
  // Above, unless this line starts a new item (then the lines above are another item's).
  for (let i = row - 1; i >= 0 && !startsItem; i--) {
    const s = shape(lines[i]);
    if (s.blank) continue;
    if (s.dash !== undefined && s.dash < keyCol) {
      if (s.keyCol === keyCol) out.add(s.key!);
      break;
    }
    if (s.indent < keyCol) break;
    if (s.keyCol === keyCol) out.add(s.key!);
  }
  for (let i = row + 1; i < lines.length; i++) {
    const s = shape(lines[i]);
    if (s.blank) continue;
    if (s.indent < keyCol) break; // a shallower key, or the next item's "- "
    if (s.keyCol === keyCol) out.add(s.key!);
  }
  return out;
}

/** What to offer at `pos` in `text`. */
export function completeAt(text: string, pos: number, root: JsonSchema): SchemaCompletion | undefined {
  const lineStart = text.lastIndexOf('\n', pos - 1) + 1;
  const lines = text.slice(0, pos).split('\n');
  const row = lines.length - 1;
  const allLines = text.split('\n');
  const before = text.slice(lineStart, pos);
  if (/^\s*#/.test(before)) return undefined;
  const flow = flowFrames(before);
  if (flow) {
    // Inside { … } or [ … ] on this line.
    const pre = before.slice(0, flow.start);
    const ps = shape(pre + 'x: ');
    const preKey = /:\s*$/.test(pre) ? ps : undefined;
    const dash = /^(\s*)-\s+$/.exec(pre)?.[1].length ?? (preKey?.dash !== undefined && preKey.dash < (preKey.keyCol ?? 0) ? preKey.dash : undefined);
    let path = blockPath(lines, row, preKey?.keyCol ?? pre.length, dash);
    if (preKey && preKey.key) path = [...path, preKey.key];
    for (const f of flow.frames) {
      if (f.key && f !== flow.frames[0]) path = [...path, f.key];
      if (f.kind === 'seq') path = [...path, '[]'];
    }
    const last = flow.frames[flow.frames.length - 1];
    const seg = flow.segment;
    const kv = /^\s*([^\s:'"][^:]*?)\s*:\s*(\S*)$/.exec(seg);
    if (last.kind === 'map' && kv) {
      const vpath = [...path, kv[1]];
      return { from: pos - kv[2].length, options: valuesOf(schemaAt(root, vpath), root), path: vpath, kind: 'value' };
    }
    if (last.kind === 'map') {
      const word = /([\w.$-]*)$/.exec(seg)![1];
      const written = new Set([...before.slice(last.at + 1).matchAll(/([\w.$-]+)\s*:/g)].map((m) => m[1]));
      const options = keysOf(schemaAt(root, path), root).filter((o) => !written.has(o.label));
      return { from: pos - word.length, options, path, kind: 'key' };
    }
    const word = /([\w.$-]*)$/.exec(seg)![1];
    return { from: pos - word.length, options: valuesOf(schemaAt(root, path), root), path, kind: 'value' };
  }
  // Block context: `key: partial` completes a value, `  - partial` or `  partial` a key.
  const kv = KEY_RE.exec(before);
  if (kv && before.slice(kv[0].length).indexOf(':') < 0 && /:\s/.test(before)) {
    const partial = /(\S*)$/.exec(before.slice(kv[0].length))![1];
    const keyCol = kv[1].length + kv[2].length;
    const dash = kv[2] ? kv[1].length : undefined;
    const path = [...blockPath(lines, row, keyCol, dash), kv[3].trim()];
    return { from: pos - partial.length, options: valuesOf(schemaAt(root, path), root), path, kind: 'value' };
  }
  const km = /^(\s*)((?:-\s+)*)([\w.$-]*)$/.exec(before);
  if (!km) return undefined;
  const keyCol = km[1].length + km[2].length;
  const dash = km[2] ? km[1].length : undefined;
  const path = blockPath(lines, row, keyCol, dash);
  const written = siblings(allLines, row, keyCol, dash !== undefined);
  written.delete(km[3]);
  const options = keysOf(schemaAt(root, path), root).filter((o) => !written.has(o.label));
  return { from: pos - km[3].length, options, path, kind: 'key' };
}
