// A sweep worker thread's entry: TypeScript is loaded through tsx here too, as bin/kafkasim.js does
// for the main thread, so a fresh clone runs workers without a build step.
import { register } from 'tsx/esm/api';
register();
await import('./worker.ts');
