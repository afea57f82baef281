import { describe, expect, it } from 'vitest';
import { converseWith } from '../helpers/console.ts';
import { openSampleApp } from '../helpers/sample.ts';
import { useTempDir } from '../helpers/tempDir.ts';

const tempDir = useTempDir();

async function converse(lines: string[], locale: string | null = 'en_US'): Promise<string> {
  const app = await openSampleApp(tempDir());
  try {
    return await converseWith(app, lines, locale);
  } finally {
    app.close();
  }
}

describe('console adapter', () => {
  it('answers /news searches in both languages with the same top story', async () => {
    const text = await converse(['/news nvidia', '/news 엔비디아']);
    const [english, korean] = text.split('Results for ').slice(1);
    const top = (block: string | undefined) => block?.split('\n').find((l) => l.startsWith('1. '));
    expect(top(english)).toBeDefined();
    expect(top(korean)).toBe(top(english));
    expect(english).toContain('(also searched as: NVIDIA)');
    // a query that names a topic opens with two sentences summing up the stories found
    const brief = english?.split('\n').slice(1, 3) ?? [];
    expect(brief).toHaveLength(2);
    for (const line of brief) expect(line).toMatch(/^ {3}\S.{20,}/);
    expect(korean).toMatch(/https:\/\/\S+\.example\//);
  });

  it('takes a bare line as a search and marks matched terms', async () => {
    const text = await converse(['hbm']);
    expect(text).toContain('Results for "hbm"');
    expect(text).toMatch(/\*HBM4?\*/);
  });

  it('says so when nothing matches and suggests a close topic', async () => {
    const text = await converse(['/news nvidai']);
    expect(text).toContain('No news found for "nvidai"');
    expect(text).toContain('Close topics: NVIDIA');
  });

  it('offers a broader query that finds news when a window or word is too narrow', async () => {
    const text = await converse(['/news kakao 2h']);
    expect(text).toContain('No news found for "kakao 2h"');
    expect(text).toContain('These find news: /news kakao');
  });

  it('shows help, subscribes and lists topics, and rejects unknown commands', async () => {
    const text = await converse([
      '/news help',
      '/news subscribe 삼성전자',
      '/news subscribe samsung',
      '/news topics',
      '/news unsubscribe nosuchthing',
      '/weather',
      '/news time 25:99',
    ]);
    expect(text).toContain('newsbrief commands:');
    expect(text).toContain('Subscribed to Samsung Electronics.');
    expect(text).toContain('Already subscribed to Samsung Electronics.');
    expect(text).toContain('Subscribed: Samsung Electronics (samsung-electronics)');
    expect(text).toContain('! No topic named "nosuchthing"');
    expect(text).toContain('! Unknown command: try /news help');
    expect(text).toContain('! usage: /news time HH:MM');
  });

  it('speaks the channel’s language when the terminal names none', async () => {
    const text = await converse(
      ['/news help', '/news 엔비디아', '/news subscribe samsung', '/news time 25:99', '/weather'],
      null,
    );
    expect(text).toContain('newsbrief 명령:');
    expect(text).toContain('날짜 범위, 날짜는 채널의 시간대 기준');
    expect(text).toContain('"엔비디아" 검색 결과 (함께 찾은 이름: 엔비디아)');
    expect(text).toContain('삼성전자 구독을 시작했습니다.');
    expect(text).toContain('! 사용법: /news time HH:MM');
    expect(text).toContain('! 알 수 없는 명령입니다.');
    expect(text).not.toMatch(/Results for|Subscribed|usage:/);
  });

  it('stops at exit and ignores what follows', async () => {
    const text = await converse(['/news help', 'exit', '/news samsung']);
    expect(text).toContain('newsbrief commands:');
    expect(text).not.toContain('Results for');
  });
});
