#!/usr/bin/env node
// Runs a TypeScript script (benchmarks) through tsx: `node bin/run-ts.js bench/bench.ts [args]`.
import { pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const [script, ...args] = process.argv.slice(2);
if (!script) {
  console.error('usage: run-ts.js SCRIPT [ARGS...]');
  process.exit(2);
}
process.argv = [process.argv[0], script, ...args];
await import(pathToFileURL(script).href);
