// Whether dist/ was compiled from the sources as they are now. The build (bin/build.js) records, before
// it compiles, every source file's path, size and modification time in dist/build-stamp.json; the
// command compares that record with the files on disk (a directory walk and one stat per .ts, .js,
// .mjs or .json file: a few milliseconds) and runs dist/ only when they are all the same. Any edit,
// touch, new, deleted or renamed source, or a changed tsconfig, makes dist/ stale. Used only in a
// clone: a package installed from `npm pack` ships dist/ without the sources.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What the compiled code is made from, relative to the project's root. */
export const SOURCE_DIRS = ['sim', 'src'];
export const CONFIG_FILES = ['tsconfig.json', 'tsconfig.build.json'];
export const STAMP = 'dist/build-stamp.json';
/** The files in those folders that the build compiles or copies (not notes, not an editor's swap files). */
const SOURCE = /\.([mc]?[jt]s|json)$/;

/** Every source file as `path -> "size mtimeMs"`, in path order. */
export function fingerprint(root) {
  if (root instanceof URL) root = fileURLToPath(root);
  const files = {};
  const note = (rel) => {
    const s = statSync(join(root, rel), { throwIfNoEntry: false });
    if (s !== undefined) files[rel] = `${s.size} ${s.mtimeMs}`; // else deleted while we looked
  };
  const walk = (rel) => {
    let entries;
    try {
      entries = readdirSync(join(root, rel), { withFileTypes: true });
    } catch (e) {
      if (e.code === 'ENOENT') return; // a folder removed while we looked
      throw e;
    }
    for (const d of entries) {
      const child = `${rel}/${d.name}`;
      if (d.isDirectory()) walk(child);
      else if (SOURCE.test(d.name)) note(child);
    }
  };
  for (const dir of SOURCE_DIRS) walk(dir);
  for (const f of CONFIG_FILES) note(f);
  return Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Why dist/ cannot be run as the sources are now ("src/cli/run.ts changed since the build"), or null
 * when it can.
 */
export function staleness(root) {
  if (root instanceof URL) root = fileURLToPath(root);
  let recorded;
  try {
    recorded = JSON.parse(readFileSync(join(root, STAMP), 'utf8')).sources;
  } catch {
    return 'dist/ has not been built';
  }
  const now = fingerprint(root);
  for (const [path, sig] of Object.entries(now)) {
    if (recorded[path] === undefined) return `${path} is new since the build`;
    if (recorded[path] !== sig) return `${path} changed since the build`;
  }
  for (const path of Object.keys(recorded)) if (now[path] === undefined) return `${path} is gone since the build`;
  return null;
}
