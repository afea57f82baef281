/** Summaries a language model wrote, cached per subject and language, valid for the input they were made from. */
import { expect, it } from 'vitest';
import { describeBackends, postgresBackend, sqliteBackend } from './backends.ts';

const BACKENDS = [sqliteBackend(), postgresBackend()];

const SUMMARY = {
  sentences: ['삼성전자가 XR 헤드셋을 공개했다.', 'Meta helped build it.'],
  model: 'gpt-4o-mini',
  createdAt: '2026-12-01T00:00:00.000Z',
};

describeBackends(BACKENDS, (backend) => {
  it('answers with the summary made from the same input only', async () => {
    const a = await backend.open();
    const b = await backend.open();
    expect(await a.summaries.get('story:s1', 'ko', 'in-1')).toBeNull();
    await a.summaries.put('story:s1', 'ko', 'in-1', SUMMARY);
    expect(await b.summaries.get('story:s1', 'ko', 'in-1')).toEqual(SUMMARY);
    expect(await b.summaries.get('story:s1', 'ko', 'in-2')).toBeNull();
    expect(await b.summaries.get('story:s1', 'en', 'in-1')).toBeNull();
    expect(await b.summaries.get('topic:s1', 'ko', 'in-1')).toBeNull();
  });

  it('keeps one summary per subject and language: the newest replaces the one before', async () => {
    const a = await backend.open();
    const b = await backend.open();
    await a.summaries.put('story:s1', 'ko', 'in-1', SUMMARY);
    await a.summaries.put('story:s1', 'en', 'in-1', { ...SUMMARY, sentences: ['Samsung showed a headset.'] });
    const newer = { sentences: [], model: 'other', createdAt: '2026-12-02T00:00:00.000Z' };
    await b.summaries.put('story:s1', 'ko', 'in-2', newer);
    expect(await a.summaries.get('story:s1', 'ko', 'in-1')).toBeNull();
    expect(await a.summaries.get('story:s1', 'ko', 'in-2')).toEqual(newer);
    expect((await a.summaries.get('story:s1', 'en', 'in-1'))?.sentences).toEqual(['Samsung showed a headset.']);
    // two processes caching the same subject at once: one of them is kept, whole
    await Promise.all([
      a.summaries.put('topic:xr', 'ko', 'in-a', { ...SUMMARY, model: 'a' }),
      b.summaries.put('topic:xr', 'ko', 'in-b', { ...SUMMARY, model: 'b' }),
    ]);
    const kept = [await a.summaries.get('topic:xr', 'ko', 'in-a'), await a.summaries.get('topic:xr', 'ko', 'in-b')];
    expect(kept.filter((s) => s !== null).map((s) => s?.model)).toHaveLength(1);
  });
});
