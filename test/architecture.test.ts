// Enforces the project's layering (imports flow sim ← src ← viz; the table below) and the determinism rules of
// the simulation (nothing in sim/ reads ambient time or randomness, or uses engine-dependent maths).
import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, dirname, resolve } from 'node:path';

const root = resolve(__dirname, '..');

function sourceFiles(dir: string): string[] {
  const full = join(root, dir);
  let entries: string[];
  try {
    entries = readdirSync(full);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const p = join(full, name);
    if (statSync(p).isDirectory()) return sourceFiles(relative(root, p));
    return /\.(ts|js|mjs)$/.test(name) ? [relative(root, p)] : [];
  });
}

/** Import specifiers of a module: static imports, re-exports and dynamic import() of literals. */
export function importsOf(text: string): string[] {
  const found: string[] = [];
  const patterns = [/\bfrom\s+['"]([^'"]+)['"]/g, /\bimport\s+['"]([^'"]+)['"]/g, /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const re of patterns) for (const m of text.matchAll(re)) found.push(m[1]);
  return found;
}

/** Modules imported only to run them (`import './x.ts';`), with nothing taken from them. */
function sideEffectImports(text: string): string[] {
  return [...text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]);
}

/** Which folder of the table an import lands in ("sim/engine", "src/scenario", "pkg:yaml", "node:fs"). */
function target(file: string, spec: string): string {
  if (spec.startsWith('.')) {
    const abs = relative(root, resolve(root, dirname(file), spec));
    if (abs === SHARED_STATS) return 'src/experiments/stats';
    return folderOf(abs);
  }
  if (spec.startsWith('node:')) return spec;
  const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
  return `pkg:${pkg}`;
}

/**
 * The one module of src/experiments the page may use: the Wilson interval and percentiles, pure
 * arithmetic with no Node built-in, so the sweep's report and the page's "How often?" panel agree.
 */
const SHARED_STATS = 'src/experiments/stats.ts';

/** sim/kafka in the layering table: the core model and, within it, the clients (clients/). */
const isKafka = (t: string) => t === 'sim/kafka' || t === 'sim/kafka/clients';

// The layering: what each folder may import (besides itself). The clients (sim/kafka/clients/) are
// part of sim/kafka for everyone else, but the core model never imports them: they are written
// against the core (its protocol, network and ClientObserver), and a simulation without clients is
// still a whole Kafka cluster.
const ALLOWED: Record<string, (t: string) => boolean> = {
  'sim/engine': (t) => t === 'pkg:seedrandom' || t === 'pkg:@noble/hashes',
  'sim/kafka': (t) => t === 'sim/engine',
  'sim/kafka/clients': (t) => t === 'sim/engine' || t === 'sim/kafka',
  'sim/faults': (t) => t === 'sim/engine' || isKafka(t),
  'sim/check': (t) => t === 'sim/engine' || isKafka(t),
  'src/scenario': (t) => t.startsWith('sim/') || t === 'pkg:yaml',
  // the package's programmatic face: the model and the scenario format, nothing of Node or the terminal
  'src/api': (t) => t.startsWith('sim/') || t === 'src/scenario',
  'src/cli': (t) => t.startsWith('sim/') || t.startsWith('src/') || t.startsWith('node:') || t.startsWith('pkg:'),
  'src/experiments': (t) => t.startsWith('sim/') || t === 'src/scenario' || t === 'src/experiments/stats' || t.startsWith('node:') || t.startsWith('pkg:'),
  viz: (t) => t.startsWith('sim/') || t === 'src/scenario' || t === 'src/experiments/stats' || t.startsWith('pkg:') || t === 'viz' || t === 'scenarios',
};

/** The row of the table a file (or an import's target) belongs to; sim/kafka/clients is a row of its own. */
function folderOf(file: string): string {
  const parts = file.split('/');
  if (parts[0] === 'sim' && parts[1] === 'kafka' && parts[2] === 'clients') return 'sim/kafka/clients';
  return parts[0] === 'sim' || parts[0] === 'src' ? parts.slice(0, 2).join('/') : parts[0];
}

