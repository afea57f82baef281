/**
 * Discord's HTTP interactions: with an Interactions Endpoint URL set in the Developer Portal, Discord POSTs every
 * command, button and autocomplete to it instead of sending them over the gateway, signed with the application's
 * Ed25519 key (`X-Signature-Ed25519` over `X-Signature-Timestamp` + the raw body), and reads the first response
 * from the HTTP answer, within 3 s. This is the endpoint: it verifies every request before anything reads the
 * body as JSON, answers Discord's PING, and hands the rest to the adapter with a way to answer.
 *
 * Refused: a wrong path (404) or method (405); missing, malformed or wrong signatures and timestamps more than five
 * minutes off (401, the body never parsed); bodies over the cap (413) or slower than the body timeout (408); a
 * signed body that is not an interaction (400); an interaction seen already (409: a replayed request).
 */
import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpReply, InteractionHead } from './callbackRouter.ts';

export const INTERACTIONS_PATH = '/discord/interactions';
/** How far a request's timestamp may be from this clock, either way. */
const TOLERANCE_MS = 5 * 60_000;
const MAX_BODY_BYTES = 1024 * 1024;
const BODY_TIMEOUT_MS = 10_000;
/** Interaction tokens live 15 minutes: an id seen within that is a replay. */
const SEEN_MS = 15 * 60_000;
const SEEN_MAX = 20_000;
const DEFAULT_PORT = 3000;

/** The part of a pino logger the endpoint writes to. */
interface EndpointLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** A verified interaction: its payload as Discord sent it. */
export type RawInteraction = InteractionHead & Record<string, unknown>;

export interface InteractionsEndpointOptions {
  /** The application's public key (see `publicKeyOf`). */
  publicKey: KeyObject;
  port: number;
  /** The address to listen on; all of them when left out. */
  host?: string;
  log: EndpointLog;
  /** Handles one verified interaction; its first answer goes through `reply`. */
  handle(interaction: RawInteraction, reply: HttpReply): Promise<void>;
  maxBodyBytes?: number;
  bodyTimeoutMs?: number;
  now?: () => number;
}

export interface InteractionsSettings {
  /** The public key, 64 hexadecimal characters. */
  publicKey: string;
  port: number;
  host?: string;
}

/** A raw 32-byte Ed25519 public key (hex, as the Developer Portal shows it) as a KeyObject. */
export function publicKeyOf(hex: string): KeyObject {
  const x = Buffer.from(hex, 'hex').toString('base64url');
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
}

/** Whether `signature` (hex) is the key's Ed25519 signature of `timestamp` + `body`. */
export function verifySignature(key: KeyObject, signature: string, timestamp: string, body: Buffer): boolean {
  if (!/^[0-9a-f]{128}$/i.test(signature)) return false;
  try {
    return verify(null, Buffer.concat([Buffer.from(timestamp, 'utf8'), body]), key, Buffer.from(signature, 'hex'));
  } catch {
    return false;
  }
}

/**
 * HTTP interactions as the environment asks for them: `DISCORD_PUBLIC_KEY` turns them on; they listen on
 * `DISCORD_INTERACTIONS_PORT`, else `PORT` (the service's HTTP port), else 3000, at `DISCORD_INTERACTIONS_HOST`
 * (all addresses when unset). Null: commands come over the gateway. A wrong setting is one sentence, thrown.
 */
