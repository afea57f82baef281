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
    });
    expect(parseNewsCommand('time 07:30')).toEqual({ kind: 'schedule', time: '07:30', timeZone: null });
    expect(parseNewsCommand('time 25:00').kind).toBe('invalid');
    expect(parseNewsCommand('time 08:00 Mars/Base')).toMatchObject({
      kind: 'invalid',
      notice: { code: 'unknownTimeZone', params: { zone: 'Mars/Base' } },
    });
    expect(parseNewsCommand('subscribe').kind).toBe('invalid');
  });
});
