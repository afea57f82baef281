/** Why a fetch did not produce a document. Each code has one clear, one-line message. */
export type FetchErrorCode =
  /** The URL or an address it resolves to is not allowed (SSRF guard), or the scheme/credentials are wrong. */
  | 'refused'
  | 'bad-url'
  | 'too-many-redirects'
  | 'timeout'
  | 'too-large'
  /** The server answered with an error status (4xx/5xx) or a redirect without a usable Location. */
  | 'http-status'
  | 'bad-encoding'
  | 'network';

export class FetchError extends Error {
  override name = 'FetchError';

  constructor(
    readonly code: FetchErrorCode,
    message: string,
    readonly url: string,
    readonly details: { status?: number; retryAfterSeconds?: number | null; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
  }

  get status(): number | undefined {
    return this.details.status;
  }
}

/** Thrown from the connector when the socket would reach a refused address; becomes a `refused` FetchError. */
export class AddressRefusedError extends Error {
  override name = 'AddressRefusedError';
  readonly code = 'ERR_NEWSBRIEF_ADDRESS_REFUSED';
}

/** Finds an AddressRefusedError anywhere in a cause chain (undici wraps connector errors). */
export function findAddressRefusal(error: unknown): AddressRefusedError | null {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    if (current instanceof AddressRefusedError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}