export function interactionsSettingsFromEnv(env: Record<string, string | undefined>): InteractionsSettings | null {
  const publicKey = env.DISCORD_PUBLIC_KEY?.trim();
  if (!publicKey) return null;
  if (!/^[0-9a-f]{64}$/i.test(publicKey)) {
    throw new Error(
      "DISCORD_PUBLIC_KEY must be the application's public key from the Discord Developer Portal (General Information): 64 hexadecimal characters.",
    );
  }
  try {
    publicKeyOf(publicKey);
  } catch {
    throw new Error(
      'DISCORD_PUBLIC_KEY is not an Ed25519 public key: copy it again from the Discord Developer Portal.',
    );
  }
  const own = env.DISCORD_INTERACTIONS_PORT?.trim();
  const port = own
    ? portOf(own, 'DISCORD_INTERACTIONS_PORT')
    : env.PORT?.trim()
      ? portOf(env.PORT.trim(), 'PORT')
      : DEFAULT_PORT;
  // Slack's HTTP receiver (a signing secret and no app token) listens on PORT: both cannot
  const slackHttp = Boolean(
    env.SLACK_BOT_TOKEN?.trim() && env.SLACK_SIGNING_SECRET?.trim() && !env.SLACK_APP_TOKEN?.trim(),
  );
  const slackPort = env.PORT?.trim() ? portOf(env.PORT.trim(), 'PORT') : DEFAULT_PORT;
  if (slackHttp && port === slackPort && port !== 0) {
    throw new Error(
      `Slack's HTTP mode already listens on port ${slackPort}: set DISCORD_INTERACTIONS_PORT to another port for Discord's HTTP interactions.`,
    );
  }
  const host = env.DISCORD_INTERACTIONS_HOST?.trim();
  return { publicKey: publicKey.toLowerCase(), port, ...(host ? { host } : {}) };
}

function portOf(value: string, name: string): number {
  const port = Number(value);
  if (!/^\d{1,5}$/.test(value) || port > 65_535) {
    throw new Error(`${name} must be a whole number from 0 to 65535, not "${value.slice(0, 20)}".`);
  }
  return port;
}

const header = (request: IncomingMessage, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** Whether a signed body is an interaction the adapter can take: an object with id, token, application and type. */
function interactionOf(value: unknown): RawInteraction | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  if (typeof v.type !== 'number' || !Number.isInteger(v.type)) return null;
  if (v.type === 1) return v as RawInteraction;
  const snowflake = (x: unknown) => typeof x === 'string' && /^\d{17,20}$/.test(x);
  if (!snowflake(v.id) || !snowflake(v.application_id) || typeof v.token !== 'string' || v.token.length === 0) {
    return null;
  }
  if (v.type >= 2 && v.type <= 5 && (typeof v.data !== 'object' || v.data === null)) return null;
  return v as RawInteraction;
}

export class InteractionsEndpoint {
  private server: Server | null = null;
  private readonly seen = new Map<string, number>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly maxBodyBytes: number;
  private readonly bodyTimeoutMs: number;
  private readonly now: () => number;

  constructor(private readonly o: InteractionsEndpointOptions) {
    this.maxBodyBytes = o.maxBodyBytes ?? MAX_BODY_BYTES;
    this.bodyTimeoutMs = o.bodyTimeoutMs ?? BODY_TIMEOUT_MS;
    this.now = o.now ?? Date.now;
  }

