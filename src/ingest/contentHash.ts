import { createHash } from 'node:crypto';

/** A hash of what a reader sees (title and body, whitespace and case folded): equal hashes, same content. */
export function contentHash(title: string, paragraphs: readonly string[]): string {
  const normalized = [title, ...paragraphs].join('\n').normalize('NFKC').replace(/\s+/g, ' ').trim().toLowerCase();
  return createHash('sha256').update(normalized).digest('hex');
}
