/**
 * Finds catalog topics in Korean and English text in one left-to-right pass over a trie of all aliases.
 *
 * Rules (both the text and the aliases are NFKC-normalised and lower-cased):
 * - Latin/digit aliases match whole words: `LG` not in `LGBT`, `AI` not in `MAIN`, `Apple` not in `pineapple`.
 * - Hangul aliases start a Hangul run (`애플` not in `파인애플`) and may be followed only by particles and
 *   news suffixes (`삼성전자가`, `엔비디아향`, `애플 측은`), never by other syllables (`인텔리전스` is not Intel).
 * - A space in an alias, and every Hangul/Latin boundary in it, matches any whitespace or none
 *   (`LG전자` = `LG 전자`, `젠슨 황` = `젠슨황`), except between two Latin letters (`Open AI` ≠ `OpenAI`).
 * - Case-sensitive aliases must equal the text as written (`MS`, `AI`, `Meta`).
 * - A technology's English alias of three letters or more may take a plural `s`/`es` (`language models`);
 *   names of companies, people and products may not (`Samsungs` is not Samsung).
 * - The longest alias at a position wins (`메타버스` over `메타`, `오픈AI` over `AI`); `exclude` phrases take part
 *   in that contest and win silently (`Apple Daily`, `메타 분석`).
 */

import type { Topic, TopicCatalog } from './catalog.ts';
import { ancestorMap, topicAliases } from './catalog.ts';
import {
  aliasKey,
  charClass,
  exactForm,
  HANGUL,
  isKoreanSuffix,
  lowerKeepingOffsets,
  matchForm,
  OTHER,
  SPACE,
  WORD,
} from './normalize.ts';

export interface TopicMatch {
  topicId: string;
  /** Mentions of the topic; with `includeParents`, mentions of its descendants are added. */
  count: number;
  /** True when the topic is here only because a descendant was mentioned (`includeParents`). */
  inherited: boolean;
}

export interface TopicMention {
  topicId: string;
  /** Offsets into `text.normalize('NFKC')` (the same as in the input unless NFKC changed its length). */
  start: number;
  end: number;
  /** The matched text as written (NFKC). */
  text: string;
}

export interface TagOptions {
  /** Also report every ancestor of a mentioned topic (갤럭시 → 삼성전자 → 삼성그룹). Default false. */
  includeParents?: boolean;
}

export interface QueryExpansion {
  topicId: string;
  /** Every name and alias of the topic in both languages, names first. */
  aliases: string[];
}

export interface Tagger {
  /** Topics mentioned in the text, by count (descending), then id. */
  tag(text: string, options?: TagOptions): TopicMatch[];
  /** Every mention, in text order. */
  mentions(text: string): TopicMention[];
  /**
   * The topic a query word or phrase names (any alias, either language, any case, spacing ignored; a trailing
   * Korean particle is tolerated: `삼성전자가`), with all its aliases; null when it names none.
   */
  expandQueryTerm(term: string): QueryExpansion | null;
}

interface Terminal {
  /** Null for an `exclude` phrase: it wins the longest-match contest and tags nothing. */
  topicId: string | null;
  /** Accepted spellings (NFKC, no whitespace) when every alias ending here is case-sensitive; else null. */
  exact: Set<string> | null;
  /** A technology's English noun, which may take a plural ending (`language models`, `headsets`). */
  plural: boolean;
}

interface TrieNode {
  next: Map<number, TrieNode>;
  /** `next.get(SPACE_CODE)`, looked up at every step of a walk, so kept at hand. */
  space: TrieNode | null;
  terminal: Terminal | null;
}

const SPACE_CODE = 0x20;
const PLURAL_ENDINGS = ['s', 'es'];

