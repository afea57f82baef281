/**
 * Reads a response body into memory, decompressing gzip/deflate/br, and stops as soon as either the bytes on the
 * wire or the decompressed bytes pass the cap, so neither a huge page nor a compression bomb is ever held whole.
 */
import type { Readable } from 'node:stream';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress, createGunzip, createInflate, createInflateRaw } from 'node:zlib';

export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';
}

export class UnsupportedEncodingError extends Error {
  override name = 'UnsupportedEncodingError';
}

/**
 * `Content-Encoding: deflate` is meant to be zlib-wrapped, but some servers send raw deflate; browsers accept both,
 * so this picks by the first two bytes (a zlib header is 0x?8 with a checksum divisible by 31).
 */
class AutoInflate extends Transform {
  private inner: Transform | null = null;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (!this.inner) {
      const [first = 0, second = 0] = chunk;
      const zlibHeader = chunk.length >= 2 && (first & 0x0f) === 8 && ((first << 8) | second) % 31 === 0;
      const inner = zlibHeader ? createInflate() : createInflateRaw();
      inner.on('data', (data: Buffer) => this.push(data));
      inner.on('error', (error) => this.destroy(error));
      this.inner = inner;
    }
    this.inner.write(chunk, () => callback());
  }

  override _flush(callback: TransformCallback): void {
    if (!this.inner) {
      callback();
      return;
    }
    this.inner.once('end', () => callback());
    this.inner.end();
  }
}

function decoderFor(contentEncoding: string | null): Transform | null {
  const codings = (contentEncoding ?? '')
    .toLowerCase()
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c && c !== 'identity');
  if (codings.length === 0) return null;
  if (codings.length > 1)
    throw new UnsupportedEncodingError(`stacked content encodings (${contentEncoding}) are not supported`);
  const coding = codings[0];
  if (coding === 'gzip' || coding === 'x-gzip') return createGunzip();
  if (coding === 'deflate') return new AutoInflate();
  if (coding === 'br') return createBrotliDecompress();
  throw new UnsupportedEncodingError(`content encoding "${coding}" is not supported`);
}

function capped(maxBytes: number, what: string) {
  return async function* (source: AsyncIterable<Buffer>) {
    let total = 0;
    for await (const chunk of source) {
      total += chunk.length;
      if (total > maxBytes) throw new BodyTooLargeError(`${what} is larger than ${formatBytes(maxBytes)}`);
      yield chunk;
    }
  };
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / 1024 / 1024).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}

/** The whole body, decoded from its Content-Encoding; throws BodyTooLargeError or UnsupportedEncodingError. */
export async function readBody(body: Readable, contentEncoding: string | null, maxBytes: number): Promise<Uint8Array> {
  const decoder = decoderFor(contentEncoding);
  const chunks: Buffer[] = [];
  const collect = async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) chunks.push(chunk);
  };
  if (!decoder) return readPlain(body, maxBytes);
  await pipeline(body, capped(maxBytes, 'the compressed body'), decoder, capped(maxBytes, 'the body'), collect);
  return Buffer.concat(chunks);
}

/** The common, uncompressed case with plain listeners: a pipeline of async generators costs more than the read. */
function readPlain(body: Readable, maxBytes: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    body.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > maxBytes) {
        body.removeAllListeners('data');
        body.pause();
        reject(new BodyTooLargeError(`the body is larger than ${formatBytes(maxBytes)}`));
        return;
      }
      chunks.push(chunk);
    });
    body.once('end', () => resolve(Buffer.concat(chunks)));
    body.once('error', reject);
  });
}
