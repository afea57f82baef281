/**
 * An `AsyncStore` whose transactions see repositories changed by `patch` (to make a write fail): the engine's
 * writes go through transactions, and a SQLite store's async repositories call the methods they were made with,
 * so patching the synchronous store would not reach them.
 */
import type { AsyncStore, AsyncTransaction } from '../../storage/asyncStore.ts';

export function patchedTransactions(
  store: AsyncStore,
  patch: (tx: AsyncTransaction) => Partial<Omit<AsyncTransaction, 'transaction'>>,
): AsyncStore {
  const wrap = (tx: AsyncTransaction): AsyncTransaction => {
    const wrapped: AsyncTransaction = {
      ...tx,
      ...patch(tx),
      transaction: (work) => tx.transaction((inner) => work(wrap(inner))),
    };
    return wrapped;
  };
  return { ...store, transaction: (work) => store.transaction((tx) => work(wrap(tx))) };
}
