/**
 * Search quality on the labelled sample queries through `CommandHandler` (what `/news` runs): P@5 over the
 * reply a user sees (the configured 5 results) and R@10 over a reply of 10, each result counting for its lead
 * article and its copies. Also whether English and Korean names of one company lead to the same top story.
 */

import type { App } from '../../src/app.ts';
import type { Reply } from '../../src/commands/reply.ts';
import { CROSS_LANGUAGE_PAIRS, type QueryLabel } from '../../src/search/evaluate.ts';
import { parseQuery } from '../../src/search/query.ts';
import { cappedRecallAt, precisionAt, type RankedHit, recallAt } from './rankingMetrics.ts';
import { normalizeLabel, type SampleArchive } from './sampleArchive.ts';

export interface QueryScore {
  query: string;
  precisionAt5: number;
  recallAt10: number;
  /** Relevant stories (wire copies as one) in the first 10 results over at most 10 of them. */
  cappedRecallAt10: number;
  shown: number;
  relevant: number;
}

export interface SearchQuality {
  queries: number;
  precisionAt5: number;
  recallAt10: number;
  cappedRecallAt10: number;
  /** Queries that found every relevant article in their first 10 results. */
  fullRecall: number;
  perQuery: QueryScore[];
}

export interface CrossLanguagePair {
  english: string;
  korean: string;
  same: boolean;
  englishTop: string | null;
  koreanTop: string | null;
}

const CONTEXT = { channel: 'bench:quality', lang: 'ko' as const, timeZone: 'Asia/Seoul' };

function hitsOf(reply: Reply, archive: SampleArchive): RankedHit[] {
  if (reply.kind !== 'search') return [];
  return reply.stories.map((story) => ({
    articles: [story.articleId, ...story.otherSources.map((s) => s.articleId)].flatMap(
      (id) => archive.labelIds.get(id) ?? [`article:${id}`],
    ),
  }));
}

function mean(values: number[]): number {
  return values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : 0;
}

export function measureSearchQuality(
  archive: SampleArchive,
  labels: readonly QueryLabel[],
  defaultNow: string,
  wireGroups: readonly (readonly string[])[] = [],
): SearchQuality {
  const unitByLabel = new Map<string, string>();
  for (const group of wireGroups) {
    const ids = group.map(normalizeLabel);
    for (const id of ids) unitByLabel.set(id, ids[0] as string);
  }
  const unitOf = (label: string) => unitByLabel.get(label) ?? label;
  const apps = new Map<string, App>();
  const appAt = (now: string) => {
    let app = apps.get(now);
    if (!app) {
      app = archive.open(new Date(now));
      apps.set(now, app);
    }
    return app;
  };
  try {
    const perQuery = labels.map((label): QueryScore => {
      const app = appAt(label.now ?? defaultNow);
      const relevant = new Set(label.relevant.map(normalizeLabel));
      const shown = hitsOf(app.commands.search(label.query, CONTEXT), archive);
      const ten = hitsOf(app.commands.searchQuery(parseQuery(label.query), CONTEXT, 10), archive);
      return {
        query: label.query,
        precisionAt5: precisionAt(shown, relevant, 5),
        recallAt10: recallAt(ten, relevant, 10),
        cappedRecallAt10: cappedRecallAt(ten, relevant, 10, unitOf),
        shown: shown.length,
        relevant: relevant.size,
      };
    });
    return {
      queries: perQuery.length,
      precisionAt5: mean(perQuery.map((q) => q.precisionAt5)),
      recallAt10: mean(perQuery.map((q) => q.recallAt10)),
      cappedRecallAt10: mean(perQuery.map((q) => q.cappedRecallAt10)),
      fullRecall: perQuery.filter((q) => q.recallAt10 === 1).length,
      perQuery,
    };
  } finally {
    for (const app of apps.values()) app.close();
  }
}

export function checkCrossLanguagePairs(archive: SampleArchive, now: string): CrossLanguagePair[] {
  const app = archive.open(new Date(now));
  try {
    const top = (query: string) => {
      const reply = app.commands.search(query, CONTEXT);
      const story = reply.kind === 'search' ? reply.stories[0] : undefined;
      return story ? { id: story.articleId, title: story.title } : null;
    };
    return CROSS_LANGUAGE_PAIRS.map(([english, korean]) => {
      const en = top(english);
      const ko = top(korean);
      return {
        english,
        korean,
        same: en !== null && ko !== null && en.id === ko.id,
        englishTop: en?.title ?? null,
        koreanTop: ko?.title ?? null,
      };
    });
  } finally {
    app.close();
  }
}
