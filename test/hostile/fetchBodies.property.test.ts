/**
 * Hostile bodies at the fetcher, from a real HTTP server on 127.0.0.1: compression bombs in every encoding the
 * fetcher accepts (gzip, deflate, raw deflate, br; test/fetch covers a gzip bomb), random bytes under a
 * Content-Encoding, and a page exactly at and one byte over the size cap (declared and streamed), read on through
 * readFetchedDocument. A document or a FetchError with its code, never anything else, each within PER_INPUT_MS.
 */

import { brotliCompressSync, constants, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { FetchError } from '../../src/fetch/errors.ts';
import { HttpFetcher } from '../../src/fetch/httpFetcher.ts';
import { readFetchedDocument } from '../../src/ingest/fetchedDocument.ts';
import { useServers } from '../fetch/testServer.ts';
import { countInputs, runs, timedAsync } from './mutate.ts';

const startServer = useServers();
const fetchers: HttpFetcher[] = [];
afterEach(async () => {
  await Promise.all(fetchers.splice(0).map((f) => f.close()));
});
function fetcher(maxBytes: number): HttpFetcher {
  const f = new HttpFetcher({ allowAddresses: ['127.0.0.1'], maxBytes, timeoutMs: 5000 });
  fetchers.push(f);
  return f;
}

const count = countInputs('hostile fetch bodies');

const MiB = 1024 * 1024;
const ENCODERS: [string, (b: Buffer) => Buffer][] = [
  ['gzip', (b) => gzipSync(b, { level: 9 })],
  ['deflate', (b) => deflateSync(b, { level: 9 })],
  ['deflate', (b) => deflateRawSync(b, { level: 9 })],
  ['br', (b) => brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } })],
];

async function fetchError(promise: Promise<unknown>): Promise<FetchError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof FetchError) return error;
    throw error;
  }
  throw new Error('the fetch did not fail');
}

describe('compression bombs and broken encodings', () => {
  it('stops a 1 GiB gzip bomb and 64 MiB deflate, raw deflate and br bombs at the cap, quickly', async () => {
    const server = await startServer();
    // 1 GiB of zeros compresses to about 1 MB (gzip) or 800 bytes (br); built from a 64 MiB block to save time
    const block = Buffer.alloc(64 * MiB);
    for (const [i, [encoding, encode]] of ENCODERS.entries()) {
      const once = encode(block);
      server.route(`/bomb${i}`, (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': encoding });
        // the same compressed member 16 times is 1 GiB decoded for gzip; for the others the first 64 MiB do
        for (let k = 0; k < (encoding === 'gzip' ? 16 : 1); k++) res.write(once);
        res.end();
      });
    }
    const f = fetcher(10 * MiB);
    for (let i = 0; i < ENCODERS.length; i++) {
      count('bomb');
      const error = await timedAsync('bomb fetch', () => fetchError(f.fetch({ url: server.url(`/bomb${i}`) })), 5000);
      expect(error.code, ENCODERS[i]?.[0]).toBe('too-large');
      expect(error.message).toContain('larger than 10 MiB');
    }
  });

  it('reports random bytes under any content encoding as bad-encoding or reads them, never anything else', async () => {
    const server = await startServer();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('gzip', 'deflate', 'br', 'x-gzip', 'identity', 'gzip, br', 'compress', ''),
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }),
          // a real compressed page, cut or with a flipped byte
          fc.tuple(fc.nat(3), fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean()).map(([which, at, cut]) => {
            const packed = (ENCODERS[which] as [string, (b: Buffer) => Buffer])[1](
              Buffer.from('<html><body><p>압축된 본문 compressed body</p></body></html>'.repeat(50)),
            );
            const i = Math.floor(at * packed.length);
            if (cut) return new Uint8Array(packed.subarray(0, i));
            const copy = Buffer.from(packed);
            copy[i] = (copy[i] ?? 0) ^ 0xff;
            return new Uint8Array(copy);
          }),
        ),
        async (encoding, body) => {
          count('broken encoding');
          const path = `/r${n++}`;
          server.route(path, {
            headers: { 'content-type': 'text/html', ...(encoding ? { 'content-encoding': encoding } : {}) },
            body,
          });
          try {
            const result = await timedAsync('fetch', () => fetcher(1 * MiB).fetch({ url: server.url(path) }));
            if (result.kind === 'document') {
              try {
                readFetchedDocument(result.bytes, result.contentType, server.url(path));
              } catch (error) {
                expect(['UnreadableDocumentError', 'FeedParseError']).toContain((error as Error).name);
              }
            }
          } catch (error) {
            if (!(error instanceof FetchError)) throw error;
            expect(['bad-encoding', 'too-large', 'network']).toContain(error.code);
          }
        },
      ),
      runs(120, 6000),
    );
  });
});

describe('a page at the size cap', () => {
  const CAP = 256 * 1024;
  /** An article page of exactly `size` bytes (UTF-8, Korean and English paragraphs). */
  function page(size: number): Buffer {
    const head =
      '<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8"><title>크기 한계</title></head><body><article>';
    const tail = '</article></body></html>';
    let body = '';
    for (let i = 0; Buffer.byteLength(head + body + tail) < size - 300; i++) {
      body += `<p>정부가 인공지능 반도체 실증 사업에 올해 ${i}억원을 투입한다고 밝혔다. Paragraph ${i} of the page.</p>\n`;
    }
    const padding = size - Buffer.byteLength(head + body + tail);
    const bytes = Buffer.from(head + body + ' '.repeat(padding) + tail);
    expect(bytes.length).toBe(size);
    return bytes;
  }

  it('reads a page of exactly the cap and refuses one byte more, declared or streamed', async () => {
    const server = await startServer();
    const at = page(CAP);
    const over = page(CAP + 1);
    server.route('/at', { headers: { 'content-type': 'text/html; charset=utf-8' }, body: at });
    server.route('/over', { headers: { 'content-type': 'text/html; charset=utf-8' }, body: over });
    for (const [path, bytes] of [
      ['/at-streamed', at],
      ['/over-streamed', over],
    ] as const) {
      server.route(path, (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        for (let i = 0; i < bytes.length; i += 10_000) res.write(bytes.subarray(i, i + 10_000));
        res.end();
      });
    }
    const gzipped = gzipSync(over);
    server.route('/over-gzip', { headers: { 'content-type': 'text/html', 'content-encoding': 'gzip' }, body: gzipped });
    const f = fetcher(CAP);
    for (const path of ['/at', '/at-streamed']) {
      count('size cap');
      const result = await timedAsync('fetch at cap', () => f.fetch({ url: server.url(path) }));
      expect(result.kind === 'document' && result.bytes.length, path).toBe(CAP);
      if (result.kind !== 'document') continue;
      const doc = readFetchedDocument(result.bytes, result.contentType, server.url(path));
      expect(doc.kind === 'page' && doc.article.paragraphs.length, path).toBeGreaterThan(100);
    }
    for (const path of ['/over', '/over-streamed', '/over-gzip']) {
      count('size cap');
      const error = await timedAsync('fetch over cap', () => fetchError(f.fetch({ url: server.url(path) })));
      expect([error.code, error.message], path).toEqual(['too-large', expect.stringContaining('larger than 256 KiB')]);
    }
    expect(gzipped.length).toBeLessThan(CAP);
  });
});
