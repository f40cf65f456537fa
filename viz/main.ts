// Entry point of the kafkasim front end (served by Vite from viz/): builds the app and opens the
// scenario the URL names, or the default one. `window.kafkasim` exposes a read-only probe for tests.
import { App } from './app/app.ts';

const app = new App();
(window as unknown as { kafkasim: App }).kafkasim = app;
void app.start();
