/** What was posted where: a delivery refers to a stored article. */
import { expect, it } from 'vitest';
import { describeBackends, postgresBackend, sqliteBackend } from './backends.ts';
import { article } from './fixtures.ts';

const BACKENDS = [sqliteBackend(), postgresBackend()];

describeBackends(BACKENDS, (backend) => {
  it('records a post of an article to a channel once', async () => {
    const a = await backend.open();
    const b = await backend.open();
    const first = await a.articles.save(article({ key: 'k1', contentHash: 'h1' }));
    const second = await a.articles.save(article({ key: 'k2', contentHash: 'h2' }));
    expect(await a.deliveries.wasDelivered('slack:C1', first)).toBe(false);
    expect(await a.deliveries.record('slack:C1', 'story-1', first, '2026-12-01T00:00:00.000Z')).toBe(true);
    expect(await b.deliveries.record('slack:C1', 'story-1', first, '2026-12-01T00:05:00.000Z')).toBe(false);
    expect(await b.deliveries.wasDelivered('slack:C1', first)).toBe(true);
    expect(await b.deliveries.wasDelivered('slack:C2', first)).toBe(false);
    expect(await b.deliveries.wasDelivered('slack:C1', second)).toBe(false);
    expect(await b.deliveries.record('slack:C2', 'story-1', first, '2026-12-01T00:05:00.000Z')).toBe(true);
  });

  it('refuses a post of an article that is not stored', async () => {
    const { deliveries } = await backend.open();
    await expect(async () =>
      deliveries.record('slack:C1', 'story-1', 12345, '2026-12-01T00:00:00.000Z'),
    ).rejects.toThrow();
  });

  it('lets one of two stores recording the same post at once through', async () => {
    const a = await backend.open();
    const b = await backend.open();
    const id = await a.articles.save(article());
    const recorded = await Promise.all([
      a.deliveries.record('slack:C1', 'story-1', id, '2026-12-01T00:00:00.000Z'),
      b.deliveries.record('slack:C1', 'story-1', id, '2026-12-01T00:00:01.000Z'),
      b.deliveries.record('slack:C1', 'story-1', id, '2026-12-01T00:00:02.000Z'),
    ]);
    expect(recorded.filter(Boolean)).toHaveLength(1);
    expect(await a.deliveries.wasDelivered('slack:C1', id)).toBe(true);
  });
});
