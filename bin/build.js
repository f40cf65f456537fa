// `npm run build` (and `prepare`, so `npm install` in a clone runs it): compiles sim/ and src/ to
// JavaScript in dist/ with tsconfig.build.json (TypeScript's own emit, relative `.ts` imports rewritten
// to `.js`; no type checking here, `npm run typecheck` does that), copies the sources that are
// already JavaScript (the sweep worker's entry), and records the sources it was made from in
// dist/build-stamp.json so that bin/kafkasim.js never runs a stale dist/.
//
// The new tree is compiled beside the old one and moved into place at the end, and the stamp is
// removed first and written last: a command started meanwhile runs the sources through tsx, never
// half a build.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fingerprint, SOURCE_DIRS, STAMP } from './freshness.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const dist = join(root, 'dist');
const started = Date.now();

let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  // `npm install --omit=dev` in a clone: no compiler, so no dist/; the command says what to do.
  console.error('kafkasim build: typescript is not installed (a devDependency), so dist/ was not built; bin/kafkasim.js will say so');
  process.exit(0);
}

// Recorded before compiling: a file edited while tsc runs makes this build stale, as it should.
const sources = fingerprint(root);

const staging = join(dist, `.build-${process.pid}`);
rmSync(staging, { recursive: true, force: true });
const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', staging], { cwd: root, stdio: 'inherit' });
if (r.status !== 0) {
  rmSync(staging, { recursive: true, force: true });
  console.error(`kafkasim build: tsc failed (exit ${r.status ?? r.signal}); dist/ left as it was`);
  process.exit(r.status || 1);
}

// Sources that are JavaScript already (tsc emits only what it compiles), next to their compiled peers.
let copied = 0;
for (const rel of Object.keys(sources)) {
  if (!SOURCE_DIRS.some((d) => rel.startsWith(`${d}/`)) || !/\.(mjs|cjs|js)$/.test(rel)) continue;
  mkdirSync(dirname(join(staging, rel)), { recursive: true });
  copyFileSync(join(root, rel), join(staging, rel));
  copied++;
}

rmSync(join(root, STAMP), { force: true });
for (const d of SOURCE_DIRS) {
  const old = join(dist, `.old-${d}-${process.pid}`);
  if (existsSync(join(dist, d))) renameSync(join(dist, d), old);
  renameSync(join(staging, d), join(dist, d));
  rmSync(old, { recursive: true, force: true });
}
rmSync(staging, { recursive: true, force: true });
const tmp = join(root, `${STAMP}.${process.pid}`);
writeFileSync(tmp, `${JSON.stringify({ sources }, null, 1)}\n`);
renameSync(tmp, join(root, STAMP));

const count = (dir) => readdirSync(dir, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? count(join(dir, e.name)) : 1), 0);
const files = SOURCE_DIRS.reduce((n, d) => n + count(join(dist, d)), 0);
console.error(`kafkasim build: ${files} files in dist/ (${copied} copied as they are) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
