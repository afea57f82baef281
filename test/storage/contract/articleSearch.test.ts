/**
 * Article search: Korean inside longer words, English words, exclusions and filters, title matches first. On
 * SQLite for now: PostgreSQL's search over its `search_tokens` comes next.
 */
import { expect, it } from 'vitest';
import type { ArticleSearch } from '../../../storage/repositories.ts';
import { describeBackends, sqliteBackend } from './backends.ts';
import { article } from './fixtures.ts';

const BACKENDS = [sqliteBackend()];

describeBackends(BACKENDS, (backend) => {
  it('finds Korean inside longer words and English words, and forgets replaced text', async () => {
    const { articles } = await backend.open();
    const id = await articles.save(article());
    const find = async (...all: string[][]) =>
      (await articles.search({ text: { all, none: [] }, limit: 10 })).map((c) => c.articleId);
    expect(await find(['삼성'])).toEqual([id]);
    expect(await find(['전자'])).toEqual([id]);
    expect(await find(['samsung'])).toEqual([id]);
    expect(await find(['헤드셋'], ['메타'])).toEqual([id]);
    expect(await find(['애플'])).toEqual([]);
    expect(await find(['!!!'])).toEqual([]);
    await articles.save(
      article({ title: 'LG전자 OLED', deck: [], paragraphs: ['LG전자가 OLED를 공개했다.'], contentHash: 'h3' }),
    );
    expect(await find(['삼성'])).toEqual([]);
    expect(await find(['엘지', 'lg'])).toEqual([id]);
  });

  it('finds an article saved with its search entry deferred once the entries are flushed', async () => {
    const { articles } = await backend.open();
    const id = await articles.save(article(), { deferSearchIndex: true });
    await articles.flushSearchIndex();
    expect(
      (await articles.search({ text: { all: [['헤드셋']], none: [] }, limit: 5 })).map((c) => c.articleId),
    ).toEqual([id]);
  });

  it('ranks title matches above body matches and applies filters and exclusions', async () => {
    const { articles } = await backend.open();
    const inBody = await articles.save(
      article({
        key: 'k1',
        title: 'Chip market weekly',
        paragraphs: ['Nvidia shares rose.'],
        lang: 'en',
        contentHash: 'a',
      }),
    );
    const inTitle = await articles.save(
      article({
        key: 'k2',
        title: 'Nvidia ships new chip',
        paragraphs: ['The company said.'],
        lang: 'en',
        contentHash: 'b',
      }),
    );
    const korean = await articles.save(article({ key: 'k3', contentHash: 'c' }));
    await articles.setTopics(korean, [{ id: 'xr', weight: 1 }]);
    const search = async (q: Partial<ArticleSearch>) =>
      (await articles.search({ text: { all: [], none: [] }, limit: 10, ...q })).map((c) => c.articleId);
    const scored = await articles.search({ text: { all: [['nvidia']], none: [] }, limit: 10 });
    expect(scored.map((c) => c.articleId)).toEqual([inTitle, inBody]);
    expect(scored[0]?.textScore).toBeGreaterThan(scored[1]?.textScore ?? 1);
    expect(await search({ text: { all: [['nvidia']], none: [['shares']] } })).toEqual([inTitle]);
    expect(await search({ text: { all: [], none: [['nvidia']] } })).toEqual([korean]);
    expect(await search({ lang: 'ko' })).toEqual([korean]);
    expect(await search({ topics: ['xr'] })).toEqual([korean]);
    expect(await search({ sources: ['한빛통신'], since: '2026-11-26T00:10:00Z' })).toHaveLength(3);
    expect(await search({ sources: ['한빛통신'], since: '2026-11-26T00:10:01Z' })).toEqual([]);
    expect(await search({ sources: ['nobody'] })).toEqual([]);
    expect(await search({ until: '2026-11-26T00:09:59Z' })).toEqual([]);
    expect(await search({ limit: 1 })).toHaveLength(1);
  });
});
