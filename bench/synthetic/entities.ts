import { TOPIC_CATALOG_PATH } from '../../src/paths.ts';
import { loadTopicCatalog, type Topic } from '../../src/topics/catalog.ts';

/** A catalog topic as the generator writes it: its names in each language and the other spellings the press uses. */
export interface Entity {
  id: string;
  en: string;
  ko: string;
  /** Other English spellings (`Samsung`, `SK Hynix`). */
  enAliases: string[];
  /** Other Korean spellings, press shorthand included (`삼성`, `삼전`, `하닉`). */
  koAliases: string[];
  parent: string | null;
}

export interface Entities {
  /** Most covered first: the generator picks with a Zipf-like bias towards the front. */
  companies: Entity[];
  products: Entity[];
  technologies: Entity[];
  people: Entity[];
}

/** The companies Korean tech news covers most, in rough order; the rest of the catalog follows. */
const POPULAR_COMPANIES = [
  'samsung-electronics',
  'sk-hynix',
  'nvidia',
  'lg-electronics',
  'openai',
  'naver',
  'kakao',
  'apple',
  'google',
  'microsoft',
  'tsmc',
  'meta',
  'hyundai-motor',
  'sk-telecom',
  'kt',
  'intel',
  'amd',
  'qualcomm',
  'lg-energy-solution',
  'tesla',
];

const POPULAR_TECHNOLOGIES = [
  'ai',
  'ai-chips',
  'semiconductor',
  'generative-ai',
  'llm',
  'on-device-ai',
  'data-center',
  'foundry',
  'memory-semiconductor',
  'cloud',
  'xr',
  'robot',
  'autonomous-driving',
  'battery',
  'smartphone',
];

const HANGUL = /\p{Script=Hangul}/u;

function toEntity(topic: Topic): Entity {
  const others = topic.aliases.filter((a) => a !== topic.names.en && a !== topic.names.ko && !/[㈜]/u.test(a));
  return {
    id: topic.id,
    en: topic.names.en,
    ko: topic.names.ko,
    enAliases: others.filter((a) => !HANGUL.test(a) && a !== a.toUpperCase()),
    koAliases: others.filter((a) => HANGUL.test(a)),
    parent: topic.parent ?? null,
  };
}

function popularFirst(topics: Topic[], popular: readonly string[]): Entity[] {
  const rank = (id: string) => {
    const i = popular.indexOf(id);
    return i < 0 ? popular.length : i;
  };
  return [...topics].sort((a, b) => rank(a.id) - rank(b.id)).map(toEntity);
}

/** Reads the generator's companies, products, technologies and people from `config/topics.yaml`. */
export function loadEntities(catalogPath = TOPIC_CATALOG_PATH): Entities {
  const topics = [...loadTopicCatalog(catalogPath).topics];
  const ofKind = (kind: Topic['kind']) => topics.filter((t) => t.kind === kind);
  return {
    companies: popularFirst(ofKind('company'), POPULAR_COMPANIES),
    products: ofKind('product').map(toEntity),
    technologies: popularFirst(ofKind('technology'), POPULAR_TECHNOLOGIES),
    people: ofKind('person').map(toEntity),
  };
}
