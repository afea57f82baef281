/** HTTP fetching for feeds and pages, with the SSRF guard; see httpFetcher.ts. */
export {
  type AddressAllowList,
  type AddressPolicy,
  createAddressGuard,
  LOOPBACK_RANGES,
  nonPublicKind,
  parseAddress,
} from './addressPolicy.ts';
export { maxAgeSeconds, retryAfterSeconds } from './cacheHeaders.ts';
export { FetchError, type FetchErrorCode } from './errors.ts';
export { type Resolver, systemResolver } from './guardedAgent.ts';
export { HostLimiter, type HostLimiterOptions } from './hostLimiter.ts';
export {
  checkUrl,
  FETCH_DEFAULTS,
  type FetcherOptions,
  type FetchRequest,
  type FetchResult,
  HttpFetcher,
  USER_AGENT,
} from './httpFetcher.ts';
