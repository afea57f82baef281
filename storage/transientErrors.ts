/**
 * Failures of the database itself rather than of what was asked of it: the same work, tried again a little later,
 * can succeed. The engine tells them from its own errors and from the data's (a feed that could not be read, a
 * value a column refuses) to retry the work instead of blaming it on a source. Both backends' codes are read from
 * the error alone, so nothing here loads a driver.
 */

/** PostgreSQL SQLSTATEs of passing trouble (Appendix A of its manual), besides the whole class 08. */
const POSTGRES_CODES = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '40003', // statement_completion_unknown
  '55P03', // lock_not_available (lock_timeout, NOWAIT)
  '57014', // query_canceled (statement_timeout)
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down)
  '53300', // too_many_connections
]);

/** better-sqlite3's codes for another connection holding the lock longer than the busy timeout. */
const SQLITE_CODE = /^SQLITE_(BUSY|LOCKED)(_|$)/;

/** A socket to the server that broke or never opened (node's codes). */
const SOCKET_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH']);

/** pg raises these without a code when the connection under a query is gone. */
const PG_CONNECTION_LOST =
  /^(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect)/;

/**
 * Whether `error` is the database's passing trouble, worth the same work again. Only the error itself is read, not
 * what caused it: a fetch error caused by a reset socket is the feed's, not the database's.
 */
export function isTransientStorageError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string') return PG_CONNECTION_LOST.test(error.message);
  return POSTGRES_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code) || SQLITE_CODE.test(code) || SOCKET_CODES.has(code);
}
