/**
 * A deterministic synthetic news corpus for the speed benchmark: Korean (800–2500 characters of body) and
 * English (2–6 KB) tech-news articles about the companies, products and technologies of `config/topics.yaml`,
 * about 10% of them wire copies republished by another outlet with its own header, footer, headline tweak or
 * a cut-off ending, spread over 30 days (more beyond 100k articles: `defaultDays`). Article i is generated from
 * (seed, i) alone, so any slice of the corpus can be produced without the rest and a 1M corpus streams in
 * constant memory.
 */
import type { Lang, ParsedArticle } from '../../src/model.ts';
import { type Entities, type Entity, loadEntities } from './entities.ts';
import { fillTemplate, type SlotValues } from './fill.ts';
import { mixSeed, Rng } from './random.ts';
import {
  EN_CITIES,
  EN_FIRST,
  EN_HEADLINES,
  EN_LAST,
  EN_OUTLETS,
  EN_SENTENCES,
  KO_CITIES,
  KO_DECKS,
  KO_GIVEN,
  KO_HEADLINES,
  KO_OUTLETS,
  KO_SENTENCES,
  KO_SURNAMES,
  type Outlet,
} from './templates.ts';

export interface CorpusOptions {
  seed: number;
  size: number;
  /** First instant of the corpus; default 2026-10-28T00:00:00+09:00. */
  start?: Date;
  /** Days the publication times spread over; default `defaultDays(size)`. */
  days?: number;
  /** Share of articles that are wire copies of an earlier one; default 0.1. */
  copyRate?: number;
  /** Share of Korean articles; default 0.6. */
  koreanRate?: number;
}

export interface SyntheticArticle {
  index: number;
  article: ParsedArticle;
  outlet: Outlet;
  /** The index of the original when this is a wire copy. */
  copyOf: number | null;
}

const DEFAULT_START = new Date('2026-10-28T00:00:00+09:00');
const KO_BODY = { min: 800, max: 2500 };
const EN_BODY_BYTES = { min: 2000, max: 6000 };
/** How far back (in articles) a wire copy's original can be. */
const COPY_LOOKBACK = 40;
const KST_MS = 9 * 3_600_000;

/**
 * 30 days up to 100k articles; beyond, as many days as keep the 100k corpus's daily volume (3,334 a day), so a
 * 1M corpus is a larger archive rather than ten times the news of each day (story indexing compares an article
 * with the few days before it, so its cost follows the daily volume).
 */
export function defaultDays(size: number): number {
  return Math.max(30, Math.ceil(size / 3_334));
}

const utf8Length = (text: string) => Buffer.byteLength(text, 'utf8');

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** ISO 8601 in Korean time (`…+09:00`), as Korean publishers print it. */
function isoKst(ms: number): string {
  const d = new Date(ms + KST_MS);
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  return `${date}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}+09:00`;
}

