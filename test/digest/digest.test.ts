import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqliteApp } from '../../src/app.ts';
import { buildDigest, type Digest } from '../../src/digest/digest.ts';
import { canonicalUrl } from '../../src/ingest/canonicalUrl.ts';
import { PACKAGE_ROOT } from '../../src/paths.ts';
import { loadStoryLabels } from '../../src/stories/evaluate.ts';
import { openSampleApp, SEED_PRESENT } from '../helpers/sample.ts';

const labels = loadStoryLabels(join(PACKAGE_ROOT, 'bench/labels/sample-stories.yaml'));
const SAMPLE_WINDOW = { from: new Date('2026-11-20T00:00:00+09:00'), to: new Date('2026-11-27T00:00:00+09:00') };
const KO = { channel: 'test:ko', lang: 'ko' as const, timeZone: 'Asia/Seoul' };

let dir: string;
let app: SqliteApp;
let whole: Digest;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'newsbrief-digest-'));
  app = await openSampleApp(dir, { withSeed: true });
  whole = await buildDigest(app.storage, { ...SAMPLE_WINDOW, limit: 50, lang: 'ko' });
});

afterAll(() => {
  app.close();
  rmSync(dir, { recursive: true, force: true });
});

const urlsOf = (story: Digest['stories'][number]) => story.articles.map((a) => (a.url ? canonicalUrl(a.url) : null));

