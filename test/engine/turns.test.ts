import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { Turns } from '../../src/engine/turns.ts';

/** Synchronous work, as a command's SQLite reads and ranking are. */
function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin
  }
}

describe('Turns', () => {
  it('runs work in order and passes results and errors through', async () => {
    const turns = new Turns();
    const order: number[] = [];
    const results = await Promise.allSettled([
      turns.take(async () => order.push(1)),
      turns.take(async () => {
        throw new Error('boom');
      }),
      turns.take(() => {
        throw new Error('sync boom');
      }),
      turns.take(async () => order.push(4)),
    ]);
    expect(order).toEqual([1, 4]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect(turns.waiting).toBe(0);
  });

  it('lets a timer and a local HTTP round trip through during a burst of synchronous work', async () => {
    const server = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      const turns = new Turns();
      const started = performance.now();
      // 40 commands of 25 ms each arrive at once: a second of work
      const burst = Array.from({ length: 40 }, () => turns.take(async () => busy(25)));
      const timer = new Promise<number>((resolve) => setTimeout(() => resolve(performance.now() - started), 50));
      const roundTrip = fetch(url)
        .then((r) => r.text())
        .then(() => performance.now() - started);
      const [timerAt, roundTripAt] = await Promise.all([timer, roundTrip]);
      await Promise.all(burst);
      const burstAt = performance.now() - started;
      expect(burstAt).toBeGreaterThan(1000);
      // run as they arrived, the timer and the reply would wait for the whole second
      expect(timerAt).toBeLessThan(burstAt / 2);
      expect(roundTripAt).toBeLessThan(burstAt / 2);
    } finally {
      server.close();
    }
  });
});