describe('layering (imports flow sim ← src ← viz)', () => {
  const files = ['sim', 'src', 'viz'].flatMap(sourceFiles);

  it('finds the source tree', () => {
    expect(files.some((f) => f.startsWith('sim/engine/'))).toBe(true);
  });

  it('every import goes where the table allows', () => {
    const violations: string[] = [];
    for (const file of files) {
      const folder = folderOf(file);
      const allowed = ALLOWED[folder];
      if (!allowed) {
        violations.push(`${file}: folder ${folder} is not in the layering table`);
        continue;
      }
      for (const spec of importsOf(stripComments(readFileSync(join(root, file), 'utf8')))) {
        const t = target(file, spec);
        if (t === folder) continue;
        if (!allowed(t)) violations.push(`${file} imports ${spec} (${t}), which ${folder} may not`);
      }
    }
    expect(violations).toEqual([]);
  });

  // A simulation is assembled from the parts it is handed (sim/kafka/assemble-simulation.ts), never
  // from modules that register themselves when imported: what runs must be readable at the call.
  it('no module is imported for its side effects alone', () => {
    const found = files.flatMap((file) => sideEffectImports(stripComments(readFileSync(join(root, file), 'utf8'))).map((spec) => `${file} imports ${spec} for its side effects`));
    expect(found).toEqual([]);
  });

  it('the checker itself catches a forbidden import', () => {
    expect(target('sim/kafka/broker.ts', '../../src/cli/main.ts')).toBe('src/cli');
    expect(ALLOWED['sim/kafka'](target('sim/kafka/broker.ts', '../../src/cli/main.ts'))).toBe(false);
    expect(ALLOWED['sim/engine'](target('sim/engine/x.ts', 'node:fs'))).toBe(false);
    // the core model may not reach into the clients; the clients and everyone else may use both
    expect(target('sim/kafka/ledger-port.ts', './clients/observer.ts')).toBe('sim/kafka/clients');
    expect(ALLOWED['sim/kafka'](target('sim/kafka/ledger-port.ts', './clients/observer.ts'))).toBe(false);
    expect(ALLOWED['sim/kafka/clients'](target('sim/kafka/clients/producer.ts', '../client-observer.ts'))).toBe(true);
    expect(ALLOWED['sim/check'](target('sim/check/ledger.ts', '../kafka/clients/lag.ts'))).toBe(true);
    expect(ALLOWED['src/scenario'](target('src/scenario/run.ts', '../../sim/kafka/clients/index.ts'))).toBe(true);
    expect(ALLOWED.viz(target('viz/lib/x.ts', '../../src/experiments/stats.ts'))).toBe(true);
    expect(ALLOWED.viz(target('viz/lib/x.ts', '../../src/experiments/runner.ts'))).toBe(false);
    expect(sideEffectImports("import '../faults/index.ts';\nimport { a } from './a.ts';\nimport type { B } from './b.ts';")).toEqual(['../faults/index.ts']);
    expect(importsOf("import { a } from './a.ts';\nexport * from \"../b.ts\";\nawait import('./c.ts')")).toEqual(['./a.ts', '../b.ts', './c.ts']);
  });
});

// Determinism: no ambient clock or randomness, no engine-dependent maths, on the simulation path.
const FORBIDDEN: [RegExp, string][] = [
  [/\bMath\.random\b/, 'Math.random'],
  [/\bDate\b/, 'Date (wall clock)'],
  [/\bperformance\b/, 'performance.now (wall clock)'],
  [/\bset(Timeout|Interval|Immediate)\b/, 'timers'],
  [/\bqueueMicrotask\b|\brequestAnimationFrame\b/, 'host scheduling'],
  [/\brandomUUID\b|\bgetRandomValues\b|\bcrypto\b/, 'ambient randomness'],
  [/\bprocess\.|\bglobalThis\.process\b/, 'the environment (process)'],
  [/\bMath\.(log|log2|log10|log1p|exp|expm1|pow|sin|cos|tan|asin|acos|atan|atan2|sinh|cosh|tanh|cbrt|hypot)\b/, 'inexact maths'],
  [/seedrandom\(\s*\)/, 'seedrandom without a seed'],
];

function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

describe('determinism of sim/', () => {
  it('uses no ambient clock, randomness, environment or inexact maths', () => {
    const hits: string[] = [];
    for (const file of [...sourceFiles('sim'), ...sourceFiles('src/scenario')]) {
      const lines = stripComments(readFileSync(join(root, file), 'utf8')).split('\n');
      lines.forEach((line, i) => {
        for (const [re, what] of FORBIDDEN) if (re.test(line)) hits.push(`${file}:${i + 1} uses ${what}: ${line.trim()}`);
      });
    }
    expect(hits).toEqual([]);
  });

  it('the scan recognises what it forbids', () => {
    const sample = 'const x = Math.random();\nconst y = Date.now(); // ok in comment: Math.exp(1)\nconst z = Math.pow(2, 3);';
    const flagged = stripComments(sample).split('\n').filter((l) => FORBIDDEN.some(([re]) => re.test(l)));
    expect(flagged).toHaveLength(3);
  });
});
