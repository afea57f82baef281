#!/usr/bin/env node
// Runs the TypeScript sources directly (through tsx) so that `npx newsbrief` works in a fresh checkout
// with no build step. Production (Procfile) runs the compiled output in dist/ instead.
import { register } from 'tsx/esm/api';

register();
await import('../cli/run.ts');
