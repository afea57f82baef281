import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { SAMPLE_NEWS_PATH } from '../../src/paths.ts';
import { decodeDocument } from '../../src/text/charset.ts';
import { corpusPart } from '../lib/corpora.ts';

export interface BenchPage {
  id: string;
  html: string;
  url: string | null;
  bytes: number;
}

export interface PageSet {
  /** `aeb` (the article-extraction-benchmark pages) or `sample` (the bundled sample pages). */
  name: 'aeb' | 'sample';
  pages: BenchPage[];
}

function listFiles(dir: string, suffix: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith(suffix))
    .sort()
    .map((f) => join(dir, f));
}

/** The aeb pages (with their URLs from the ground truth) when the corpora are present, else the sample pages. */
export function loadBenchPages(): PageSet {
  const aeb = corpusPart('aeb', 'html');
  if (aeb) {
    const truthPath = corpusPart('aeb', 'ground-truth.json');
    const truth = truthPath ? (JSON.parse(readFileSync(truthPath, 'utf8')) as Record<string, { url?: string }>) : {};
    const pages = listFiles(aeb, '.html.gz').map((file) => {
      const id = relative(aeb, file).replace(/\.html\.gz$/, '');
      const raw = gunzipSync(readFileSync(file));
      return { id, html: decodeDocument(raw).text, url: truth[id]?.url ?? null, bytes: raw.byteLength };
    });
    return { name: 'aeb', pages };
  }
  const dir = join(SAMPLE_NEWS_PATH, 'pages');
  const pages = listFiles(dir, '.html').map((file) => {
    const raw = readFileSync(file);
    return { id: relative(dir, file), html: decodeDocument(raw).text, url: null, bytes: raw.byteLength };
  });
  return { name: 'sample', pages };
}
