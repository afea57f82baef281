import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { holderStoppedOnThisHost, leaseHolder } from '../../runtime/leaseHolder.ts';

describe('holderStoppedOnThisHost', () => {
  it('is true only for a process of this host that no longer runs', () => {
    const exited = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    const pid = Number(exited.stdout);
    expect(pid).toBeGreaterThan(0);
    expect(holderStoppedOnThisHost(`${hostname()}:${pid}`)).toBe(true);
    // running: this process, its parent
    expect(holderStoppedOnThisHost(leaseHolder())).toBe(false);
    expect(holderStoppedOnThisHost(`${hostname()}:${process.ppid}`)).toBe(false);
    // another host's process is never taken for stopped, nor a holder of another shape
    expect(holderStoppedOnThisHost(`elsewhere-${hostname()}:${pid}`)).toBe(false);
    expect(holderStoppedOnThisHost('test:abc')).toBe(false);
    expect(holderStoppedOnThisHost(`${hostname()}:0`)).toBe(false);
  });
});
