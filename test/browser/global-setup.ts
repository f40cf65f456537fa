// The browser project's global setup: one Vite server for every browser test file (test/browser/server.ts),
// warmed before the first file opens the page, so the page's dependencies are optimised once. Its
// address reaches the files through Vitest's provide/inject (helpers.ts useBrowser).
import type { TestProject } from 'vitest/node';
import { startServer } from './server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    viteUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { server, url } = await startServer();
  // transforming the page's entry and its worker makes Vite optimise their dependencies now
  for (const path of ['/main.ts', '/views/chrome.ts', '/run/worker.ts', '/run/sweep-worker.ts']) {
    await server.transformRequest(path).catch(() => undefined);
  }
  await server.waitForRequestsIdle?.();
  project.provide('viteUrl', url);
  return async () => {
    await server.close();
  };
}