function isoUtc(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export class SyntheticCorpus {
  readonly size: number;
  readonly from: Date;
  readonly to: Date;
  private readonly seed: number;
  private readonly copyRate: number;
  private readonly koreanRate: number;

  constructor(
    options: CorpusOptions,
    private readonly entities: Entities = loadEntities(),
  ) {
    if (!Number.isInteger(options.size) || options.size < 1) throw new Error('corpus size must be a positive integer');
    this.size = options.size;
    this.seed = options.seed >>> 0;
    this.from = options.start ?? DEFAULT_START;
    this.to = new Date(this.from.getTime() + (options.days ?? defaultDays(options.size)) * 86_400_000);
    this.copyRate = options.copyRate ?? 0.1;
    this.koreanRate = options.koreanRate ?? 0.6;
  }

  *articles(first = 0, end = this.size): Generator<SyntheticArticle> {
    for (let i = first; i < Math.min(end, this.size); i++) yield this.article(i);
  }

  /** The publication instant of article i: evenly spread over the window, with jitter. */
  private publishedMs(index: number, rng: Rng): number {
    const span = this.to.getTime() - this.from.getTime();
    const position = (index + 0.5 + (rng.next() - 0.5) * 0.9) / this.size;
    return this.from.getTime() + Math.min(1, Math.max(0, position)) * (span - 1000);
  }

  /** The first draw of an article's stream decides whether it is a copy, so that can be asked cheaply. */
  private copyTarget(index: number): number | null {
    if (index === 0) return null;
    const rng = new Rng(mixSeed(this.seed, index));
    if (!rng.chance(this.copyRate)) return null;
    return Math.max(0, index - rng.int(1, COPY_LOOKBACK));
  }

  /** The original an article copies, following copies of copies back to the first publication. */
  private originalOf(index: number): number | null {
    let target = this.copyTarget(index);
    if (target === null) return null;
    for (let next = this.copyTarget(target); next !== null; next = this.copyTarget(target)) target = next;
    return target;
  }

  article(index: number): SyntheticArticle {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) throw new RangeError(`no article ${index}`);
    const original = this.originalOf(index);
    const rng = new Rng(mixSeed(this.seed, index));
    rng.next(); // the copy decision, see copyTarget
    rng.next();
    const publishedMs = this.publishedMs(index, rng);
    if (original !== null) return this.wireCopy(index, this.article(original), publishedMs, rng);
    const lang: Lang = rng.chance(this.koreanRate) ? 'ko' : 'en';
    return lang === 'ko' ? this.korean(index, publishedMs, rng) : this.english(index, publishedMs, rng);
  }

  private cast(rng: Rng) {
    const { companies, products, technologies, people } = this.entities;
    const co = rng.pickZipf(companies);
    let co2 = rng.pickZipf(companies);
    while (co2.id === co.id) co2 = rng.pickZipf(companies);
    const own = products.filter((p) => p.parent === co.id);
    const prod = own.length > 0 && rng.chance(0.6) ? rng.pick(own) : rng.pick(products);
    const tech = rng.pickZipf(technologies);
    let tech2 = rng.pickZipf(technologies);
    while (tech2.id === tech.id) tech2 = rng.pickZipf(technologies);
    const leaders = people.filter((p) => p.parent === co.id);
    const person = leaders.length > 0 ? rng.pick(leaders) : rng.pick(people);
    return { co, co2, prod, tech, tech2, person };
  }

  private outlet(outlets: readonly Outlet[], rng: Rng): Outlet {
    // The wire agency publishes about a third of each language's originals.
    return rng.chance(0.35) ? (outlets.find((o) => o.wire) as Outlet) : rng.pick(outlets.filter((o) => !o.wire));
  }

  private korean(index: number, publishedMs: number, rng: Rng): SyntheticArticle {
    const outlet = this.outlet(KO_OUTLETS, rng);
    const c = this.cast(rng);
    const name = (e: Entity, shorthand: number) =>
      e.koAliases.length > 0 && rng.chance(shorthand) ? rng.pick(e.koAliases) : e.ko;
    // Press shorthand (삼전, 하닉) is a headline habit; bodies mostly spell names out.
    const values = (shorthand: number): SlotValues => ({
      co: name(c.co, shorthand),
      co2: name(c.co2, shorthand),
      prod: c.prod.ko,
      qprod: `'${c.prod.ko}'`,
      tech: c.tech.ko,
      tech2: c.tech2.ko,
      person: `${c.person.ko} ${rng.pick(['대표', '사장', '최고경영자(CEO)', '회장'])}`,
      city: rng.pick(KO_CITIES),
      ...koreanNumbers(rng),
    });
    const scoop = rng.chance(0.05) ? '[단독] ' : '';
    const title = scoop + fillTemplate(rng.pick(KO_HEADLINES), values(0.25), rng);
    const deck = rng.chance(0.3) ? [fillTemplate(rng.pick(KO_DECKS), values(0), rng)] : [];
    const byline = `${rng.pick(KO_SURNAMES)}${rng.pick(KO_GIVEN)} 기자`;
    const body = values(0.05);
    const target = rng.int(KO_BODY.min, KO_BODY.max);
    const dateline = outlet.wire ? `[서울=${outlet.name}] ${byline} = ` : '';
    const max = KO_BODY.max - dateline.length;
    const paragraphs = composeBody(KO_SENTENCES, body, rng, Math.min(target, max), max, (t) => t.length, [1, 3]);
    paragraphs[0] = dateline + paragraphs[0];
    const date = isoKst(publishedMs).slice(0, 10).replaceAll('-', '');
    return {
      index,
      outlet,
      copyOf: null,
      article: {
        title,
        deck,
        paragraphs,
        byline,
        source: outlet.name,
        publishedAt: isoKst(publishedMs),
        updatedAt: rng.chance(0.2) ? isoKst(publishedMs + rng.int(10, 300) * 60_000) : null,
        lang: 'ko',
        url: `https://${outlet.host}/news/articleView.html?idxno=${date}${pad(index, 7)}`,
      },
    };
  }

  private english(index: number, publishedMs: number, rng: Rng): SyntheticArticle {
    const outlet = this.outlet(EN_OUTLETS, rng);
    const c = this.cast(rng);
    const name = (e: Entity) => (e.enAliases.length > 0 && rng.chance(0.3) ? rng.pick(e.enAliases) : e.en);
    const values: SlotValues = {
      co: name(c.co),
      co2: name(c.co2),
      prod: c.prod.en,
      tech: c.tech.en,
      tech2: c.tech2.en,
      person: c.person.parent === c.co.id ? `${c.person.en}, [chief executive|head] of ${c.co.en},` : c.person.en,
      city: rng.pick(EN_CITIES),
      ...englishNumbers(rng),
    };
    // The person slot carries an alternative of its own; resolve it once per article.
    values.person = fillTemplate(values.person as string, {}, rng);
    const headline = fillTemplate(rng.pick(EN_HEADLINES), { ...values, person: c.person.en }, rng);
    const title = headline.charAt(0).toUpperCase() + headline.slice(1);
    const target = rng.int(EN_BODY_BYTES.min, EN_BODY_BYTES.max);
    const paragraphs = composeBody(EN_SENTENCES, values, rng, target, EN_BODY_BYTES.max, utf8Length, [2, 3]);
    const slug = title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60);
    const day = isoUtc(publishedMs).slice(0, 10).replaceAll('-', '/');
    return {
      index,
      outlet,
      copyOf: null,
      article: {
        title,
        deck: [],
        paragraphs,
        byline: `${rng.pick(EN_FIRST)} ${rng.pick(EN_LAST)}`,
        source: outlet.name,
        publishedAt: isoUtc(publishedMs),
        updatedAt: rng.chance(0.2) ? isoUtc(publishedMs + rng.int(10, 300) * 60_000) : null,
        lang: 'en',
        url: `https://${outlet.host}/${day}/${slug}-${index}`,
      },
    };
  }

  /** Another outlet republishes the original: its own URL and time, a header or footer, maybe a cut ending. */
  private wireCopy(index: number, original: SyntheticArticle, ownMs: number, rng: Rng): SyntheticArticle {
    const source = original.article;
    const outlets = (source.lang === 'ko' ? KO_OUTLETS : EN_OUTLETS).filter((o) => o !== original.outlet);
    const outlet = rng.pick(outlets);
    const originalMs = Date.parse(source.publishedAt ?? '') || ownMs;
    const publishedMs = Math.min(this.to.getTime() - 1000, Math.max(ownMs, originalMs + rng.int(5, 180) * 60_000));
    let paragraphs = [...source.paragraphs];
    if (paragraphs.length > 3 && rng.chance(0.4)) paragraphs = paragraphs.slice(0, -rng.int(1, 3));
    let title = source.title;
    if (source.lang === 'ko') {
      title = rng.pick([title, `[종합] ${title}`, `${title}(상보)`, title]);
      if (rng.chance(0.5)) paragraphs.unshift(`[${outlet.name} 제휴 기사]`);
      paragraphs.push(rng.pick([`ⓒ ${outlet.name}, 무단전재 및 재배포 금지`, `<저작권자 ⓒ ${outlet.name}>`]));
    } else {
      title = rng.pick([title, `UPDATE 1-${title}`, title]);
      paragraphs.push(
        rng.pick([
          `This story was originally published by ${original.outlet.name}.`,
          `© 2026 ${outlet.name}. All rights reserved.`,
        ]),
      );
    }
    const path = source.lang === 'ko' ? `news/articleView.html?idxno=c${pad(index, 7)}` : `wire/${index}`;
    const stamp = source.lang === 'ko' ? isoKst : isoUtc;
    return {
      index,
      outlet,
      copyOf: original.index,
      article: {
        ...source,
        title,
        paragraphs,
        source: outlet.name,
        publishedAt: stamp(publishedMs),
        updatedAt: null,
        url: `https://${outlet.host}/${path}`,
      },
    };
  }
}

