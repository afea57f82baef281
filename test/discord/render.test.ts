import { DiscordAPIError, HTTPError, RateLimitError } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { postFailureOf } from '../../adapters/discord/failures.ts';
import { PageIds } from '../../adapters/discord/interactions.ts';
import { fitLines, length, truncate } from '../../adapters/discord/limits.ts';
import { inert } from '../../adapters/discord/render.ts';

const apiError = (status: number, code: number) =>
  new DiscordAPIError(
    { code, message: 'x' },
    code,
    status,
    'POST',
    'https://discord.test/api/v10/channels/1/messages',
    {
      body: undefined,
      files: undefined,
    },
  );

describe('Discord text limits', () => {
  it('cuts by code points with an ellipsis, never inside a surrogate pair or after a lone backslash', () => {
    expect(truncate('🚀🚀🚀🚀', 3)).toBe('🚀🚀…');
    expect(length(truncate('가'.repeat(300), 256))).toBe(256);
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('ab\\*cd', 4)).toBe('ab…');
    expect(fitLines(['one', 'two', 'three'], 8)).toBe('one\ntwo');
  });

  it('makes untrusted text inert: no mentions, no markdown, no masked links', () => {
    expect(inert('@here <#123> [click](https://evil.example) __x__ > quote')).toBe(
      '@\u200bhere \\<#123> \\[click](https://evil.example) \\_\\_x\\_\\_ > quote',
    );
    expect(inert('# Heading\n- item')).toBe('\\# Heading - item');
    expect(inert('> not a quote')).toBe('\\> not a quote');
  });
});

describe('next-page ids', () => {
  it('carry a short query inline and remember a long one', () => {
    const ids = new PageIds(2);
    expect(ids.parse(ids.id('samsung hbm', 2))).toEqual({ page: 2, query: 'samsung hbm' });
    const long = `삼성 ${'반도체 '.repeat(40)}`;
    const id = ids.id(long, 3);
    expect(id.length).toBeLessThanOrEqual(100);
    expect(ids.parse(id)).toEqual({ page: 3, query: long });
    // beyond its capacity the oldest is forgotten: the button then says to search again
    ids.id(`${long}a`, 2);
    ids.id(`${long}b`, 2);
    expect(ids.parse(id)).toEqual({ page: 3, query: null });
    expect(ids.parse('nb:fh:nvidia')).toBeNull();
  });
});

describe('post failures', () => {
  it('map Discord errors to the port: gone, forbidden, tooLarge, transient, rateLimited', () => {
    expect(postFailureOf(apiError(404, 10003)).kind).toBe('gone');
    expect(postFailureOf(apiError(403, 50001)).kind).toBe('forbidden');
    expect(postFailureOf(apiError(403, 50013)).kind).toBe('forbidden');
    expect(postFailureOf(apiError(403, 50007)).kind).toBe('forbidden');
    expect(postFailureOf(apiError(401, 0)).kind).toBe('forbidden');
    expect(postFailureOf(apiError(400, 50035)).kind).toBe('tooLarge');
    expect(postFailureOf(apiError(502, 0)).kind).toBe('transient');
    expect(
      postFailureOf(new HTTPError(503, 'Service Unavailable', 'POST', 'u', { body: undefined, files: undefined })).kind,
    ).toBe('transient');
    expect(postFailureOf(new TypeError('fetch failed')).kind).toBe('transient');
    const limited = new RateLimitError({
      timeToReset: 30_000,
      limit: 5,
      method: 'POST',
      hash: 'h',
      url: 'u',
      route: '/channels/:id/messages',
      majorParameter: '1',
      global: false,
      retryAfter: 30_000,
      sublimitTimeout: 0,
      scope: 'user',
    });
    expect(postFailureOf(limited)).toMatchObject({ kind: 'rateLimited', retryAfterMs: 30_000 });
  });
});
