import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createGlossary } from '../../src/topics/glossary.ts';
import { loadTopicCatalog, parseTopicCatalog, TopicCatalogError } from '../../src/topics/index.ts';
import { loadTopicServices } from '../../src/topics/services.ts';

const CATALOG = fileURLToPath(new URL('../../config/topics.yaml', import.meta.url));

const TOPICS = `topics:
  - id: xr
    kind: technology
    names: { en: extended reality, ko: 확장현실 }
    aliases: [XR]
`;

function issuesOf(yamlText: string): readonly string[] {
  try {
    parseTopicCatalog(yamlText, 'bad.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(TopicCatalogError);
    return (error as TopicCatalogError).issues;
  }
  throw new Error('the catalog was accepted');
}

describe('the glossary', () => {
  it('translates a word to every word of its list, case-blind, with a trailing particle', () => {
    const glossary = createGlossary([
      ['headset', '헤드셋'],
      ['interpreter', 'interpretation', '통역'],
    ]);
    expect(glossary.translate('Headset')).toEqual(['headset', '헤드셋']);
    expect(glossary.translate('헤드셋을')).toEqual(['headset', '헤드셋']);
    expect(glossary.translate('통역')).toEqual(['interpreter', 'interpretation', '통역']);
    expect(glossary.translate('헤드')).toBeNull();
    expect(glossary.translate('  ')).toBeNull();
  });

  it('is read from the catalog and checked: lists of two or more, each word once, no topic alias', () => {
    const catalog = parseTopicCatalog(
      `${TOPICS}glossary:\n  - [headset, 헤드셋]\n  - [검색엔진, 검색 엔진, search engine]\n`,
      'ok.yaml',
    );
    expect(catalog.glossary).toEqual([
      ['headset', '헤드셋'],
      ['검색엔진', '검색 엔진', 'search engine'],
    ]);
    expect(issuesOf(`${TOPICS}glossary:\n  - [headset]\n`)).toEqual([
      'bad.yaml: glossary[0]: needs at least two words',
    ]);
    expect(issuesOf(`${TOPICS}glossary:\n  - [headset, 헤드셋]\n  - [Headset, 헤드 셋]\n`)).toEqual([
      'bad.yaml: glossary[1][0]: "Headset" is already in the glossary at bad.yaml: glossary[0][0]',
      'bad.yaml: glossary[1][1]: "헤드 셋" is already in the glossary at bad.yaml: glossary[0][1]',
    ]);
    expect(issuesOf(`${TOPICS}glossary:\n  - [xr, 엑스알]\n`)).toEqual([
      'bad.yaml: glossary[0][0]: "xr" is an alias of topic "xr", which already expands it',
    ]);
    expect(issuesOf(`${TOPICS}glossary: headset\n`)).toEqual(['bad.yaml: glossary: must be a list of word lists']);
  });

  it('comes with the real catalog and reaches the topic lookup', () => {
    expect(loadTopicCatalog(CATALOG).glossary.length).toBeGreaterThanOrEqual(100);
    const services = loadTopicServices(CATALOG);
    expect(services.lookup.translate('headset')).toContain('헤드셋');
    expect(services.lookup.translate('통역')).toContain('interpreter');
    expect(services.lookup.translate('korean')).toContain('한국어');
    expect(services.lookup.translate('samsung')).toBeNull();
  });
});
