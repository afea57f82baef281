export type { Async } from '../asyncStore.ts';