/** `ancestors` may be given when the caller already computed them (`createTopicServices`). */
export function createTagger(catalog: TopicCatalog, ancestors = ancestorMap(catalog)): Tagger {
  const root = buildTrie(catalog.topics);
  const keyIndex = new Map<string, string>();
  for (const topic of catalog.topics) {
    for (const alias of topicAliases(topic)) keyIndex.set(aliasKey(alias), topic.id);
  }

  const mentions = (text: string): TopicMention[] => {
    const out: TopicMention[] = [];
    scan(root, text, (topicId, start, end, norm) => {
      out.push({ topicId, start, end, text: norm.slice(start, end) });
    });
    return out;
  };

  const tag = (text: string, options: TagOptions = {}): TopicMatch[] => {
    const direct = new Map<string, number>();
    scan(root, text, (topicId) => {
      direct.set(topicId, (direct.get(topicId) ?? 0) + 1);
    });
    const counts = new Map(direct);
    if (options.includeParents) {
      for (const [topicId, count] of direct) {
        for (const ancestor of ancestors.get(topicId) ?? []) counts.set(ancestor, (counts.get(ancestor) ?? 0) + count);
      }
    }
    return [...counts]
      .map(([topicId, count]) => ({ topicId, count, inherited: !direct.has(topicId) }))
      .sort((a, b) => b.count - a.count || (a.topicId < b.topicId ? -1 : a.topicId > b.topicId ? 1 : 0));
  };

  const expandQueryTerm = (term: string): QueryExpansion | null => {
    const key = aliasKey(term);
    if (key === '') return null;
    let topicId = keyIndex.get(key) ?? (catalog.byId.has(key) ? key : undefined);
    // `삼성전자가` → `삼성전자`: drop a trailing particle when what remains names a topic.
    for (let cut = 1; topicId === undefined && cut < key.length; cut++) {
      const tail = key.slice(key.length - cut);
      if (charClass(tail.charCodeAt(0)) !== HANGUL || !isKoreanSuffix(tail)) continue;
      topicId = keyIndex.get(key.slice(0, key.length - cut));
    }
    const topic = topicId === undefined ? undefined : catalog.byId.get(topicId);
    return topic ? { topicId: topic.id, aliases: topicAliases(topic) } : null;
  };

  return { tag, mentions, expandQueryTerm };
}

// ── Building ──────────────────────────────────────────────────────────────────────────────────────────

function buildTrie(topics: readonly Topic[]): TrieNode {
  const root: TrieNode = { next: new Map(), space: null, terminal: null };
  // Aliases first, so a (mis-validated) exclude phrase never hides an alias.
  for (const topic of topics) {
    const caseSensitive = new Set(topic.caseSensitive.map(exactForm));
    for (const alias of topicAliases(topic)) {
      const exact = exactForm(alias);
      const form = matchForm(alias);
      const isCaseSensitive = caseSensitive.has(exact);
      const plural = topic.kind === 'technology' && !isCaseSensitive && /[a-z]{3}$/.test(form);
      insert(root, form, topic.id, isCaseSensitive ? exact : null, plural);
    }
  }
  for (const topic of topics) {
    for (const phrase of topic.exclude) insert(root, matchForm(phrase), null, null, false);
  }
  return root;
}

function insert(root: TrieNode, form: string, topicId: string | null, exact: string | null, plural: boolean): void {
  if (form === '') return;
  let node = root;
  for (let i = 0; i < form.length; i++) {
    const code = form.charCodeAt(i);
    let child = node.next.get(code);
    if (!child) {
      child = { next: new Map(), space: null, terminal: null };
      node.next.set(code, child);
      if (code === SPACE_CODE) node.space = child;
    }
    node = child;
  }
  const existing = node.terminal;
  if (!existing) {
    node.terminal = { topicId, exact: exact === null ? null : new Set([exact]), plural };
  } else if (existing.topicId === topicId && existing.exact) {
    // Same topic, another spelling: case-insensitive if any spelling is.
    if (exact === null) existing.exact = null;
    else existing.exact.add(exact);
  }
}

// ── Matching ──────────────────────────────────────────────────────────────────────────────────────────

