// Serves and builds the front end (viz/) and configures vitest for the whole repo.
import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: 'viz',
  // viz/public: the favicon (served at /favicon.ico and /favicon.svg, copied into the build).
  publicDir: 'public',
  server: { port: 5173, strictPort: false, fs: { allow: [here] } },
  build: { outDir: '../dist', emptyOutDir: true },
  test: {
    root: here,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          root: here,
          include: ['test/**/*.test.ts'],
          exclude: ['test/browser/**', 'node_modules/**'],
          testTimeout: 60_000,
          // every core: Vitest's default leaves one free, which on a 2-core machine ran the unit files one at a time
          maxWorkers: '100%',
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          root: here,
          include: ['test/browser/**/*.test.ts'],
          exclude: ['test/browser/responsive.test.ts', 'node_modules/**'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // one Vite server for every file, warmed before the first (test/browser/global-setup.ts), so
          // the files may run side by side with the unit files, on every core
          globalSetup: ['test/browser/global-setup.ts'],
          maxWorkers: '100%',
        },
      },
      {
        extends: true,
        test: {
          // the page's responsiveness, measured in wall time: alone, after everything else
          name: 'browser-timing',
          root: here,
          include: ['test/browser/responsive.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          globalSetup: ['test/browser/global-setup.ts'],
          fileParallelism: false,
        },
      },
    ],
    benchmark: { include: ['test/bench/**/*.bench.ts'] },
  },
});
