import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadTopicServices } from '../../src/topics/index.ts';

const CATALOG = fileURLToPath(new URL('../../config/topics.yaml', import.meta.url));

describe('loadTopicServices', () => {
  const services = loadTopicServices(CATALOG, [{ id: 'samsung-electronics', aliases: ['쌤쑹'] }], 'newsbrief.yaml');

  it('merges the user topics into the catalog', () => {
    expect(services.catalog.source).toBe(`${CATALOG} + newsbrief.yaml`);
    expect(services.lookup.expand('쌤쑹')?.topicId).toBe('samsung-electronics');
  });

  it('tags with ancestors for ingestion', () => {
    const tags = services.tagger.tagsOf('갤럭시 S25 공개');
    expect(tags.filter((t) => t.weight > 0).map((t) => t.id)).toEqual(['galaxy-s']);
    expect(tags.map((t) => t.id).sort()).toEqual(['galaxy', 'galaxy-s', 'samsung-electronics', 'samsung-group']);
  });

  it('gives display names, ids and store rows', () => {
    expect(services.lookup.displayName('nvidia')).toBe('엔비디아');
    expect(services.lookup.displayName('nvidia', 'en')).toBe('NVIDIA');
    expect(services.lookup.displayName('no-such-topic')).toBe('no-such-topic');
    expect(services.lookup.has('openai')).toBe(true);
    expect(services.lookup.has('no-such-topic')).toBe(false);
    expect(services.records.find((r) => r.id === 'galaxy')).toEqual({
      id: 'galaxy',
      nameEn: 'Galaxy',
      nameKo: '갤럭시',
      kind: 'product',
      parentId: 'samsung-electronics',
    });
  });

  it('suggests topics for typos and prefixes', () => {
    expect(services.lookup.suggest('nvidai', 3)).toEqual(['nvidia']);
    expect(services.lookup.suggest('엔비디', 3)).toEqual(['nvidia']);
    expect(services.lookup.suggest('samsng', 1)).toEqual(['samsung-electronics']);
    expect(services.lookup.suggest('zzzzqq', 3)).toEqual([]);
  });
});
