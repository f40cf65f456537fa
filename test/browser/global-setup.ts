// The browser projects' global setup: one Vite server for every browser test file (test/browser/server.ts),
// warmed before the first file opens the page, so the page's dependencies are optimised once. Both
// browser projects (the files that run side by side, and the timing ones that run alone) share it:
// their setups run in the one main process. Its address reaches the files through Vitest's
// provide/inject (helpers.ts useBrowser).
import type { ViteDevServer } from 'vite';
import type { TestProject } from 'vitest/node';
import { startServer } from './server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    viteUrl: string;
  }
}

interface Shared {
  server?: Promise<{ server: ViteDevServer; url: string }>;
  users?: number;
}
const shared = globalThis as typeof globalThis & { kafkasimVite?: Shared };

async function startWarm(): Promise<{ server: ViteDevServer; url: string }> {
  const started = await startServer();
  // transforming the page's entry and its workers makes Vite optimise their dependencies now
  for (const path of ['/main.ts', '/views/chrome.ts', '/run/worker.ts', '/run/sweep-worker.ts']) {
    await started.server.transformRequest(path).catch(() => undefined);
  }
  await started.server.waitForRequestsIdle?.();
  return started;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const s = (shared.kafkasimVite ??= {});
  s.server ??= startWarm();
  s.users = (s.users ?? 0) + 1;
  const { server, url } = await s.server;
  project.provide('viteUrl', url);
  return async () => {
    s.users = (s.users ?? 1) - 1;
    if (s.users > 0) return;
    s.server = undefined;
    await server.close();
  };
}
