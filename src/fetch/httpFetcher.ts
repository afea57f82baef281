/**
 * Fetches feeds and pages over HTTP(S) with everything a server on the open internet can get wrong bounded: connect
 * and total timeouts, a body cap, at most five redirects (each hop re-checked), and the SSRF guard on every socket.
 * Conditional GET: pass the stored ETag / Last-Modified and a 304 comes back as `not-modified` with no body read.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { Agent, Dispatcher } from 'undici';
import { PACKAGE_ROOT } from '../paths.ts';
import { type AddressAllowList, type AddressGuard, createAddressGuard } from './addressPolicy.ts';
import { maxAgeSeconds, retryAfterSeconds } from './cacheHeaders.ts';
import { FetchError, findAddressRefusal } from './errors.ts';
import { createGuardedAgent, hostRefusal, type Resolver } from './guardedAgent.ts';
import { BodyTooLargeError, formatBytes, readBody, UnsupportedEncodingError } from './responseBody.ts';

export interface FetcherOptions {
  /** Non-public addresses or ranges allowed anyway (`127.0.0.1`, `10.0.0.0/8`). Default: none. */
  allowAddresses?: AddressAllowList;
  /** Resolves host names; defaults to the system resolver. Tests inject one so they need no DNS. */
  resolve?: Resolver;
  connectTimeoutMs?: number;
  /** For the whole fetch: every redirect hop, the headers and the body. */
  timeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
  userAgent?: string;
}

export interface FetchRequest {
  url: string;
  /** Validators from the last full response, sent as If-None-Match / If-Modified-Since. */
  etag?: string | null;
  lastModified?: string | null;
  accept?: string;
  signal?: AbortSignal;
}

interface ResponseMeta {
  /** The URL asked for. */
  url: string;
  /** The URL that answered, after redirects. */
  finalUrl: string;
  redirects: number;
  statusCode: number;
  etag: string | null;
  lastModified: string | null;
  /** Freshness the server asked for (Cache-Control), seconds; null when it said nothing. */
  maxAgeSeconds: number | null;
}

export type FetchResult =
  | (ResponseMeta & { kind: 'not-modified' })
  | (ResponseMeta & { kind: 'document'; contentType: string | null; bytes: Uint8Array });

export const FETCH_DEFAULTS = {
  connectTimeoutMs: 10_000,
  timeoutMs: 30_000,
  maxBytes: 10 * 1024 * 1024,
  maxRedirects: 5,
} as const;

const ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, ' +
  'text/html;q=0.8, application/xhtml+xml;q=0.8, */*;q=0.5';

function packageVersion(): string {
  try {
    return (
      (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version?: string }).version ?? '0'
    );
  } catch {
    return '0';
  }
}

export const USER_AGENT = `newsbrief/${packageVersion()} (+https://github.com/newsbrief/newsbrief; news digest bot)`;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

function header(headers: Dispatcher.ResponseData['headers'], name: string): string | null {
  const value = headers[name];
  if (value === undefined) return null;
  return Array.isArray(value) ? (value[0] ?? null) : value;
}

/** Why `url` may not be fetched at all (scheme, credentials, a refused literal address), checked on every hop. */
export function checkUrl(text: string, guard: AddressGuard): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new FetchError('bad-url', `not a valid URL: ${text.slice(0, 200)}`, text);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FetchError('refused', `refused ${url.protocol} URL: only http and https are fetched`, text);
  }
  if (url.username || url.password) {
    throw new FetchError('refused', 'refused a URL with credentials in it (user:password@)', redact(url));
  }
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  const refusal = hostRefusal(hostname, guard);
  if (refusal) throw new FetchError('refused', `refused ${url.host}: ${refusal}`, text);
  return url;
}

function redact(url: URL): string {
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  return copy.href;
}

function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}

export class HttpFetcher {
  private readonly agent: Agent;
  private readonly guard: AddressGuard;
  private readonly timeoutMs: number;
  private readonly maxBytes: number;
  private readonly maxRedirects: number;
  private readonly userAgent: string;

  constructor(options: FetcherOptions = {}) {
    this.guard = createAddressGuard({ allow: options.allowAddresses ?? [] });
    this.agent = createGuardedAgent({
      guard: this.guard,
      connectTimeoutMs: options.connectTimeoutMs ?? FETCH_DEFAULTS.connectTimeoutMs,
      ...(options.resolve ? { resolve: options.resolve } : {}),
    });
    this.timeoutMs = options.timeoutMs ?? FETCH_DEFAULTS.timeoutMs;
    this.maxBytes = options.maxBytes ?? FETCH_DEFAULTS.maxBytes;
    this.maxRedirects = options.maxRedirects ?? FETCH_DEFAULTS.maxRedirects;
    this.userAgent = options.userAgent ?? USER_AGENT;
  }