  async start(): Promise<void> {
    if (this.server) return;
    const server = createServer(
      {
        // a client that sends its headers slowly is cut off by Node itself; bodies have their own timer
        headersTimeout: this.bodyTimeoutMs,
        requestTimeout: this.bodyTimeoutMs * 2,
        connectionsCheckingInterval: Math.min(this.bodyTimeoutMs, 1000),
      },
      (req, res) => this.route(req, res),
    );
    server.on('clientError', (_error, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      else socket.destroy();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.o.port, this.o.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
  }

  /** Stops listening, lets interactions under way answer (at most `graceMs`), then drops every connection. */
  async stop(graceMs = 2000): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.inFlight]),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs);
      }),
    ]);
    clearTimeout(timer);
    server.closeAllConnections();
    await closed;
  }

  get listening(): boolean {
    return this.server?.listening === true;
  }

  /** The port it listens on (the real one when started on port 0). */
  get port(): number | null {
    const address = this.server?.address();
    return address && typeof address === 'object' ? (address as AddressInfo).port : null;
  }

  private refuse(res: ServerResponse, status: number, reason: string, headers: Record<string, string> = {}): void {
    if (status !== 404) this.o.log.warn({ status, reason }, 'Discord interaction request refused');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    // the body is not read: the connection is closed after the answer (Node discards what is still coming)
    res.writeHead(status, { connection: 'close', 'content-length': '0', ...headers });
    res.end();
  }

  private route(req: IncomingMessage, res: ServerResponse): void {
    // a client that hangs up must not take the process down with an unhandled 'error'
    req.on('error', () => {});
    res.on('error', () => {});
    const signed = this.signedHeaders(req);
    if ('status' in signed) {
      this.refuse(res, signed.status, signed.reason, signed.headers);
      return;
    }
    const work = this.receive(req, res, signed.signature, signed.timestamp).catch((error: unknown) => {
      this.o.log.error({ err: error }, 'Discord interaction request failed');
      if (!res.headersSent) {
        res.writeHead(500, { 'content-length': '0' });
        res.end();
      }
    });
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  /** What the request line and headers already refuse, before a byte of the body is read; else the signature. */
  private signedHeaders(
    req: IncomingMessage,
  ): { signature: string; timestamp: string } | { status: number; reason: string; headers?: Record<string, string> } {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== INTERACTIONS_PATH) return { status: 404, reason: 'unknown path' };
    if (req.method !== 'POST') return { status: 405, reason: 'not a POST', headers: { allow: 'POST' } };
    const signature = header(req, 'x-signature-ed25519');
    const timestamp = header(req, 'x-signature-timestamp');
    if (!signature || !/^[0-9a-f]{128}$/i.test(signature) || !timestamp || !/^\d{1,12}$/.test(timestamp)) {
      return { status: 401, reason: 'missing or malformed signature headers' };
    }
    if (Math.abs(this.now() - Number(timestamp) * 1000) > TOLERANCE_MS) {
      return { status: 401, reason: 'timestamp more than five minutes off' };
    }
    const declared = Number(header(req, 'content-length'));
    if (Number.isFinite(declared) && declared > this.maxBodyBytes) return { status: 413, reason: 'body over the cap' };
    return { signature, timestamp };
  }

  private async receive(req: IncomingMessage, res: ServerResponse, signature: string, timestamp: string) {
    const body = await this.readBody(req, res);
    if (!body) return;
    if (!verifySignature(this.o.publicKey, signature, timestamp, body)) {
      return this.refuse(res, 401, 'bad signature');
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return this.refuse(res, 400, 'signed body is not JSON');
    }
    const interaction = interactionOf(parsed);
    if (!interaction) return this.refuse(res, 400, 'signed body is not an interaction');
    if (interaction.type === 1) return void (await send(res, 200, '{"type":1}'));
    if (this.seenBefore(interaction.id)) return this.refuse(res, 409, 'interaction received already');
    await this.o.handle(interaction, (text) => send(res, 200, text));
    if (!res.headersSent) {
      this.o.log.error({ interaction: interaction.id }, 'Discord interaction left without an answer');
      res.writeHead(500, { 'content-length': '0' });
      res.end();
    }
  }

  /** The body, at most `maxBodyBytes`, within `bodyTimeoutMs`; null when refused (413, 408) or the client left. */
  private readBody(req: IncomingMessage, res: ServerResponse): Promise<Buffer | null> {
    return new Promise((resolve) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let done = false;
      const finish = (value: Buffer | null) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        req.off('data', onData);
        resolve(value);
      };
      const timer = setTimeout(() => {
        finish(null);
        this.refuse(res, 408, 'body too slow');
      }, this.bodyTimeoutMs);
      const onData = (chunk: Buffer) => {
        size += chunk.length;
        if (size > this.maxBodyBytes) {
          finish(null);
          this.refuse(res, 413, 'body over the cap');
          return;
        }
        chunks.push(chunk);
      };
      req.on('data', onData);
      req.once('end', () => finish(Buffer.concat(chunks)));
      req.once('close', () => finish(null));
      req.once('error', () => finish(null));
    });
  }

  /** True when the id was seen within 15 minutes (and remembers it). */
  private seenBefore(id: string): boolean {
    const now = this.now();
    const at = this.seen.get(id);
    if (at !== undefined && now - at < SEEN_MS) return true;
    this.seen.set(id, now);
    for (const [key, when] of this.seen) {
      if (this.seen.size <= SEEN_MAX && now - when < SEEN_MS) break;
      this.seen.delete(key);
    }
    return false;
  }
}

/** Writes a JSON answer; resolves once written or once the connection is gone. */
function send(res: ServerResponse, status: number, body: string): Promise<void> {
  return new Promise((resolve) => {
    if (res.headersSent || res.destroyed) {
      resolve();
      return;
    }
    res.once('finish', () => resolve());
    res.once('close', () => resolve());
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) });
    res.end(body);
  });
}
