/**
 * The PostgreSQL search tokens against SQLite's own FTS5 index (the tokenizer the SQLite store uses), term for
 * term: the sample news, odd text in several scripts, and every combining mark.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ftsDocument } from '../sqlite/ftsQuery.ts';
import { articleSearchTokens, indexTerms, porterStem } from './searchTokens.ts';

/** What SQLite's FTS5 index holds for each text (as storage/sqlite/migrations.ts tokenizes articles_fts). */
function sqliteTerms(texts: readonly string[]): string[][] {
  const db = new Database(':memory:');
  try {
    db.exec(`
      CREATE VIRTUAL TABLE t USING fts5(body, tokenize = 'porter unicode61 remove_diacritics 2');
      CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance');`);
    const insert = db.prepare('INSERT INTO t (rowid, body) VALUES (1, ?)');
    const clear = db.prepare('DELETE FROM t WHERE rowid = 1');
    const terms = db.prepare<[], { term: string }>('SELECT term FROM v ORDER BY offset');
    return texts.map((text) => {
      insert.run(ftsDocument(text));
      const out = terms.all().map((r) => r.term);
      clear.run();
      return out;
    });
  } finally {
    db.close();
  }
}

function sampleTexts(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sampleTexts(path));
    else if (/\.(txt|html|xml|json)$/.test(name)) out.push(readFileSync(path, 'utf8'));
  }
  return out;
}

const ODD = [
  'Café naïve résumé Ǘber straße Ærø œuvre Ångström ǡ ǣ ǯ ǽ ǿ',
  'e\u0301cole ñandú Đà Nẵng q\u0300q q\u0305q',
  'running runs ran generalization conditional happiness agreed feed plastered motoring hopping hoping',
  'relational rational valency digitizer conformabli radically differentli vileli analogousli vietnamization',
  'predication operator feudalism decisiveness hopefulness callousness formaliti sensitiviti sensibiliti',
  'triplicate formative formalize electriciti electrical hopeful goodness revival allowance inference',
  'airliner gyroscopic adjustable defensible irritant replacement adjustment dependent adoption homologou',
  'communism activate angulariti homologous effective bowdlerize probate rate cease controll roll',
  'caresses ponies ties caress cats feed agreed plastered bled motoring sing conflated troubled sized',
  'hopping tanned falling hissing fizzed failing filing happy sky yyy ay',
  'नमस्ते दुनिया हिन्दी ملخص العربية Привет мир ёжик ΣΟΦΟΣ σοφός',
  'ｓａｍｓｕｎｇ ＡＩ ㈜삼성 ①② 日本語のテキスト 漢字 かな カタカナ',
  'x²+y³ ½ ⅓ 10.8조원 2.5% U.S. Co. SK하이닉스는 HBM4를',
  `${'a'.repeat(62)}ing ${'a'.repeat(61)}ing ab abs ies sses`,
];

describe('PostgreSQL search tokens', () => {
  it('are the terms of SQLite’s FTS5 index, in order, for the sample news and odd text', () => {
    const texts = [...ODD, ...sampleTexts('config/sample')];
    const expected = sqliteTerms(texts);
    const differing = texts.filter((text, i) => JSON.stringify(indexTerms(text)) !== JSON.stringify(expected[i]));
    expect(differing).toEqual([]);
    expect(expected.flat().length).toBeGreaterThan(10_000);
  });

  it('split, drop or keep every combining mark as SQLite does', () => {
    const marks: string[] = [];
    for (let cp = 0x300; cp < 0x110000; cp++) {
      if (cp >= 0xd800 && cp < 0xe000) continue;
      const char = String.fromCodePoint(cp);
      if (/\p{M}/u.test(char)) marks.push(`q${char}q 가${char}나 ${char}`);
    }
    const expected = sqliteTerms([marks.join(' . ')])[0];
    expect(indexTerms(marks.join(' . '))).toEqual(expected);
  });

  it('stem English words as FTS5’s Porter stemmer does', () => {
    expect(['chips', 'shipping', 'models', 'generalization', 'happy', 'ab', '삼성'].map(porterStem)).toEqual([
      'chip',
      'ship',
      'model',
      'gener',
      'happi',
      'ab',
      '삼성',
    ]);
  });

  it('hold every term of an article’s title, deck and body once, in order', () => {
    expect(
      articleSearchTokens({ title: '삼성전자 XR 헤드셋', deck: ['Samsung headsets'], paragraphs: ['삼성전자가 XR'] }),
    ).toEqual(['headset', 'samsung', 'xr', '드셋', '삼성', '성전', '자가', '전자', '헤드']);
  });
});
