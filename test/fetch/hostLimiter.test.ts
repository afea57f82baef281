import { describe, expect, it } from 'vitest';
import { HostLimiter } from '../../src/fetch/hostLimiter.ts';

describe('HostLimiter', () => {
  it('runs at most perHost tasks per host and total overall, and runs every task', async () => {
    const limiter = new HostLimiter({ perHost: 2, total: 3 });
    const running = new Map<string, number>();
    const peaks = new Map<string, number>();
    let all = 0;
    let peakAll = 0;
    const task = (host: string) => async () => {
      running.set(host, (running.get(host) ?? 0) + 1);
      all++;
      peaks.set(host, Math.max(peaks.get(host) ?? 0, running.get(host) ?? 0));
      peakAll = Math.max(peakAll, all);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running.set(host, (running.get(host) ?? 0) - 1);
      all--;
      return host;
    };
    const urls = ['a', 'b', 'c'].flatMap((h) => Array.from({ length: 5 }, (_, i) => `https://${h}.example/${i}`));
    const results = await Promise.all(urls.map((url) => limiter.run(url, task(new URL(url).host))));
    expect(results).toHaveLength(15);
    expect([...peaks.values()].every((peak) => peak <= 2)).toBe(true);
    expect(Math.max(...peaks.values())).toBe(2);
    expect(peakAll).toBe(3);
  });

  it('frees a host slot when a task fails', async () => {
    const limiter = new HostLimiter({ perHost: 1, total: 4 });
    await expect(limiter.run('https://a.example/', async () => Promise.reject(new Error('boom')))).rejects.toThrow(
      'boom',
    );
    await expect(limiter.run('https://a.example/2', async () => 'next')).resolves.toBe('next');
  });
});
