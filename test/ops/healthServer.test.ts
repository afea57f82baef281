import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type HealthReport, type HealthServer, startHealthServer } from '../../src/ops/healthServer.ts';
import { createLogger } from '../../src/ops/logger.ts';
import { createMetrics } from '../../src/ops/metrics.ts';

const report = (status: HealthReport['status']): HealthReport => ({
  status,
  database: status === 'down' ? { ok: false, error: 'database is locked' } : { ok: true },
  adapters: [{ name: 'slack', connected: status === 'ok' }],
  lastSuccessfulPoll: '2026-11-25T08:30:00.000Z',
});

const servers: HealthServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function start(options: Partial<Parameters<typeof startHealthServer>[0]> = {}) {
  const server = await startHealthServer({ port: 0, host: '127.0.0.1', health: () => report('ok'), ...options });
  servers.push(server);
  const base = `http://127.0.0.1:${server.port}`;
  return { server, base };
}

/** Sends raw bytes and returns everything the server answers before it closes the socket. */
function raw(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(bytes));
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => {
      answer += chunk;
    });
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('GET /healthz', () => {
  it('answers 200 with the report for ok and degraded, 503 for down', async () => {
    let status: HealthReport['status'] = 'ok';
    const { base } = await start({ health: () => report(status) });

    let res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual(report('ok'));

    status = 'degraded';
    res = await fetch(`${base}/healthz?verbose=1`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'degraded', adapters: [{ name: 'slack', connected: false }] });

    status = 'down';
    res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'down', database: { ok: false, error: 'database is locked' } });
  });

  it('waits for an async health callback', async () => {
    const { base } = await start({
      health: async () => {
        await new Promise((resolve) => setTimeout(resolve, 10));
        return { ...report('ok'), lastSuccessfulPoll: null, uptimeSeconds: 12 };
      },
    });
    const res = await fetch(`${base}/healthz`);
    expect(await res.json()).toMatchObject({ status: 'ok', lastSuccessfulPoll: null, uptimeSeconds: 12 });
  });

  it('answers 503 with a generic body when the callback throws, and logs the detail', async () => {
    const lines: string[] = [];
    const logger = createLogger({ destination: { write: (s) => void lines.push(s) }, pretty: false });
    let calls = 0;
    const { base } = await start({
      logger,
      health: () => {
        calls++;
        if (calls === 1) throw new Error('SQLITE_CORRUPT at /srv/newsbrief/data/newsbrief.db');
        return Promise.reject(new Error('async failure detail'));
      },
    });
    for (const detail of ['SQLITE_CORRUPT', 'async failure detail']) {
      const res = await fetch(`${base}/healthz`);
      expect(res.status).toBe(503);
      const body = await res.text();
      expect(JSON.parse(body)).toEqual({ status: 'down', error: 'health check failed' });
      expect(body).not.toContain(detail);
      expect(body).not.toContain('at ');
    }
    expect(lines.join('')).toContain('SQLITE_CORRUPT at /srv/newsbrief/data/newsbrief.db');
  });

  it('answers 503 when the callback hangs past the timeout', async () => {
    const { base } = await start({ health: () => new Promise<HealthReport>(() => {}), healthTimeoutMs: 50 });
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'down', error: 'health check failed' });
  });

  it('answers 503 for a report that cannot be serialized, without detail', async () => {
    const { base } = await start({ health: () => ({ ...report('ok'), count: 1n }) });
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'down', error: 'health check failed' });
  });
});

describe('GET /metrics', () => {
  it('serves the Prometheus text format', async () => {
    const metrics = createMetrics();
    metrics.posts.inc({ platform: 'slack', outcome: 'ok' });
    const { base } = await start({ metrics });
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const body = await res.text();
    expect(body).toContain('newsbrief_posts_total{platform="slack",outcome="ok"} 1');
    expect(body).toContain('process_cpu_seconds_total');
  });

  it('is 404 when no metrics are given', async () => {
    const { base } = await start();
    expect((await fetch(`${base}/metrics`)).status).toBe(404);
  });

  it('answers 500 without detail when rendering fails', async () => {
    const { base } = await start({
      metrics: { render: () => Promise.reject(new Error('registry exploded at /internal')) },
    });
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(500);
    expect(await res.text()).not.toContain('exploded');
  });
});

describe('other requests', () => {
  it('answers HEAD with the headers of GET and no body', async () => {
    const { base } = await start({ metrics: createMetrics() });
    const get = await fetch(`${base}/healthz`);
    const getBody = await get.text();
    const head = await fetch(`${base}/healthz`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(Buffer.byteLength(getBody)));
    expect(await head.text()).toBe('');
    expect((await fetch(`${base}/metrics`, { method: 'HEAD' })).status).toBe(200);
  });

  it('is 404 for unknown paths and 405 (with Allow) for other methods', async () => {
    const { base } = await start({ metrics: createMetrics() });
    for (const path of ['/', '/health', '/healthz/', '/metrics.json', '/../etc/passwd']) {
      expect((await fetch(`${base}${path}`)).status).toBe(404);
    }
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const res = await fetch(`${base}/healthz`, { method, body: method === 'DELETE' ? null : '{"x":1}' });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('GET, HEAD');
    }
  });

  it('survives malformed requests and keeps serving', async () => {
    const { server, base } = await start();
    expect(await raw(server.port, 'NOT HTTP AT ALL\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
    expect(await raw(server.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n')).toMatch(
      /^HTTP\/1\.1 400/,
    );
    expect(await raw(server.port, 'GET * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).toMatch(/^HTTP\/1\.1 404/);
    // A client that hangs up halfway through a request body.
    await raw(server.port, 'POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\npartial');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });
});

describe('startHealthServer', () => {
  it('binds a free port for port 0 and rejects a port in use', async () => {
    const { server } = await start();
    expect(server.port).toBeGreaterThan(0);
    await expect(startHealthServer({ port: server.port, health: () => report('ok') })).rejects.toThrow(/EADDRINUSE/);
  });

  it('closes promptly with a keep-alive connection open and a request in flight', async () => {
    const { server } = await start({ health: () => new Promise<HealthReport>(() => {}), healthTimeoutMs: 60_000 });
    const agent = new Agent({ keepAlive: true });
    try {
      // One idle keep-alive connection…
      await new Promise<void>((resolve, reject) => {
        request({ port: server.port, host: '127.0.0.1', path: '/nope', agent }, (res) => {
          res.resume();
          res.on('end', resolve);
        })
          .on('error', reject)
          .end();
      });
      expect(Object.values(agent.freeSockets).flat()).toHaveLength(1);
      // …and one waiting for a health callback that never answers.
      const inFlight = new Promise<string>((resolve) => {
        request({ port: server.port, host: '127.0.0.1', path: '/healthz' }, () => resolve('answered'))
          .on('error', () => resolve('dropped'))
          .end();
      });
      await new Promise((resolve) => setTimeout(resolve, 50));

      const started = Date.now();
      await server.close();
      expect(Date.now() - started).toBeLessThan(1000);
      expect(await inFlight).toBe('dropped');
      await server.close(); // a second close is harmless
    } finally {
      agent.destroy();
    }
  });
});
