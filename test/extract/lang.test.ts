import { describe, expect, it } from 'vitest';
import { detectLang } from '../../src/text/lang.ts';

describe('detectLang', () => {
  it('reads Korean tech news full of Latin words as Korean', () => {
    expect(
      detectLang("메타는 차세대 거대언어모델(LLM) '라마3(Llama)'를 개발 중이다. H100 GPU 35만 개를 확보한다."),
    ).toBe('ko');
    expect(detectLang('삼성전자, HBM3E 12H D램 양산…AI GPU용')).toBe('ko');
  });

  it('reads mostly Latin text as English', () => {
    expect(detectLang('Samsung Electronics said on Tuesday that profit rose.')).toBe('en');
    expect(detectLang('Samsung (삼성) said profit rose sharply in the second quarter.')).toBe('en');
  });

  it('is undetermined for other scripts and for too little text', () => {
    expect(detectLang('東京証券取引所で半導体株が上昇した')).toBe('und');
    expect(detectLang('2024.02.27 17:38')).toBe('und');
    expect(detectLang('')).toBe('und');
    expect(detectLang(null)).toBe('und');
  });
});
