#!/usr/bin/env node
// Entry point of the `kafkasim` command. It runs the compiled JavaScript in dist/ (`npm run build`,
// which `npm install` runs by itself through `prepare`), so start-up compiles nothing and never loads
// tsx. In a clone, dist/ is run only if it was built from the sources as they are now (bin/freshness.js:
// paths, sizes and modification times recorded at build time); when it is missing or older than the
// sources, the TypeScript sources run through tsx (a devDependency), as they always did, and on a
// terminal a one-line hint says so. Stale compiled code is never run.
import { existsSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';

// A command's run is short and its behaviour changes as it goes (a crash, a restart), so most of it
// runs while V8's optimizer is still settling: deep inlining (920 bytes of bytecode per function by
// default) gets undone and redone each time a path the inlined code did not expect is taken. A budget
// of 200 bytes keeps optimized code smaller and steadier, and cuts the CPU of a typical `run` by about
// a fifth (reference workload, 5 runs each: 2.23-2.34 s -> 1.76-1.83 s). It changes how fast the same
// code runs, never what it computes: traces are byte-identical (the golden check runs with it).
setFlagsFromString('--max-inlined-bytecode-size-cumulative=200');

const root = new URL('../', import.meta.url);
const compiled = new URL('dist/src/cli/main.js', root);
const sources = new URL('src/cli/main.ts', root);

let entry = compiled;
if (existsSync(sources)) {
  // A clone: the sources are here, and may have changed since dist/ was built.
  const { staleness } = await import('./freshness.js');
  const why = existsSync(compiled) ? staleness(root) : 'dist/ has not been built';
  if (why !== null) {
    try {
      const { register } = await import('tsx/esm/api');
      register();
    } catch (e) {
      if (e?.code !== 'ERR_MODULE_NOT_FOUND') throw e;
      process.stderr.write(`kafkasim: cannot start: ${why}, and tsx is not installed to run the TypeScript sources; run \`npm run build\` (or \`npm install\`)\n`);
      process.exit(2);
    }
    if (process.stderr.isTTY) process.stderr.write(`kafkasim: ${why}; running the TypeScript sources through tsx (slower start); \`npm run build\` compiles them\n`);
    entry = sources;
  }
} else if (!existsSync(compiled)) {
  process.stderr.write('kafkasim: cannot start: neither dist/src/cli/main.js nor the sources are here; reinstall the package\n');
  process.exit(2);
}

const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
