/**
 * Two workers indexing at once into one PostgreSQL: copies of one wire story that arrive through different
 * processes at the same moment land in one story, and articles without a story, which every worker places when it
 * starts, are placed once each, as one process would (index batches take turns across processes).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type App, openAppOn } from '../../src/app.ts';
import { Ingestor } from '../../src/ingest/ingest.ts';
import { SAMPLE_NEWS_PATH, TOPIC_CATALOG_PATH } from '../../src/paths.ts';
import { StoryIndexer } from '../../src/stories/indexer.ts';
import { loadTopicServices } from '../../src/topics/services.ts';
import { openPostgresStore } from '../../storage/postgres/index.ts';
import { createTestDatabase, TEST_DATABASE_URL } from '../helpers/postgres.ts';
import { useTempDir } from '../helpers/tempDir.ts';
import { queryRows, useTestDatabase } from '../helpers/testDatabase.ts';

const tempDir = useTempDir();
const clusterUrl = process.env[TEST_DATABASE_URL];
const topics = loadTopicServices(TOPIC_CATALOG_PATH);

const SUBJECTS = ['volcano', 'saxophone', 'glacier', 'tapestry', 'origami', 'lighthouse', 'accordion', 'meteorite'];

/** A story about `subject` as one outlet tells it: each subject's wire and reprint are copies of one another. */
function story(subject: string, i: number, outlet: 'wire' | 'reprint'): string {
  const title = `${subject} researchers publish a ${subject} study`;
  const body = [
    `The ${subject} team at the institute said on Tuesday that its ${subject} findings, gathered over ${i + 3} years, change how ${subject} experts work.`,
    `The ${subject} report runs to ${i + 40} pages and was reviewed by ${i + 5} outside ${subject} specialists before it was published.`,
    outlet === 'wire' ? 'More to follow.' : 'More details are expected later.',
  ];
  return `${title}\n\n${body.join('\n\n')}\n`;
}

/** The stories as groups of their articles' keys, sorted: the same on two databases that hold the same archive. */
async function storyGroups(url: string): Promise<string[][]> {
  const rows = await queryRows<{ keys: string[] }>(
    url,
    `SELECT array_agg(a.key ORDER BY a.key) AS keys FROM story_articles sa JOIN articles a ON a.id = sa.article_id
     GROUP BY sa.story_id`,
  );
  return rows.map((r) => r.keys).sort((x, y) => (x[0] ?? '').localeCompare(y[0] ?? ''));
}

describe.skipIf(!clusterUrl && !process.env.CI)('indexing from two processes at once', () => {
  const testDatabase = useTestDatabase();

  it('puts copies of one story stored by two workers at the same moment into one story', async () => {
    const dir = tempDir();
    const apps: App[] = [];
    try {
      for (let i = 0; i < 2; i++) {
        apps.push(
          await openAppOn({ databaseUrl: testDatabase().url, configPath: null, dbPath: join(dir, 'unused.db') }),
        );
      }
      // each process ingests its outlet's copies of every story, both at once
      const folders = (['wire', 'reprint'] as const).map((outlet) => {
        const folder = join(dir, outlet);
        mkdirSync(folder);
        for (const [i, subject] of SUBJECTS.entries()) {
          writeFileSync(join(folder, `${subject}.txt`), story(subject, i, outlet));
        }
        return folder;
      });
      await Promise.all(apps.map((app, i) => app.ingestor.ingestPaths([folders[i] as string])));
      const rows = await queryRows<{ n: string }>(
        testDatabase().url,
        'SELECT count(*) AS n FROM story_articles GROUP BY story_id ORDER BY story_id',
      );
      expect(rows.map((r) => Number(r.n))).toEqual(SUBJECTS.map(() => 2));
    } finally {
      for (const app of apps) await app.close();
    }
  }, 60_000);

  it('places the articles stored without stories once each when two processes place them at once, as one would', async () => {
    const shared = await createTestDatabase(clusterUrl as string);
    const stores = [await openPostgresStore(shared.url), await openPostgresStore(shared.url)];
    const alone = await createTestDatabase(clusterUrl as string);
    const reference = await openPostgresStore(alone.url);
    try {
      for (const store of [...stores.slice(0, 1), reference]) {
        await store.topics.sync(topics.records);
        await new Ingestor(store, topics.tagger, { indexStories: false }).ingestPaths([SAMPLE_NEWS_PATH]);
      }
      const pending = await reference.stories.unassigned(100_000);
      expect(pending.length).toBeGreaterThan(40);
      expect(await new StoryIndexer(reference, topics.tagger).indexPending()).toBe(pending.length);
      // every worker places what has no story when it starts: two at the same moment
      const placed = await Promise.all(stores.map((store) => new StoryIndexer(store, topics.tagger).indexPending()));
      expect(placed.reduce((sum, n) => sum + n, 0)).toBe(pending.length);
      expect(await storyGroups(shared.url)).toEqual(await storyGroups(alone.url));
    } finally {
      for (const store of [...stores, reference]) await store.close();
      await alone.drop();
      await shared.drop();
    }
  }, 120_000);
});
