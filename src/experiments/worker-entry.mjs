// A sweep worker thread's entry. The build copies it as it is into dist/src/experiments/, beside the
// compiled worker.js, so a main thread running from dist/ starts workers on compiled code without tsx.
// Here in src/ (bin/kafkasim.js found dist/ missing or stale and runs the sources), there is no
// worker.js beside it, and worker.ts is loaded through tsx as the main thread is.
import { existsSync } from 'node:fs';

const compiled = new URL('./worker.js', import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./worker.ts');
}
