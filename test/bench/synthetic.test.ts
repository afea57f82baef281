import { describe, expect, it } from 'vitest';
import { fillTemplate } from '../../bench/synthetic/fill.ts';
import { SyntheticCorpus } from '../../bench/synthetic/generate.ts';
import { withParticle } from '../../bench/synthetic/korean.ts';
import { Rng } from '../../bench/synthetic/random.ts';

const bodyOf = (paragraphs: string[]) => paragraphs.join('\n\n');

describe('SyntheticCorpus', () => {
  const corpus = new SyntheticCorpus({ seed: 7, size: 2000 });
  const articles = [...corpus.articles()];

  it('is deterministic for a seed, differs for another, and gives article i on its own', () => {
    const again = new SyntheticCorpus({ seed: 7, size: 2000 });
    expect(again.article(1234)).toEqual(articles[1234]);
    expect(new SyntheticCorpus({ seed: 8, size: 2000 }).article(1234).article.title).not.toBe(
      articles[1234]?.article.title,
    );
  });

  it('writes Korean bodies of 800–2500 characters and English bodies of 2–6 KB', () => {
    const originals = articles.filter((a) => a.copyOf === null);
    for (const { article } of originals) {
      const body = bodyOf(article.paragraphs);
      if (article.lang === 'ko') {
        expect(body.length).toBeGreaterThanOrEqual(800);
        expect(body.length).toBeLessThanOrEqual(2500);
      } else {
        expect(Buffer.byteLength(body)).toBeGreaterThanOrEqual(2000);
        expect(Buffer.byteLength(body)).toBeLessThanOrEqual(6000);
      }
    }
    const korean = articles.filter((a) => a.article.lang === 'ko').length / articles.length;
    expect(korean).toBeGreaterThan(0.5);
    expect(korean).toBeLessThan(0.7);
  });

  it('makes about 10% wire copies: an earlier original, republished by another outlet of its language', () => {
    const copies = articles.filter((a) => a.copyOf !== null);
    expect(copies.length / articles.length).toBeGreaterThan(0.07);
    expect(copies.length / articles.length).toBeLessThan(0.13);
    for (const copy of copies) {
      const original = articles[copy.copyOf as number];
      expect(original?.copyOf).toBeNull();
      expect(copy.index).toBeGreaterThan(copy.copyOf as number);
      expect(copy.article.lang).toBe(original?.article.lang);
      expect(copy.outlet.host).not.toBe(original?.outlet.host);
      expect(copy.article.url).not.toBe(original?.article.url);
      const originalBody = new Set(original?.article.paragraphs);
      const shared = copy.article.paragraphs.filter((p) => originalBody.has(p)).length;
      expect(shared).toBeGreaterThanOrEqual(2);
    }
  });

  it('spreads publication times over the 30-day window, with unique URLs', () => {
    const times = articles.map((a) => Date.parse(a.article.publishedAt ?? ''));
    expect(Math.min(...times)).toBeGreaterThanOrEqual(corpus.from.getTime());
    expect(Math.max(...times)).toBeLessThanOrEqual(corpus.to.getTime());
    expect(corpus.to.getTime() - corpus.from.getTime()).toBe(30 * 86_400_000);
    expect(new Set(articles.map((a) => a.article.url)).size).toBe(articles.length);
  });

  it('names catalog companies in both languages', () => {
    const text = articles.map((a) => `${a.article.title}\n${bodyOf(a.article.paragraphs)}`).join('\n');
    for (const name of ['삼성전자', 'SK하이닉스', '엔비디아', 'Samsung', 'NVIDIA', 'OpenAI'])
      expect(text).toContain(name);
  });
});

describe('withParticle', () => {
  it('follows the final sound of Hangul, Latin letters and digits', () => {
    expect(withParticle('삼성전자', '이')).toBe('삼성전자가');
    expect(withParticle('네이버', '은')).toBe('네이버는');
    expect(withParticle('카카오톡', '를')).toBe('카카오톡을');
    expect(withParticle('구글', '와')).toBe('구글과');
    expect(withParticle('LG', '이')).toBe('LG가');
    expect(withParticle('IBM', '을')).toBe('IBM을');
    expect(withParticle('서울', '으로')).toBe('서울로');
    expect(withParticle('3조원', '로')).toBe('3조원으로');
    expect(withParticle("'갤럭시'", '을')).toBe("'갤럭시'를");
  });
});

describe('fillTemplate', () => {
  it('picks one alternative, fills slots and particles, fresh numbers per use', () => {
    const rng = new Rng(1);
    let n = 0;
    const values = { co: '엔비디아', num: () => String(++n) };
    for (let i = 0; i < 20; i++) {
      const text = fillTemplate('[회사는|{co|은}] {num}명과 {num}명', values, rng);
      expect(['회사는', '엔비디아는']).toContain(text.split(' ')[0]);
      expect(text).toMatch(/ (\d+)명과 (\d+)명$/);
    }
    expect(fillTemplate('{unknown} stays', {}, rng)).toBe('{unknown} stays');
  });
});
