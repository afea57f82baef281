/**
 * A throwaway PostgreSQL cluster: initdb into a new temporary folder, a server on 127.0.0.1 and a free port, and
 * a stop that removes it all. The tests (test/helpers/postgres.ts) and the storage benchmark
 * (bench/storageBackends.ts) start theirs with it; nothing in the service uses it.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where Debian (and Ubuntu) put the server binaries: /usr/lib/postgresql/<major>/bin. */
const DEBIAN_ROOT = '/usr/lib/postgresql';

/** The newest installed PostgreSQL's server binaries, or null when there are none. */
export function serverBinaries(root = DEBIAN_ROOT): string | null {
  if (!existsSync(root)) return null;
  const majors = readdirSync(root)
    .filter(
      (v) => /^\d+$/.test(v) && ['initdb', 'pg_ctl', 'postgres'].every((b) => existsSync(join(root, v, 'bin', b))),
    )
    .sort((a, b) => Number(b) - Number(a));
  return majors[0] ? join(root, majors[0], 'bin') : null;
}

/** How PostgreSQL's own tests and every cluster here run: nothing needs to survive a crash of a throwaway. */
const THROWAWAY_SETTINGS = ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off'];

export interface Cluster {
  url: string;
  port: number;
  dir: string;
  /** Stops the server (immediately: nothing in it is kept) and removes its folder. Safe to call twice. */
  stop(): void;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * Starts a throwaway cluster in a new temporary folder, listening on 127.0.0.1 only, on a free port. initdb
 * refuses to run as root, so as root the server runs as the `postgres` user (which Debian's package creates).
 */
export async function startCluster(bin: string): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), 'newsbrief-pg-'));
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  const run = (command: string, args: string[]) => {
    const file = join(bin, command);
    const [exe, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
    execFileSync(exe, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  };
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      if (existsSync(join(data, 'postmaster.pid'))) run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  try {
    if (asRoot) {
      const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
      chownSync(dir, id('-u'), id('-g'));
    }
    run('initdb', ['-D', data, '-A', 'trust', '-E', 'UTF8', '--locale=C.UTF-8', '-U', 'postgres', '--no-sync']);
    // Another process may take the free port before the server binds it: then try another.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const settings = [`listen_addresses=127.0.0.1`, `port=${port}`, `unix_socket_directories=${dir}`];
      const options = [...settings, ...THROWAWAY_SETTINGS].map((s) => `-c ${s}`).join(' ');
      try {
        run('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60', '-o', options, 'start']);
        return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, port, dir, stop };
      } catch (error) {
        if (attempt >= 3) throw error;
      }
    }
  } catch (error) {
    const log = join(dir, 'server.log');
    const detail = existsSync(log) ? `\n${readFileSync(log, 'utf8').slice(-2000)}` : '';
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
    stop();
    throw new Error(`could not start a PostgreSQL cluster with ${bin}: ${(error as Error).message}${stderr}${detail}`);
  }
}
