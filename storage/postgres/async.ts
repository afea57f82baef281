/**
 * A repository interface of `storage/repositories.ts` as a network database serves it: every method returns a
 * promise of what the synchronous one returns, with the same arguments. The synchronous interfaces stay as they
 * are; the engine moves to these where it needs to, one boundary at a time.
 */
export type Async<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : T[K];
};
