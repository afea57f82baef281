import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openApp } from '../../src/app.ts';
import { listLocalDocuments } from '../../src/ingest/localFiles.ts';
import { PACKAGE_ROOT, SAMPLE_NEWS_PATH } from '../../src/paths.ts';
import { evaluateStories, loadStoryLabels, sampleLabelResolver } from '../../src/stories/evaluate.ts';
import { openSampleApp } from '../helpers/sample.ts';
import { useTempDir } from '../helpers/tempDir.ts';

const tempDir = useTempDir();
const labels = loadStoryLabels(join(PACKAGE_ROOT, 'bench/labels/sample-stories.yaml'));

/** A deterministic shuffle (documents arrive in any order in real life). */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const j = Math.floor((state / 2147483648) * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

describe('stories over the bundled sample news', () => {
  it('match the labelled stories (pairwise F1 ≥ 0.9) with every wire copy grouped', async () => {
    const app = await openSampleApp(tempDir());
    const resolve = sampleLabelResolver(app.storage, app.ingestor, SAMPLE_NEWS_PATH);
    const result = await evaluateStories(app.storage, labels, resolve);
    expect(result.missing).toEqual([]);
    expect(result.splitWireGroups).toEqual([]);
    expect(result.unlinkedWireGroups).toEqual([]);
    expect(result.pairwise.truePairs).toBe(83);
    expect(result.pairwise.f1).toBeGreaterThanOrEqual(0.9);
    expect(result.bcubed.f1).toBeGreaterThanOrEqual(0.9);
    app.close();
  });

  it('still match them when the documents arrive in other orders', async () => {
    const documents = listLocalDocuments([SAMPLE_NEWS_PATH]).documents;
    for (const seed of [3, 11]) {
      const app = openApp({ dbPath: join(tempDir(), `nb-${seed}.db`), configPath: null });
      for (const doc of shuffled(documents, seed)) await app.ingestor.ingestFile(doc.path, doc.kind);
      const resolve = sampleLabelResolver(app.storage, app.ingestor, SAMPLE_NEWS_PATH);
      const result = await evaluateStories(app.storage, labels, resolve);
      expect(result.splitWireGroups).toEqual([]);
      expect(result.pairwise.f1).toBeGreaterThanOrEqual(0.9);
      app.close();
    }
  });
});
