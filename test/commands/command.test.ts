import { describe, expect, it } from 'vitest';
import { parseNewsCommand } from '../../src/commands/command.ts';

describe('parseNewsCommand', () => {
  it('reads subcommands in English and Korean', () => {
    expect(parseNewsCommand('/news help')).toEqual({ kind: 'help' });
    expect(parseNewsCommand('')).toEqual({ kind: 'help' });
    expect(parseNewsCommand('topics')).toEqual({ kind: 'topics' });
    expect(parseNewsCommand('/news 구독 삼성전자')).toEqual({ kind: 'subscribe', topic: '삼성전자' });
    expect(parseNewsCommand('unsubscribe sk hynix')).toEqual({ kind: 'unsubscribe', topic: 'sk hynix' });
    expect(parseNewsCommand('digest')).toEqual({ kind: 'digest' });
  });

  it('treats everything else as a search', () => {
    expect(parseNewsCommand('/news samsung -xr 7d')).toEqual({ kind: 'search', query: 'samsung -xr 7d' });
    expect(parseNewsCommand('/news 엔비디아')).toEqual({ kind: 'search', query: '엔비디아' });
  });

  it('validates the digest time and zone', () => {
    expect(parseNewsCommand('time 8:05 Asia/Seoul')).toEqual({
      kind: 'schedule',
      time: '08:05',
      timeZone: 'Asia/Seoul',
      weekdays: null,
    });
    expect(parseNewsCommand('time 07:30')).toEqual({ kind: 'schedule', time: '07:30', timeZone: null, weekdays: null });
    expect(parseNewsCommand('time 25:00').kind).toBe('invalid');
    expect(parseNewsCommand('time 08:00 Mars/Base')).toMatchObject({
      kind: 'invalid',
      notice: { code: 'unknownTimeZone', params: { zone: 'Mars/Base' } },
    });
    expect(parseNewsCommand('subscribe').kind).toBe('invalid');
  });
});

describe('schedule, pause, resume and status', () => {
  it('reads a time with a zone and days in either order', () => {
    expect(parseNewsCommand('schedule 7:30 America/New_York mon-fri')).toEqual({
      kind: 'schedule',
      time: '07:30',
      timeZone: 'America/New_York',
      weekdays: [1, 2, 3, 4, 5],
    });
    expect(parseNewsCommand('time 09:00 주말 Asia/Seoul')).toMatchObject({ timeZone: 'Asia/Seoul', weekdays: [6, 7] });
    expect(parseNewsCommand('time 09:00 fri-mon')).toMatchObject({ timeZone: null, weekdays: [1, 5, 6, 7] });
    expect(parseNewsCommand('time 09:00 mon,wed,fri')).toMatchObject({ weekdays: [1, 3, 5] });
    expect(parseNewsCommand('time 09:00 월-일')).toMatchObject({ weekdays: [] });
    expect(parseNewsCommand('time 09:00 daily')).toMatchObject({ weekdays: [] });
    expect(parseNewsCommand('time 09:00')).toMatchObject({ weekdays: null });
    expect(parseNewsCommand('time 09:00 someday').kind).toBe('invalid');
    expect(parseNewsCommand('time 09:00 Mars/Base')).toMatchObject({ notice: { code: 'unknownTimeZone' } });
  });

  it('reads preview, language and limits in both languages, and says the usage of a wrong one', () => {
    for (const text of ['digest preview', '다이제스트 미리보기', 'preview', '미리보기']) {
      expect(parseNewsCommand(text)).toEqual({ kind: 'preview' });
    }
    expect(parseNewsCommand('preview samsung')).toEqual({ kind: 'search', query: 'preview samsung' });
    expect(parseNewsCommand('language en')).toEqual({ kind: 'language', lang: 'en' });
    expect(parseNewsCommand('언어 한국어')).toEqual({ kind: 'language', lang: 'ko' });
    expect(parseNewsCommand('language fr')).toMatchObject({ notice: { code: 'usageLanguage' } });
    expect(parseNewsCommand('limit stories 5')).toEqual({ kind: 'limit', what: 'stories', count: 5 });
    expect(parseNewsCommand('제한 알림 0')).toEqual({ kind: 'limit', what: 'alerts', count: 0 });
    expect(parseNewsCommand('limit alerts 기본')).toEqual({ kind: 'limit', what: 'alerts', count: null });
    for (const wrong of ['limit stories 0', 'limit stories 26', 'limit alerts 101', 'limit alerts -1', 'limit x 3']) {
      expect(parseNewsCommand(wrong)).toMatchObject({
        kind: 'invalid',
        notice: { code: 'usageLimit', params: { maxStories: 25, maxAlerts: 100 } },
      });
    }
    expect(parseNewsCommand('limit stories 3 4')).toMatchObject({ notice: { code: 'usageLimit' } });
  });

  it('reads the digest layout in both languages, and no word from the object prototype', () => {
    expect(parseNewsCommand('layout thread')).toEqual({ kind: 'layout', layout: 'thread' });
    expect(parseNewsCommand('레이아웃 스레드')).toEqual({ kind: 'layout', layout: 'thread' });
    expect(parseNewsCommand('layout Single')).toEqual({ kind: 'layout', layout: 'single' });
    expect(parseNewsCommand('레이아웃 한번에')).toEqual({ kind: 'layout', layout: 'single' });
    expect(parseNewsCommand('layout forum')).toMatchObject({ notice: { code: 'usageLayout' } });
    // words that every object literal has: a table lookup must not find them
    for (const word of ['constructor', '__proto__', 'hasownproperty', 'valueof']) {
      expect(parseNewsCommand(`layout ${word}`)).toMatchObject({ notice: { code: 'usageLayout' } });
      expect(parseNewsCommand(`language ${word}`)).toMatchObject({ notice: { code: 'usageLanguage' } });
      expect(parseNewsCommand(`limit ${word} 3`)).toMatchObject({ notice: { code: 'usageLimit' } });
    }
  });

  it('knows pause, resume, status and subscriptions in both languages', () => {
    for (const [text, kind] of [
      ['pause', 'pause'],
      ['일시정지', 'pause'],
      ['resume', 'resume'],
      ['status', 'status'],
      ['상태', 'status'],
      ['subscriptions', 'topics'],
    ]) {
      expect(parseNewsCommand(`/news ${text}`)).toEqual({ kind });
    }
  });
});