  /** Fetches `request.url`; throws FetchError for every way it can fail. */
  async fetch(request: FetchRequest): Promise<FetchResult> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
    let current = request.url;
    for (let redirects = 0; ; redirects++) {
      const url = checkUrl(current, this.guard);
      const response = await this.send(url, request, signal);
      const { statusCode, headers, body } = response;
      const location = header(headers, 'location');
      if (REDIRECTS.has(statusCode) && location) {
        await discard(body);
        if (redirects >= this.maxRedirects) {
          throw new FetchError('too-many-redirects', `more than ${this.maxRedirects} redirects`, request.url);
        }
        try {
          current = new URL(location, url).href;
        } catch {
          throw new FetchError('http-status', `HTTP ${statusCode} to an unreadable Location`, url.href, {
            status: statusCode,
          });
        }
        continue;
      }
      const meta: ResponseMeta = {
        url: request.url,
        finalUrl: url.href,
        redirects,
        statusCode,
        etag: header(headers, 'etag'),
        lastModified: header(headers, 'last-modified'),
        maxAgeSeconds: maxAgeSeconds(header(headers, 'cache-control')),
      };
      if (statusCode === 304) {
        await discard(body);
        return { ...meta, kind: 'not-modified' };
      }
      if (statusCode < 200 || statusCode >= 300) {
        await discard(body);
        throw new FetchError('http-status', `HTTP ${statusCode}`, url.href, {
          status: statusCode,
          retryAfterSeconds: retryAfterSeconds(header(headers, 'retry-after'), new Date()),
        });
      }
      const bytes = await this.readBody(body, headers, url.href, signal);
      return { ...meta, kind: 'document', contentType: header(headers, 'content-type'), bytes };
    }
  }

  private async send(url: URL, request: FetchRequest, signal: AbortSignal): Promise<Dispatcher.ResponseData> {
    const headers: Record<string, string> = {
      'user-agent': this.userAgent,
      accept: request.accept ?? ACCEPT,
      'accept-encoding': 'gzip, deflate, br',
    };
    if (request.etag) headers['if-none-match'] = request.etag;
    if (request.lastModified) headers['if-modified-since'] = request.lastModified;
    try {
      return await this.agent.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: 'GET',
        headers,
        // The one timeout for the whole fetch; undici's own header/body timers only add cost on top of it.
        signal,
      });
    } catch (error) {
      throw this.describeFailure(error, url.href, signal);
    }
  }

  private async readBody(
    body: Readable,
    headers: Dispatcher.ResponseData['headers'],
    url: string,
    signal: AbortSignal,
  ): Promise<Uint8Array> {
    const length = Number(header(headers, 'content-length'));
    if (Number.isFinite(length) && length > this.maxBytes) {
      abandon(body);
      throw new FetchError(
        'too-large',
        `the body (${formatBytes(length)}) is larger than ${formatBytes(this.maxBytes)}`,
        url,
      );
    }
    try {
      return await readBody(body, header(headers, 'content-encoding'), this.maxBytes);
    } catch (error) {
      abandon(body);
      if (error instanceof BodyTooLargeError) throw new FetchError('too-large', error.message, url);
      if (error instanceof UnsupportedEncodingError) throw new FetchError('bad-encoding', error.message, url);
      const code = errorCode(error);
      // zlib names its errors Z_* (gzip, deflate) and ERR__* (brotli).
      if (code.startsWith('Z_') || code.startsWith('ERR__') || code.startsWith('ERR_BROTLI')) {
        throw new FetchError('bad-encoding', `could not decompress the body: ${oneLine(error)}`, url, { cause: error });
      }
      throw this.describeFailure(error, url, signal);
    }
  }

  private describeFailure(error: unknown, url: string, signal: AbortSignal): FetchError {
    if (error instanceof FetchError) return error;
    const refusal = findAddressRefusal(error);
    if (refusal) return new FetchError('refused', `refused ${new URL(url).host}: ${refusal.message}`, url);
    const code = errorCode(error);
    if (signal.aborted) {
      const reason = signal.reason as { name?: string } | undefined;
      if (reason?.name === 'TimeoutError') {
        return new FetchError('timeout', `no complete answer within ${this.timeoutMs / 1000} s`, url);
      }
      return new FetchError('network', 'the fetch was cancelled', url, { cause: error });
    }
    if (code === 'UND_ERR_CONNECT_TIMEOUT') return new FetchError('timeout', 'connect timed out', url);
    if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
      return new FetchError('timeout', 'the server stopped answering', url);
    }
    const certificate = certificateProblem(code);
    if (certificate) {
      return new FetchError('network', `refused the server's TLS certificate: ${certificate} (${code})`, url, {
        cause: error,
      });
    }
    if (code === 'UND_ERR_SOCKET') {
      return new FetchError('network', 'the server closed the connection before the answer was complete', url, {
        cause: error,
      });
    }
    const detail = code && !oneLine(error).includes(code) ? `${code}: ${oneLine(error)}` : oneLine(error);
    return new FetchError('network', detail, url, { cause: error });
  }

  /** Closes idle keep-alive sockets; the fetcher is unusable after. */
  async close(): Promise<void> {
    await this.agent.close();
  }
}

/** OpenSSL's verification codes, as a person reads them: the fetch never goes on past an untrusted certificate. */
const CERTIFICATE_PROBLEMS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'it is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'its chain ends in a self-signed certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'no trusted authority signed it',
  UNABLE_TO_GET_ISSUER_CERT: 'no trusted authority signed it',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'no trusted authority signed it',
  CERT_HAS_EXPIRED: 'it has expired',
  CERT_NOT_YET_VALID: 'it is not valid yet',
  CERT_REVOKED: 'it was revoked',
  ERR_TLS_CERT_ALTNAME_INVALID: 'it is for another host name',
};

function certificateProblem(code: string): string | null {
  return CERTIFICATE_PROBLEMS[code] ?? (code.startsWith('CERT_') ? 'it is not valid' : null);
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

/** Stops reading a body and closes its socket; undici reports that as an error nobody needs to hear. */
function abandon(body: Readable): void {
  body.once('error', () => {});
  body.destroy();
}

/** Drains a body we do not need (a redirect's, an error page) so the socket can be reused; drops it past 64 KiB. */
async function discard(body: Dispatcher.ResponseData['body']): Promise<void> {
  try {
    await body.dump({ limit: 64 * 1024 });
  } catch {
    // Nothing to save from an unread body.
  }
}
