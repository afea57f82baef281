import { describe, expect, it } from 'vitest';
import { canonicalUrl } from '../../src/ingest/canonicalUrl.ts';

describe('canonicalUrl', () => {
  it('removes tracking parameters, fragments and host case, keeping real parameters', () => {
    expect(canonicalUrl('https://News.Example/a/1?utm_source=rss&utm_medium=feed&id=7&fbclid=x#top')).toBe(
      'https://news.example/a/1?id=7',
    );
    expect(canonicalUrl('https://news.example/a/1?utm_campaign=x')).toBe('https://news.example/a/1');
  });

  it('orders parameters so equal pages get one key, and drops default ports and credentials', () => {
    expect(canonicalUrl('http://user:pw@news.example:80/view?b=2&a=1')).toBe('http://news.example/view?a=1&b=2');
  });

  it('resolves relative links against a base and refuses non-web schemes', () => {
    expect(canonicalUrl('/a/2', 'https://news.example/feed.xml')).toBe('https://news.example/a/2');
    expect(canonicalUrl('javascript:alert(1)')).toBeNull();
    expect(canonicalUrl('not a url')).toBeNull();
  });
});
