import { hostname } from 'node:os';

/** This process as a lease holder: `host:pid`. */
export function leaseHolder(): string {
  return `${hostname()}:${process.pid}`;
}

/**
 * Whether a lease holder (`host:pid`) is a process on this host that no longer runs: killed or crashed without
 * handing its lease back. A holder on another host, or a pid that runs (whatever it is now), is never taken for
 * stopped, so the worst a mistake can do is wait for the lease to lapse, as without this check.
 */
export function holderStoppedOnThisHost(holder: string, host = hostname()): boolean {
  const match = /^(.*):(\d+)$/.exec(holder);
  if (!match || match[1] !== host) return false;
  const pid = Number(match[2]);
  if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    // EPERM: it runs, as another user
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