describe('the digest of the whole sample', () => {
  it('shows every story once, every article in exactly one story', () => {
    if (SEED_PRESENT) expect(app.store.articles.count()).toBe(50);
    expect(whole.articleCount).toBe(49);
    expect(whole.stories).toHaveLength(labels.stories.length);
    const ids = whole.stories.flatMap((s) => s.articles.map((a) => a.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(49);
  });

  it('shows every wire story once with all its sources, the wire service’s copy canonical', () => {
    for (const group of labels.wireGroups) {
      const holding = whole.stories.filter((s) => urlsOf(s).some((url) => url && group.includes(url)));
      expect(holding).toHaveLength(1);
      const story = holding[0] as Digest['stories'][number];
      for (const url of group) expect(urlsOf(story)).toContain(url);
      const copies = story.articles.filter((a) => a.url && group.includes(canonicalUrl(a.url) as string));
      const originals = copies.filter((a) => a.copyOf === null);
      expect(originals).toHaveLength(1);
      expect(originals[0]?.source).toMatch(/통신|Wire/);
      for (const copy of copies) if (copy.copyOf !== null) expect(copy.copyOf).toBe(originals[0]?.id);
    }
  });

  it('ranks the story most sources covered first and leads with a Korean wire article for a Korean reader', () => {
    const top = whole.stories[0];
    expect(top?.sources).toBe(Math.max(...whole.stories.map((s) => s.sources)));
    expect(top?.articles).toHaveLength(9);
    expect(top?.articles[0]?.source).toBe('한빛통신');
    expect(top?.title).toBe(top?.articles[0]?.title);
    expect(top?.languages).toEqual(['en', 'ko']);
    for (let i = 1; i < whole.stories.length; i++) {
      expect((whole.stories[i] as { score: number }).score).toBeLessThanOrEqual(whole.stories[i - 1]?.score as number);
    }
  });

  it('summarizes each story in two or three sentences, each taken from one of its articles', () => {
    for (const story of whole.stories) {
      expect(story.summary.length).toBeGreaterThanOrEqual(2);
      expect(story.summary.length).toBeLessThanOrEqual(3);
      expect(story.sentences.map((s) => s.text)).toEqual(story.summary);
      for (const sentence of story.sentences) {
        expect(story.articles.map((a) => a.id)).toContain(sentence.articleId);
        const text = app.store.articles.get(sentence.articleId)?.paragraphs.join(' ');
        expect(text).toContain(sentence.text);
      }
    }
  });

  it('groups the stories by topic, each story in exactly one section, with traceable topic summaries', () => {
    const keys = whole.sections.flatMap((s) => s.stories);
    expect(keys.sort()).toEqual(whole.stories.map((s) => s.key).sort());
    const named = whole.sections.filter((s) => s.topic !== null);
    expect(named.length).toBeGreaterThan(0);
    expect(named.map((s) => s.topic)).toContain('samsung-electronics');
    for (const section of named) {
      expect(section.summary.length).toBeLessThanOrEqual(3);
      for (const sentence of section.sentences) {
        expect(section.stories).toContain(sentence.storyKey);
        const story = whole.stories.find((s) => s.key === sentence.storyKey);
        expect(story?.sentences).toContainEqual({ text: sentence.text, articleId: sentence.articleId });
      }
    }
    expect(whole.sections.at(-1)?.topic ?? null).toBeNull();
  });

  it('counts a continuing story’s articles outside the window', async () => {
    const day = { from: new Date('2026-11-26T00:00:00+09:00'), to: new Date('2026-11-27T00:00:00+09:00') };
    const digest = await buildDigest(app.storage, { ...day, limit: 20, lang: 'ko' });
    const naver = digest.stories.find((s) => s.topics.includes('hyperclova-x'));
    expect(naver?.articles).toHaveLength(2);
    expect(naver?.otherArticles).toBe(4);
    expect(
      digest.stories.every((s) => s.articles.every((a) => Date.parse(a.publishedAt ?? '') >= day.from.getTime())),
    ).toBe(true);
  });

  it('heads each story in the reader’s language, the other language’s headline second, summaries in the reader’s', async () => {
    const english = await buildDigest(app.storage, { ...SAMPLE_WINDOW, limit: 50, lang: 'en' });
    const both = whole.stories.filter((s) => s.languages.includes('ko') && s.languages.includes('en'));
    expect(both.length).toBeGreaterThanOrEqual(3);
    const articleLang = new Map(whole.stories.flatMap((s) => s.articles.map((a) => [a.id, a.lang])));
    for (const ko of both) {
      const en = english.stories.find((s) => s.key === ko.key);
      expect(ko.articles[0]?.lang).toBe('ko');
      expect(en?.articles[0]?.lang).toBe('en');
      expect(ko.otherTitle).toEqual({ lang: 'en', title: en?.title });
      expect(en?.otherTitle).toEqual({ lang: 'ko', title: ko.title });
      expect(ko.sentences.every((s) => articleLang.get(s.articleId) === 'ko')).toBe(true);
      expect(en?.sentences.every((s) => articleLang.get(s.articleId) === 'en')).toBe(true);
    }
    for (const story of whole.stories.filter((s) => s.languages.length === 1)) {
      expect(story.otherTitle).toBeNull();
      expect(story.titleTranslated).toBe(false);
    }
    const sectionLangs = english.sections.flatMap((s) => s.sentences).map((s) => articleLang.get(s.articleId));
    expect(sectionLangs.filter((l) => l === 'en').length).toBeGreaterThan(sectionLangs.length / 2);
  });

  it('keeps the documented JSON fields', () => {
    const json = JSON.parse(JSON.stringify({ window: whole.window, stories: whole.stories }));
    expect(Object.keys(json.window)).toEqual(['from', 'to']);
    expect(Object.keys(json.stories[0])).toEqual(
      expect.arrayContaining(['key', 'title', 'summary', 'topics', 'articles', 'status', 'sources']),
    );
  });
});

describe('a channel’s digests from day to day', () => {
  it('shows only its topics, grouped under them', async () => {
    app.store.subscriptions.add('slack:T1:C1', 'nvidia');
    app.store.subscriptions.add('slack:T1:C1', 'naver');
    const reply = await app.commands.digest({ ...KO, channel: 'slack:T1:C1' }, SAMPLE_WINDOW);
    if (reply.kind !== 'digest') throw new Error(reply.kind);
    const topics = reply.digest.sections.map((s) => s.topic);
    expect(topics.sort()).toEqual(['naver', 'nvidia']);
    for (const story of reply.digest.stories) {
      expect(story.topics.some((t) => t === 'nvidia' || t === 'naver')).toBe(true);
    }
    expect(reply.topicNames.nvidia).toBe('엔비디아');
  });

  it('marks a story shown yesterday as an update when a new article about it arrives, and drops what was shown', async () => {
    const channel = { ...KO, channel: 'discord:G:C' };
    const day1 = { from: new Date('2026-11-23T00:00:00+09:00'), to: new Date('2026-11-25T00:00:00+09:00') };
    const first = await app.commands.digest(channel, day1);
    if (first.kind !== 'digest') throw new Error(first.kind);
    const xr = first.digest.stories.find((s) => s.articles.some((a) => a.source === '한빛통신' && /XR/.test(a.title)));
    expect(xr?.status).toBe('new');
    await app.commands.markDelivered(channel, first.digest, day1.to);

    // The same window again: only what the first digest had no room for.
    const again = await app.commands.digest(channel, day1);
    if (again.kind !== 'digest') throw new Error(again.kind);
    expect(first.digest.storyCount).toBeGreaterThan(first.digest.stories.length);
    expect(again.digest.stories).toHaveLength(first.digest.storyCount - first.digest.stories.length);
    for (const story of again.digest.stories) expect(first.digest.stories.map((s) => s.key)).not.toContain(story.key);

    const day2 = { from: day1.to, to: new Date('2026-11-26T00:00:00+09:00') };
    const second = await app.commands.digest(channel, day2);
    if (second.kind !== 'digest') throw new Error(second.kind);
    const update = second.digest.stories.find((s) => s.key === xr?.key);
    expect(update?.status).toBe('update');
    expect(update?.shownBefore?.articles).toBe(xr?.articles.length);
    expect(update?.articles.every((a) => a.isNew)).toBe(true);
    const shown = new Set(first.digest.stories.map((s) => s.key));
    expect(second.digest.stories.some((s) => s.status === 'new')).toBe(true);
    for (const story of second.digest.stories) {
      expect(story.status).toBe(shown.has(story.key) ? 'update' : 'new');
      expect(story.shownBefore === null).toBe(story.status === 'new');
    }
  });

  it('counts a digest as delivered only once posted, and starts the next window there', async () => {
    const request = { platform: 'slack', workspace: 'T2', channel: 'C2', user: 'U1', isManager: false };
    // asked for in chat: a preview, which changes nothing
    const preview = await app.engine.handle({ ...request, text: '/news digest' });
    if (preview.kind !== 'digest') throw new Error(preview.kind);
    expect(app.store.destinations.get('slack:C2')?.lastDigestAt).toBeNull();
    const again = await app.engine.handle({ ...request, text: '/news digest' });
    expect(again.kind === 'digest' && again.digest.stories.map((s) => s.key)).toEqual(
      preview.digest.stories.map((s) => s.key),
    );

    const posted = await app.engine.digestFor('slack:C2');
    if (posted?.kind !== 'digest') throw new Error(String(posted?.kind));
    await app.engine.recordPosted('slack:C2', posted, app.now());
    expect(app.store.destinations.get('slack:C2')?.lastDigestAt).toBe(app.now().toISOString());
    const next = await app.engine.digestFor('slack:C2');
    expect(next?.kind === 'digest' && next.digest.window.from).toBe(app.now().toISOString());
  });
});