/** State of one scan, shared by the recursive trie walk (kept in one object to avoid closures per position). */
interface ScanState {
  /** NFKC text, case kept (for case-sensitive aliases). */
  norm: string;
  /** NFKC text, lower case, same offsets. */
  lower: string;
  start: number;
  bestEnd: number;
  best: Terminal | null;
}

type OnMatch = (topicId: string, start: number, end: number, norm: string) => void;

function scan(root: TrieNode, text: string, onMatch: OnMatch): void {
  const norm = text.normalize('NFKC');
  const lower = lowerKeepingOffsets(norm);
  const state: ScanState = { norm, lower, start: 0, bestEnd: -1, best: null };
  const n = lower.length;
  let prevClass = OTHER;
  for (let i = 0; i < n; i++) {
    const code = lower.charCodeAt(i);
    const cls = charClass(code);
    const canStart = cls !== SPACE && !(cls === prevClass && (cls === WORD || cls === HANGUL));
    prevClass = cls;
    if (!canStart) continue;
    const first = root.next.get(code);
    if (!first) continue;
    state.start = i;
    state.bestEnd = -1;
    state.best = null;
    walk(state, first, i + 1);
    // Read through a cast: TypeScript cannot see that walk() set it.
    const best = state.best as Terminal | null;
    if (best === null) continue;
    if (best.topicId !== null) onMatch(best.topicId, i, state.bestEnd, norm);
    i = state.bestEnd - 1;
    prevClass = charClass(lower.charCodeAt(i));
  }
}

/** Depth-first walk from `node` at text offset `pos`, remembering the longest acceptable alias end. */
function walk(state: ScanState, node: TrieNode, pos: number): void {
  const { lower } = state;
  if (node.terminal && pos > state.bestEnd && endsWord(lower, pos) && caseMatches(state, node.terminal, pos)) {
    state.bestEnd = pos;
    state.best = node.terminal;
  }
  if (node.terminal?.plural) {
    for (const ending of PLURAL_ENDINGS) {
      const end = pos + ending.length;
      if (end > state.bestEnd && lower.startsWith(ending, pos) && endsWord(lower, end)) {
        state.bestEnd = end;
        state.best = node.terminal;
      }
    }
  }
  if (pos >= lower.length) return;
  const code = lower.charCodeAt(pos);
  const cls = charClass(code);
  const spaceChild = node.space;
  if (cls === SPACE) {
    if (!spaceChild) return;
    let p = pos + 1;
    while (p < lower.length && charClass(lower.charCodeAt(p)) === SPACE) p++;
    walk(state, spaceChild, p);
    return;
  }
  const child = node.next.get(code);
  if (child) walk(state, child, pos + 1);
  // An alias space may match no space at all, except between two Latin letters (`OpenAI` is not `Open AI`).
  if (spaceChild && !(isLetter(code) && isLetter(lower.charCodeAt(pos - 1)))) {
    const joined = spaceChild.next.get(code);
    if (joined) walk(state, joined, pos + 1);
  }
}

function isLetter(code: number): boolean {
  return charClass(code) === WORD && !(code >= 0x30 && code <= 0x39);
}

/** Whether an alias may end before `pos`: no word continues it, or only particles follow a Hangul alias. */
function endsWord(lower: string, pos: number): boolean {
  if (pos >= lower.length) return true;
  const last = charClass(lower.charCodeAt(pos - 1));
  const next = charClass(lower.charCodeAt(pos));
  if (last === WORD) return next !== WORD;
  if (last === HANGUL && next === HANGUL) {
    let runEnd = pos + 1;
    while (runEnd < lower.length && charClass(lower.charCodeAt(runEnd)) === HANGUL) runEnd++;
    return isKoreanSuffix(lower.slice(pos, runEnd));
  }
  return true;
}

function caseMatches(state: ScanState, terminal: Terminal, end: number): boolean {
  if (terminal.exact === null) return true;
  return terminal.exact.has(exactForm(state.norm.slice(state.start, end)));
}
