#!/usr/bin/env node
// Entry point of the `kafkasim` command: loads the TypeScript CLI through tsx,
// so a fresh clone runs without a build step.
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
