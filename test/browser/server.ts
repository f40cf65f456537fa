// The Vite dev server the browser tests open the page from, on a free port. Kept apart from
// helpers.ts (which registers Vitest hooks) so the browser project's global setup can start one
// server for every test file: files then run side by side without two servers optimising the page's
// dependencies at once in a fresh clone.
import { createServer, type ViteDevServer } from 'vite';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export async function startServer(): Promise<{ server: ViteDevServer; url: string }> {
  const server = await createServer({
    configFile: join(repo, 'vite.config.ts'),
    server: { port: 0, host: '127.0.0.1', strictPort: false, hmr: false },
    logLevel: 'error',
  });
  await server.listen();
  const addr = server.httpServer?.address();
  if (!addr || typeof addr === 'string') throw new Error('vite did not report a port');
  return { server, url: `http://127.0.0.1:${addr.port}/` };
}
