export type { Topic, TopicCatalog, TopicKind, UserTopic } from './catalog.ts';
export {
  loadTopicCatalog,
  mergeTopics,
  parseTopicCatalog,
  TOPIC_KINDS,
  TopicCatalogError,
  topicAliases,
} from './catalog.ts';
export type { TopicLookupService, TopicRow, TopicServices } from './services.ts';
export { createTopicServices, loadTopicServices } from './services.ts';
export type { QueryExpansion, Tagger, TagOptions, TopicMatch, TopicMention } from './tagger.ts';
export { createTagger } from './tagger.ts';
