import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../src/feeds/index.ts';

/** A Korean blog feed with the junk dates real EUC-KR feeds carry. `똠` and `햏` exist only in CP949, not in EUC-KR. */
function koreanRss(declaration: string, language: string | null): string {
  return `${declaration}
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>개발자 일기 &amp; 뉴스</title>
<link>http://blog.example.co.kr/</link>
${language ? `<language>${language}</language>` : ''}
<item>
<title>똠방각하와 햏자의 서버 이전기</title>
<link>http://blog.example.co.kr/entry/1</link>
<pubDate>Mon, 26 Sept 2005 21:46:23+0900</pubDate>
<author>홍길동</author>
<description>&lt;p&gt;서버를 옮겼습니다.&lt;/p&gt;</description>
</item>
<item>
<title>오후 11시의 배포</title>
<link>http://blog.example.co.kr/entry/2</link>
<dc:date>2004-05-25 오후 11:23:17</dc:date>
<dc:creator>김철수</dc:creator>
</item>
<item>
<title>한글 날짜 형식</title>
<link>http://blog.example.co.kr/entry/3</link>
<pubDate>2004년 05월 28일 01:31:15</pubDate>
</item>
</channel>
</rss>`;
}

const expectedItems = [
  {
    id: null,
    title: '똠방각하와 햏자의 서버 이전기',
    link: 'http://blog.example.co.kr/entry/1',
    published: '2005-09-26T12:46:23Z',
    updated: null,
    author: '홍길동',
    summary: '<p>서버를 옮겼습니다.</p>',
    content: null,
  },
  {
    id: null,
    title: '오후 11시의 배포',
    link: 'http://blog.example.co.kr/entry/2',
    published: '2004-05-25T14:23:17Z',
    updated: '2004-05-25T14:23:17Z',
    author: '김철수',
    summary: null,
    content: null,
  },
  {
    id: null,
    title: '한글 날짜 형식',
    link: 'http://blog.example.co.kr/entry/3',
    published: '2004-05-27T16:31:15Z',
    updated: null,
    author: null,
    summary: null,
    content: null,
  },
];

describe('parseFeed: Korean feeds in EUC-KR / CP949', () => {
  it('decodes a feed that declares encoding="EUC-KR" as CP949 and reads its junk dates as KST', () => {
    const bytes = iconv.encode(koreanRss('<?xml version="1.0" encoding="EUC-KR"?>', 'ko'), 'cp949');
    const feed = parseFeed(bytes);
    expect(feed.title).toBe('개발자 일기 & 뉴스');
    expect(feed.language).toBe('ko');
    expect(feed.items).toEqual(expectedItems);
    expect(JSON.stringify(feed)).not.toContain('\ufffd');
  });

  it('sniffs CP949 when there is no encoding declaration, and treats the feed as Korean for dates', () => {
    const bytes = iconv.encode(koreanRss('<?xml version="1.0"?>', null), 'cp949');
    const feed = parseFeed(bytes);
    expect(feed.language).toBeNull();
    expect(feed.items).toEqual(expectedItems);
  });

  it('trusts the bytes over a Content-Type that claims UTF-8', () => {
    const bytes = iconv.encode(koreanRss('', 'ko'), 'cp949');
    const feed = parseFeed(bytes, { contentType: 'application/rss+xml; charset=utf-8' });
    expect(feed.items.map((i) => i.title)).toEqual(expectedItems.map((i) => i.title));
  });

  it('uses the Content-Type charset over a wrong XML declaration', () => {
    const bytes = iconv.encode(koreanRss('<?xml version="1.0" encoding="ISO-8859-1"?>', 'ko'), 'cp949');
    const feed = parseFeed(bytes, { contentType: 'text/xml; charset=KS_C_5601-1987' });
    expect(feed.items[0]?.title).toBe('똠방각하와 햏자의 서버 이전기');
  });

  it('reads zone-less dates as KST when the language is junk (`euc-kr`) and the charset is Korean', () => {
    const bytes = iconv.encode(koreanRss('<?xml version="1.0" encoding="euc-kr"?>', 'euc-kr'), 'cp949');
    expect(parseFeed(bytes).items[1]?.published).toBe('2004-05-25T14:23:17Z');
  });

  it('reads zone-less dates as UTC when the feed says it is English', () => {
    const bytes = iconv.encode(koreanRss('<?xml version="1.0" encoding="euc-kr"?>', 'en-us'), 'cp949');
    expect(parseFeed(bytes).items[1]?.published).toBe('2004-05-25T23:23:17Z');
  });

  it('treats an undeclared UTF-8 feed full of Hangul as Korean', () => {
    const xml = koreanRss('<?xml version="1.0" encoding="utf-8"?>', null).replace(
      '<title>한글 날짜 형식</title>',
      '<title>한글 날짜 형식: 오늘의 기술 뉴스 요약과 주간 정리</title>',
    );
    expect(parseFeed(Buffer.from(xml, 'utf8')).items[2]?.published).toBe('2004-05-27T16:31:15Z');
  });
});
