/**
 * A process that writes to a newsbrief database in a loop until killed, through the real store: each
 * transaction adds an article, a (paused) channel with a digest time, a subscription of it and a ledger entry.
 * Prints `ready` after its first commit. Run: `node bin/run-ts.js test/storage/writerProcess.ts DB`.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { newDestination } from '../../src/engine/destinations.ts';
import { openSqliteStore } from '../../storage/sqlite/index.ts';

/** A made-up word per number, letters only (one search term): 0 → `zqa`, 27 → `zqbb`. */
function writerWord(n: number): string {
  let word = '';
  let rest = n;
  do {
    word = String.fromCharCode(97 + (rest % 26)) + word;
    rest = Math.floor(rest / 26);
  } while (rest > 0);
  return `zq${word}`;
}

function main(path: string): void {
  const store = openSqliteStore(path);
  let i = 0;
  const write = () => {
    const word = writerWord(i);
    store.transaction(() => {
      store.articles.save({
        key: `https://writer.example/${i}`,
        url: `https://writer.example/${i}`,
        sourceId: null,
        sourceName: 'Writer Wire',
        title: `Writer report ${word} on chip packaging`,
        deck: [],
        paragraphs: [`The ${word} report covers chip packaging lines in Suwon and Austin, number ${i}.`],
        byline: null,
        lang: 'en',
        publishedAt: new Date().toISOString(),
        updatedAt: null,
        contentHash: `writer-${i}`,
      });
      const destination = newDestination({ platform: 'slack', workspace: 'TWRITER', channel: `CW${i}`, user: null });
      store.destinations.ensure(destination);
      // paused: a bot started on this database has no thousand digests to post
      store.destinations.update(destination.key, { digestTime: '08:15', timeZone: 'Asia/Seoul', enabled: false });
      store.subscriptions.add(destination.key, 'nvidia');
      store.ledger.plan({
        destination: destination.key,
        slot: 'digest:2026-12-01',
        kind: 'digest',
        localDate: '2026-12-01',
        dueAt: '2026-11-30T23:15:00.000Z',
        state: 'skipped',
        failure: 'missed-grace',
      });
    });
    if (i === 0) process.stdout.write('ready\n');
    i++;
    setTimeout(write, 2);
  };
  write();
}

const script = process.argv[1];
if (script && import.meta.url === pathToFileURL(resolve(script)).href && process.argv[2]) main(process.argv[2]);