function koreanNumbers(rng: Rng): SlotValues {
  return {
    num: () => String(rng.int(2, 950)),
    pct: () => (rng.chance(0.3) ? `${rng.int(1, 40)}.${rng.int(1, 9)}` : String(rng.int(2, 60))),
    money: () => (rng.chance(0.4) ? `${rng.int(1, 40)}조원` : `${rng.int(1, 99)}00억원`),
    year: () => String(rng.int(2026, 2030)),
    quarter: () => `${rng.int(1, 4)}분기`,
    day: () => String(rng.int(1, 28)),
  };
}

function englishNumbers(rng: Rng): SlotValues {
  return {
    num: () => String(rng.int(2, 950)),
    pct: () => (rng.chance(0.3) ? `${rng.int(1, 40)}.${rng.int(1, 9)}` : String(rng.int(2, 60))),
    money: () => (rng.chance(0.5) ? `$${rng.int(11, 490) / 10} billion` : `$${rng.int(50, 950)} million`),
    year: () => String(rng.int(2026, 2030)),
    quarter: () => rng.pick(['first quarter', 'second quarter', 'third quarter', 'fourth quarter']),
    day: () => String(rng.int(1, 28)),
  };
}

/**
 * Sentences in a shuffled order (each template once before any repeats), grouped into paragraphs of
 * `perParagraph` sentences, until the body reaches `target` (measured by `length`) without passing `max`.
 */
function composeBody(
  templates: readonly string[],
  values: SlotValues,
  rng: Rng,
  target: number,
  max: number,
  length: (text: string) => number,
  perParagraph: [number, number],
): string[] {
  const order = templates.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const paragraphs: string[][] = [];
  const measure = () => length(paragraphs.map((p) => p.join(' ')).join('\n\n'));
  let total = 0;
  for (let k = 0; total < target; k++) {
    const sentence = fillTemplate(templates[order[k % order.length] as number] as string, values, rng);
    const current = paragraphs.at(-1);
    if (!current || current.length >= rng.int(perParagraph[0], perParagraph[1])) {
      paragraphs.push([sentence]);
      total += length(sentence) + (paragraphs.length > 1 ? 2 : 0);
    } else {
      current.push(sentence);
      total += length(sentence) + 1;
    }
  }
  while (measure() > max) {
    const last = paragraphs.at(-1) as string[];
    last.pop();
    if (last.length === 0) paragraphs.pop();
  }
  return paragraphs.map((p) => p.join(' '));
}
