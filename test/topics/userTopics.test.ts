import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openApp } from '../../src/app.ts';
import type { ParsedArticle } from '../../src/model.ts';
import { parseQuery } from '../../src/search/query.ts';
import { searchArchive } from '../../src/search/search.ts';
import { useTempDir } from '../helpers/tempDir.ts';

const tempDir = useTempDir();
const NOW = new Date('2026-11-26T23:59:59+09:00');

const CONFIG = `topics:
  - id: my-startup
    names: { en: My Startup, ko: 마이스타트업 }
    aliases: [MyStartup]
    parent: kakao
  - id: samsung-electronics
    aliases: [쌤쑹]
`;

function article(title: string, body: string, url: string): ParsedArticle {
  return {
    title,
    deck: [],
    paragraphs: [body],
    byline: null,
    source: '한빛통신',
    publishedAt: '2026-11-26T09:00:00+09:00',
    updatedAt: null,
    lang: 'ko',
    url,
  };
}

describe('topics from newsbrief.yaml', () => {
  it('are tagged, searched in every spelling, filtered and named, without editing the catalog', async () => {
    const dir = tempDir();
    const configPath = join(dir, 'newsbrief.yaml');
    writeFileSync(configPath, CONFIG);
    const app = openApp({ dbPath: join(dir, 'nb.db'), configPath, now: () => NOW });
    const source = { key: 'site:hanbit', name: '한빛통신', kind: 'page' as const, url: null };
    const ingest = (a: ParsedArticle) => app.ingestor.ingestArticle(a, source, a.url ?? '');
    await ingest(article('마이스타트업, 200억원 투자 유치', '마이스타트업이 투자를 받았다.', 'https://a.example/1'));
    await ingest(article('쌤쑹 새 폴더블 공개', '쌤쑹이 새 폴더블을 공개했다.', 'https://a.example/2'));
    await ingest(article('날씨', '맑음.', 'https://a.example/3'));

    const titles = async (q: string) =>
      (await searchArchive(app.storage, app.topics, parseQuery(q), { limit: 5, now: NOW })).hits.map(
        (h) => h.article.title,
      );
    expect(await titles('MyStartup')).toEqual(['마이스타트업, 200억원 투자 유치']);
    expect(await titles('my startup')).toEqual(['마이스타트업, 200억원 투자 유치']);
    expect(await titles('topic:my-startup')).toEqual(['마이스타트업, 200억원 투자 유치']);
    // the parent given in the config: the startup's article is a Kakao article too
    expect(await titles('topic:kakao')).toEqual(['마이스타트업, 200억원 투자 유치']);
    // an extra alias for a catalog topic: samsung finds 쌤쑹
    expect(await titles('samsung')).toEqual(['쌤쑹 새 폴더블 공개']);

    const tagged = app.store.articles.findByKey('https://a.example/1')?.topics.map((t) => t.id);
    expect(tagged).toEqual(expect.arrayContaining(['my-startup', 'kakao']));
    expect(app.topics.displayName('my-startup', 'en')).toBe('My Startup');
    expect(app.store.topics.list().some((t) => t.id === 'my-startup')).toBe(true);
    const reply = await app.commands.run(
      { kind: 'subscribe', topic: '마이스타트업' },
      { channel: 'console:local', lang: 'ko', timeZone: 'Asia/Seoul' },
    );
    expect(reply).toEqual({
      kind: 'notice',
      tone: 'ok',
      notice: { code: 'subscribed', params: { topic: '마이스타트업' } },
    });
    app.close();
  });
});
