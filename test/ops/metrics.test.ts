import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/ops/metrics.ts';

describe('createMetrics', () => {
  it('renders the counters with their labels after increments', async () => {
    const metrics = createMetrics();
    metrics.commands.inc({ platform: 'slack', command: 'search', outcome: 'ok' });
    metrics.commands.inc({ platform: 'slack', command: 'search', outcome: 'ok' });
    metrics.commands.inc({ platform: 'discord', command: 'digest', outcome: 'error' });
    metrics.posts.inc({ platform: 'discord', outcome: 'rateLimited' });
    metrics.posts.inc({ platform: 'slack', outcome: 'ok' }, 3);
    metrics.fetches.inc({ outcome: 'not-modified' });
    metrics.fetches.inc({ outcome: 'fetched' });
    metrics.articlesIngested.inc(12);
    metrics.ingestLagSeconds.set(90);
    metrics.lastPollTimestamp.set(1_780_000_000);

    const { contentType, body } = await metrics.render();
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const line of [
      '# TYPE newsbrief_commands_total counter',
      'newsbrief_commands_total{platform="slack",command="search",outcome="ok"} 2',
      'newsbrief_commands_total{platform="discord",command="digest",outcome="error"} 1',
      'newsbrief_posts_total{platform="discord",outcome="rateLimited"} 1',
      'newsbrief_posts_total{platform="slack",outcome="ok"} 3',
      'newsbrief_feed_fetches_total{outcome="not-modified"} 1',
      'newsbrief_feed_fetches_total{outcome="fetched"} 1',
      'newsbrief_articles_ingested_total 12',
      '# TYPE newsbrief_ingest_lag_seconds gauge',
      'newsbrief_ingest_lag_seconds 90',
      'newsbrief_last_poll_timestamp_seconds 1780000000',
    ]) {
      expect(body.split('\n')).toContain(line);
    }
  });

  it('times commands into a histogram', async () => {
    const metrics = createMetrics();
    metrics.commandSeconds.observe({ platform: 'console', command: 'search' }, 0.03);
    const stop = metrics.commandSeconds.startTimer({ platform: 'console', command: 'search' });
    expect(stop()).toBeGreaterThanOrEqual(0);
    const { body } = await metrics.render();
    expect(body).toContain('# TYPE newsbrief_command_duration_seconds histogram');
    expect(body).toContain('newsbrief_command_duration_seconds_count{platform="console",command="search"} 2');
    expect(body).toContain(
      'newsbrief_command_duration_seconds_bucket{le="0.05",platform="console",command="search"} 2',
    );
  });

  it('sets the last poll time to now', async () => {
    const metrics = createMetrics();
    const before = Math.floor(Date.now() / 1000);
    metrics.lastPollTimestamp.setToCurrentTime();
    const value = Number(/^newsbrief_last_poll_timestamp_seconds (\S+)$/m.exec((await metrics.render()).body)?.[1]);
    expect(value).toBeGreaterThanOrEqual(before);
    expect(value).toBeLessThan(before + 5);
  });

  it('includes the default Node process metrics', async () => {
    const { body } = await createMetrics().render();
    expect(body).toContain('process_cpu_seconds_total');
    expect(body).toContain('process_resident_memory_bytes');
    expect(body).toContain('nodejs_heap_size_used_bytes');
  });

  it('keeps instances apart: each has its own registry and counts', async () => {
    const first = createMetrics();
    const second = createMetrics();
    first.articlesIngested.inc(5);
    expect(first.registry).not.toBe(second.registry);
    expect((await first.render()).body).toContain('newsbrief_articles_ingested_total 5');
    expect((await second.render()).body).toContain('newsbrief_articles_ingested_total 0');
  });
});

it('takes only the known outcomes (checked by npm run typecheck)', () => {
  // Closed sets, so a typo cannot start a new time series; never called, only compiled.
  const typos = (metrics: ReturnType<typeof createMetrics>) => {
    // @ts-expect-error not a post outcome
    metrics.posts.inc({ platform: 'slack', outcome: 'rate-limited' });
    // @ts-expect-error not a fetch outcome
    metrics.fetches.inc({ outcome: 'notModified' });
    // @ts-expect-error the command label is required
    metrics.commands.inc({ platform: 'slack', outcome: 'ok' });
  };
  expect(typos).toBeTypeOf('function');
});
