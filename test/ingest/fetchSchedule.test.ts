import { describe, expect, it } from 'vitest';
import { backoffSeconds, feedTtlMinutes, pollIntervalSeconds, SCHEDULE } from '../../src/ingest/fetchSchedule.ts';
import { isTeaser } from '../../src/ingest/teaser.ts';

describe('fetch schedule', () => {
  it('doubles the backoff per failure from 5 minutes up to 24 hours', () => {
    const waits = [1, 2, 3, 4, 5, 6, 7, 8, 9, 50].map((n) => backoffSeconds(n, () => 0) / 60);
    expect(waits).toEqual([5, 10, 20, 40, 80, 160, 320, 640, 1280, 1440]);
  });

  it('stretches the backoff by up to a quarter at random, within the bounds, and honours Retry-After', () => {
    expect(backoffSeconds(1, () => 0.999)).toBeCloseTo(375, -1);
    expect(backoffSeconds(30, () => 0.999)).toBe(SCHEDULE.maxBackoffSeconds);
    expect(backoffSeconds(1, () => 0, 3600)).toBe(3600);
    expect(backoffSeconds(1, () => 0, 10 * 24 * 3600)).toBe(SCHEDULE.maxBackoffSeconds);
    expect(backoffSeconds(0, () => 0)).toBe(SCHEDULE.minBackoffSeconds);
  });

  it('polls as the feed or server asks, within 5 minutes and 6 hours', () => {
    expect(pollIntervalSeconds({})).toBe(30 * 60);
    expect(pollIntervalSeconds({ ttlMinutes: 60 })).toBe(3600);
    expect(pollIntervalSeconds({ ttlMinutes: 1 })).toBe(300);
    expect(pollIntervalSeconds({ maxAgeSeconds: 0 })).toBe(300);
    expect(pollIntervalSeconds({ ttlMinutes: 60, maxAgeSeconds: 7200 })).toBe(7200);
    expect(pollIntervalSeconds({ ttlMinutes: 1440 })).toBe(6 * 3600);
  });

  it('reads an RSS ttl from the raw bytes', () => {
    const feed = (ttl: string) => new TextEncoder().encode(`<rss><channel><title>x</title>${ttl}</channel></rss>`);
    expect(feedTtlMinutes(feed('<ttl>90</ttl>'))).toBe(90);
    expect(feedTtlMinutes(feed('<ttl> 15 </ttl>'))).toBe(15);
    expect(feedTtlMinutes(feed('<ttl>soon</ttl>'))).toBeNull();
    expect(feedTtlMinutes(feed(''))).toBeNull();
  });
});

describe('isTeaser', () => {
  const long = 'Hanbit Semiconductor started mass production of its next memory chips. '.repeat(12).trim();
  it('takes short or visibly cut bodies as teasers', () => {
    expect(isTeaser({ paragraphs: ['Short summary.'] })).toBe(true);
    expect(isTeaser({ paragraphs: [long, 'The company said more […]'] })).toBe(true);
    expect(isTeaser({ paragraphs: [long, '한빛반도체는 25일 양산을 시작했다고 밝혔다...'] })).toBe(true);
    expect(isTeaser({ paragraphs: [long, 'Continue reading'] })).toBe(true);
  });
  it('leaves full bodies alone', () => {
    expect(isTeaser({ paragraphs: [long] })).toBe(false);
    expect(isTeaser({ paragraphs: [long, 'Shares rose 3 percent.'] })).toBe(false);
  });
});
