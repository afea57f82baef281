import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { extractHtmlArticle, isBinaryText, parseTextArticle } from '../src/extract/index.ts';
import { parseFeed } from '../src/feeds/index.ts';
import { documentKind } from '../src/ingest/localFiles.ts';
import type { ParsedArticle } from '../src/model.ts';
import { summarizeArticle } from '../src/summarize/extractive.ts';
import { decodeDocument } from '../src/text/charset.ts';
import { type CliIo, writeLine } from './io.ts';

const MAX_FILE_BYTES = 20 * 1024 * 1024;

function readDocumentBytes(file: string): Uint8Array {
  const raw = readFileSync(file);
  if (raw.byteLength > MAX_FILE_BYTES) throw new Error('file is larger than 20 MiB');
  return file.toLowerCase().endsWith('.gz') ? gunzipSync(raw, { maxOutputLength: MAX_FILE_BYTES }) : raw;
}

function message(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'no such file';
    if (code === 'EISDIR') return 'is a folder, not a file';
    if (code === 'EACCES') return 'permission denied';
    return error.message;
  }
  return String(error);
}

/** A saved page (`.html`, `.htm`, `.html.gz`) or a saved text article (anything else). */
function readArticle(file: string, url: string | null): ParsedArticle {
  const { text } = decodeDocument(readDocumentBytes(file));
  const page = documentKind(file) === 'page';
  if (isBinaryText(text)) throw new Error(`not ${page ? 'an HTML page' : 'a text article'}: binary data`);
  return page ? extractHtmlArticle(text, { url }) : parseTextArticle(text, { url });
}

/** Runs `work` per file and prints one JSON line each, in input order; a bad file gives `{file, error}`. */
function eachFile(io: CliIo, files: readonly string[], work: (file: string) => object): number {
  let failures = 0;
  for (const file of files) {
    let line: object;
    try {
      line = { file, ...work(file) };
    } catch (error) {
      failures++;
      line = { file, error: message(error) };
    }
    writeLine(io.stdout, JSON.stringify(line));
  }
  return failures === files.length && files.length > 0 ? 1 : 0;
}

export function runExtract(io: CliIo, files: readonly string[], url: string | null): number {
  return eachFile(io, files, (file) => {
    const a = readArticle(file, url);
    return {
      title: a.title,
      byline: a.byline,
      publishedAt: a.publishedAt,
      updatedAt: a.updatedAt,
      lang: a.lang,
      source: a.source,
      text: a.paragraphs.join('\n\n'),
    };
  });
}

export function runParseFeed(io: CliIo, files: readonly string[]): number {
  return eachFile(io, files, (file) => {
    const feed = parseFeed(readDocumentBytes(file));
    return { format: feed.format, title: feed.title, link: feed.link, language: feed.language, items: feed.items };
  });
}

export function runSummarize(io: CliIo, files: readonly string[], sentences: number): number {
  return eachFile(io, files, (file) => {
    const article = readArticle(file, null);
    return { lang: article.lang, sentences: summarizeArticle(article, { sentences }) };
  });
}
