/** The stored topic catalog. (How many articles carry each topic: articles.test.ts.) */
import { expect, it } from 'vitest';
import type { TopicRecord } from '../../../storage/repositories.ts';
import { describeBackends, postgresBackend, sqliteBackend } from './backends.ts';

const BACKENDS = [sqliteBackend(), postgresBackend()];

const XR: TopicRecord = { id: 'xr', nameEn: 'XR', nameKo: '확장현실', kind: 'technology', parentId: null };
const SAMSUNG: TopicRecord = {
  id: 'samsung-electronics',
  nameEn: 'Samsung Electronics',
  nameKo: '삼성전자',
  kind: 'company',
  parentId: null,
};
const GALAXY: TopicRecord = {
  id: 'galaxy',
  nameEn: 'Galaxy',
  nameKo: '갤럭시',
  kind: 'product',
  parentId: 'samsung-electronics',
};

describeBackends(BACKENDS, (backend) => {
  it('replaces the catalog with the one given, listed by id', async () => {
    const a = await backend.open();
    const b = await backend.open();
    expect(await a.topics.list()).toEqual([]);
    await a.topics.sync([XR, SAMSUNG, GALAXY]);
    expect(await b.topics.list()).toEqual([GALAXY, SAMSUNG, XR]);
    await b.topics.sync([{ ...XR, nameKo: 'XR' }]);
    expect(await a.topics.list()).toEqual([{ ...XR, nameKo: 'XR' }]);
    await a.topics.sync([]);
    expect(await b.topics.list()).toEqual([]);
  });

  it('takes syncs from processes starting together one after another, the catalog whole after each', async () => {
    const stores = await Promise.all([backend.open(), backend.open(), backend.open()]);
    for (let round = 0; round < 3; round++) {
      await Promise.all(stores.map((store) => store.topics.sync([XR, SAMSUNG, GALAXY])));
      expect(await stores[0]?.topics.list()).toEqual([GALAXY, SAMSUNG, XR]);
    }
  });

  it('keeps the catalog as it was when a sync fails', async () => {
    const { topics } = await backend.open();
    await topics.sync([XR]);
    // the same id twice breaks the catalog's key: nothing of the sync is kept
    await expect(async () => topics.sync([SAMSUNG, SAMSUNG])).rejects.toThrow();
    expect(await topics.list()).toEqual([XR]);
  });
});
