import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  createTagger,
  loadTopicCatalog,
  mergeTopics,
  parseTopicCatalog,
  TOPIC_KINDS,
  type TopicCatalog,
  TopicCatalogError,
} from '../../src/topics/index.ts';
import { aliasKey } from '../../src/topics/normalize.ts';

const CATALOG = fileURLToPath(new URL('../../config/topics.yaml', import.meta.url));

/** The issues a catalog text is rejected with (fails the test when it is accepted). */
function issuesOf(yamlText: string): readonly string[] {
  try {
    parseTopicCatalog(yamlText, 'bad.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(TopicCatalogError);
    return (error as TopicCatalogError).issues;
  }
  throw new Error('the catalog was accepted');
}

const BASE = `topics:
  - id: samsung-group
    kind: group
    names: { en: Samsung Group, ko: 삼성그룹 }
    aliases: []
  - id: samsung-electronics
    kind: company
    names: { en: Samsung Electronics, ko: 삼성전자 }
    aliases: [Samsung, 삼성, 삼전]
    parent: samsung-group
  - id: microsoft
    kind: company
    names: { en: Microsoft, ko: 마이크로소프트 }
    aliases: [MS]
    caseSensitive: [MS]
`;

describe('the real catalog', () => {
  const catalog = loadTopicCatalog(CATALOG);

  it('loads with at least 150 topics of every kind', () => {
    expect(catalog.topics.length).toBeGreaterThanOrEqual(150);
    for (const kind of TOPIC_KINDS) expect(catalog.topics.some((t) => t.kind === kind)).toBe(true);
  });

  it('has no alias claimed by two topics', () => {
    const owner = new Map<string, string>();
    for (const topic of catalog.topics) {
      for (const alias of [topic.names.en, topic.names.ko, ...topic.aliases]) {
        const key = aliasKey(alias);
        expect(owner.get(key) ?? topic.id, `"${alias}" of ${topic.id}`).toBe(topic.id);
        owner.set(key, topic.id);
      }
    }
  });

  it('has the brief examples, with their parents', () => {
    const aliases = (id: string) => {
      const topic = catalog.byId.get(id);
      return topic ? [topic.names.en, topic.names.ko, ...topic.aliases] : [];
    };
    expect(aliases('samsung-electronics')).toEqual(expect.arrayContaining(['삼성전자', 'Samsung Electronics', '삼전']));
    expect(aliases('sk-hynix')).toEqual(expect.arrayContaining(['SK하이닉스', 'SK hynix', '하닉']));
    expect(aliases('lg-electronics')).toEqual(expect.arrayContaining(['LG전자', 'LG Electronics', '엘지전자']));
    expect(aliases('meta')).toEqual(expect.arrayContaining(['메타', 'Meta', '페이스북']));
    expect(aliases('sam-altman')).toEqual(expect.arrayContaining(['샘 알트만', '샘 올트먼', 'Sam Altman']));
    expect(aliases('llm')).toEqual(expect.arrayContaining(['LLM', '거대언어모델', '대규모 언어 모델']));
    expect(catalog.byId.get('samsung-electronics')?.parent).toBe('samsung-group');
    expect(catalog.byId.get('galaxy')?.parent).toBe('samsung-electronics');
  });

  it('has a Korean and an English name for every topic', () => {
    for (const topic of catalog.topics) {
      expect(topic.names.en.trim(), topic.id).not.toBe('');
      expect(topic.names.ko.trim(), topic.id).not.toBe('');
    }
  });
});

describe('catalog validation', () => {
  it('accepts a valid catalog', () => {
    const catalog = parseTopicCatalog(BASE, 'ok.yaml');
    expect(catalog.topics.map((t) => t.id)).toEqual(['samsung-group', 'samsung-electronics', 'microsoft']);
    expect(catalog.byId.get('microsoft')?.caseSensitive).toEqual(['MS']);
  });

  it('rejects duplicate ids', () => {
    expect(
      issuesOf(`${BASE}  - id: microsoft\n    kind: company\n    names: { en: Microsoft 2, ko: 마소2 }\n`),
    ).toEqual([
      'bad.yaml: topics[3] "microsoft": duplicate id "microsoft" (first defined at bad.yaml: topics[2] "microsoft")',
    ]);
  });

  it('rejects an unknown parent', () => {
    expect(issuesOf(BASE.replace('parent: samsung-group', 'parent: samsung'))).toEqual([
      'bad.yaml: topics[1] "samsung-electronics": parent: "samsung" is not the id of any topic',
    ]);
  });

  it('rejects a parent loop', () => {
    const text = `${BASE.replace('    aliases: []\n', '    aliases: []\n    parent: samsung-electronics\n')}`;
    expect(issuesOf(text)).toEqual([
      'bad.yaml: topics[0] "samsung-group": parent: the parent chain loops back: samsung-group → samsung-electronics → samsung-group',
    ]);
  });

  it('rejects an alias claimed by two topics, whatever its case and spacing', () => {
    const text = `${BASE}  - id: samsung-display\n    kind: company\n    names: { en: Samsung Display, ko: 삼성디스플레이 }\n    aliases: [SAMSUNG, 삼 전]\n`;
    expect(issuesOf(text)).toEqual([
      'bad.yaml: topics[3] "samsung-display": aliases[0]: "SAMSUNG" is also an alias of "samsung-electronics" (bad.yaml: topics[1] "samsung-electronics": aliases[0]); an alias may name only one topic',
      'bad.yaml: topics[3] "samsung-display": aliases[1]: "삼 전" is also an alias of "samsung-electronics" (bad.yaml: topics[1] "samsung-electronics": aliases[2]); an alias may name only one topic',
    ]);
  });

  it('rejects empty and missing names', () => {
    const text = `topics:
  - id: nvidia
    kind: company
    names: { en: NVIDIA, ko: '  ' }
  - id: amd
    kind: company
    names: { en: AMD }
    aliases: ['']
`;
    expect(issuesOf(text)).toEqual([
      'bad.yaml: topics[0] "nvidia": names.ko: must not be empty',
      'bad.yaml: topics[1] "amd": names.ko: is required',
      'bad.yaml: topics[1] "amd": aliases[0]: must not be empty',
    ]);
  });

  it('rejects wrong kinds, unknown fields, non-kebab ids and non-mapping entries', () => {
    const text = `topics:
  - id: Samsung Electronics
    kind: company
    names: { en: Samsung Electronics, ko: 삼성전자 }
  - id: x
    kind: firm
    names: { en: X, ko: 엑스 }
    alias: [X Corp]
  - just a string
`;
    expect(issuesOf(text)).toEqual([
      'bad.yaml: topics[1] "x": kind: must be one of company, product, person, technology, group (got "firm")',
      'bad.yaml: topics[1] "x": unknown field "alias" (allowed: id, kind, names, aliases, parent, caseSensitive, exclude)',
      'bad.yaml: topics[2]: must be a mapping',
      'bad.yaml: topics[0] "Samsung Electronics": id "Samsung Electronics" must be kebab-case ASCII (a-z, 0-9, single hyphens), e.g. "samsung-electronics"',
    ]);
  });

  it('rejects caseSensitive entries that are not aliases, and excludes that are aliases', () => {
    const text = BASE.replace('caseSensitive: [MS]', 'caseSensitive: [Ms]\n    exclude: [삼성]');
    expect(issuesOf(text)).toEqual([
      `bad.yaml: topics[2] "microsoft": caseSensitive[0]: "Ms" is not one of this topic's names or aliases (check the spelling)`,
      'bad.yaml: topics[2] "microsoft": exclude[0]: "삼성" is an alias of "samsung-electronics" (bad.yaml: topics[1] "samsung-electronics": aliases[1]); it cannot also be excluded',
    ]);
  });

  it('reports YAML syntax errors and a missing topics list with the file name', () => {
    expect(issuesOf('topics: [\n  - id: x')[0]).toMatch(/^bad\.yaml: YAML syntax: .+line/);
    expect(issuesOf('- id: x\n')).toEqual(['bad.yaml: must be a mapping with a "topics:" list']);
  });

  it('names the path of a file it cannot read', () => {
    expect(() => loadTopicCatalog('/nonexistent/topics.yaml')).toThrow(
      /\/nonexistent\/topics\.yaml: cannot read the topic catalog/,
    );
  });

  it('lists every mistake in the error message', () => {
    expect(() => parseTopicCatalog(BASE.replace('parent: samsung-group', 'parent: nope'), 'bad.yaml')).toThrow(
      'The topic catalog has a mistake:\n  - bad.yaml: topics[1] "samsung-electronics": parent: "nope" is not the id of any topic',
    );
  });
});

describe('mergeTopics', () => {
  const base: TopicCatalog = parseTopicCatalog(BASE, 'topics.yaml');

  it('adds aliases to an existing topic, which then match', () => {
    const merged = mergeTopics(base, [{ id: 'samsung-electronics', aliases: ['쌤쑹'] }], 'newsbrief.yaml');
    expect(merged.byId.get('samsung-electronics')?.aliases).toEqual(['Samsung', '삼성', '삼전', '쌤쑹']);
    expect(merged.source).toBe('topics.yaml + newsbrief.yaml');
    expect(createTagger(merged).tag('쌤쑹이')).toEqual([
      { topicId: 'samsung-electronics', count: 1, inherited: false },
    ]);
    expect(base.byId.get('samsung-electronics')?.aliases).toEqual(['Samsung', '삼성', '삼전']);
  });

  it('adds new topics, defaulting the kind and a missing name', () => {
    const merged = mergeTopics(base, [
      { id: 'acme-robotics', names: { en: 'Acme Robotics' }, aliases: ['애크미'], parent: 'samsung-group' },
    ]);
    expect(merged.byId.get('acme-robotics')).toEqual({
      id: 'acme-robotics',
      kind: 'company',
      names: { en: 'Acme Robotics', ko: 'Acme Robotics' },
      aliases: ['애크미'],
      caseSensitive: [],
      exclude: [],
      parent: 'samsung-group',
    });
    expect(
      createTagger(merged)
        .tag('애크미가', { includeParents: true })
        .map((m) => m.topicId),
    ).toEqual(['acme-robotics', 'samsung-group']);
  });

  it('keeps a replaced name as an alias', () => {
    const merged = mergeTopics(base, [{ id: 'microsoft', names: { ko: '마소' } }]);
    const topic = merged.byId.get('microsoft');
    expect(topic?.names).toEqual({ en: 'Microsoft', ko: '마소' });
    expect(topic?.aliases).toContain('마이크로소프트');
  });

  it('can exclude phrases from a catalog topic', () => {
    const merged = mergeTopics(base, [{ id: 'samsung-electronics', exclude: ['삼성동'] }]);
    expect(createTagger(merged).tag('삼성동 코엑스')).toEqual([]);
    expect(createTagger(base).tag('삼성 동쪽')).toHaveLength(1);
  });

  it('reports user mistakes with the user file, entry and field', () => {
    expect(() =>
      mergeTopics(
        base,
        [
          { id: 'my-chips', aliases: ['MS'] },
          { id: 'nothing' },
          { id: 'other', names: { en: 'Other' }, parent: 'missing' },
        ],
        'newsbrief.yaml',
      ),
    ).toThrow(
      new TopicCatalogError([
        'newsbrief.yaml: topics[1] "nothing": a new topic needs names.en, names.ko or at least one alias',
        'newsbrief.yaml: topics[2] "other": parent: "missing" is not the id of any topic',
        'newsbrief.yaml: topics[0] "my-chips": aliases[0]: "MS" is also an alias of "microsoft" (topics.yaml: topic "microsoft": aliases[0]); an alias may name only one topic',
      ]),
    );
  });

  it('validates the shape of raw user entries', () => {
    const raw = [{ id: 'x', aliases: 'not a list', colour: 'red' }] as unknown as [];
    let issues: readonly string[] = [];
    try {
      mergeTopics(base, raw, 'newsbrief.yaml');
    } catch (error) {
      issues = (error as TopicCatalogError).issues;
    }
    expect(issues).toEqual([
      'newsbrief.yaml: topics[0] "x": aliases: must be a list of strings',
      'newsbrief.yaml: topics[0] "x": unknown field "colour" (allowed: id, kind, names, aliases, parent, caseSensitive, exclude)',
    ]);
  });
});
