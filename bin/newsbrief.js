#!/usr/bin/env node
// Runs the TypeScript sources directly (through tsx) so that `npx newsbrief` works in a fresh checkout
// with no build step. Production (Procfile) runs the compiled output in dist/ instead.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
