import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';

export type DocumentKind = 'feed' | 'page' | 'text';

const KINDS: Record<string, DocumentKind> = {
  '.xml': 'feed',
  '.rss': 'feed',
  '.atom': 'feed',
  '.rdf': 'feed',
  '.json': 'feed',
  '.html': 'page',
  '.htm': 'page',
  '.txt': 'text',
};

/** What a file holds, from its name (`.html.gz` counts as a page); null for files newsbrief does not read. */
export function documentKind(path: string): DocumentKind | null {
  const name = path.toLowerCase().replace(/\.gz$/, '');
  return KINDS[extname(name)] ?? null;
}

export interface LocalDocument {
  path: string;
  kind: DocumentKind;
}

/**
 * Expands files and folders into the documents to ingest: folders recursively, in name order (so runs are
 * repeatable), skipping hidden entries and files of unknown kinds inside folders. A missing or unknown file named
 * explicitly is reported, not thrown.
 */
export function listLocalDocuments(paths: readonly string[]): {
  documents: LocalDocument[];
  problems: { path: string; error: string }[];
} {
  const documents: LocalDocument[] = [];
  const problems: { path: string; error: string }[] = [];
  const visit = (path: string, explicit: boolean) => {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      problems.push({ path, error: 'no such file or folder' });
      return;
    }
    if (isDirectory) {
      const entries = readdirSync(path).filter((name) => !name.startsWith('.'));
      for (const name of entries.sort()) visit(join(path, name), false);
      return;
    }
    const kind = documentKind(path);
    if (kind) documents.push({ path, kind });
    else if (explicit) problems.push({ path, error: 'not a feed, page (.html) or text (.txt) file' });
  };
  for (const path of paths) visit(path, true);
  return { documents, problems };
}
