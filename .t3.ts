import { readFileSync } from 'node:fs';
import { parseTextArticle } from './src/extract/textArticle.ts';
const r = parseTextArticle(readFileSync('/work/shared/seed/000_f1e9409728a12962.txt', 'utf8'));
console.log(JSON.stringify({ ...r, paragraphs: r.paragraphs.map((p) => p.slice(0, 60)) }, null, 1));
