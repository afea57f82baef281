import pLimit, { type LimitFunction } from 'p-limit';

export interface HostLimiterOptions {
  /** Requests in flight to one host at a time (politeness: 1–2 is what feed readers use). */
  perHost: number;
  /** Requests in flight overall. */
  total: number;
}

/**
 * Bounds concurrent requests per host and overall. Only the request itself should run inside: work done after
 * the response (parsing, fetching a feed's pages) must not hold the host's slot, or a host limit of 1 deadlocks.
 */
export class HostLimiter {
  private readonly hosts = new Map<string, LimitFunction>();
  private readonly all: LimitFunction;

  constructor(private readonly options: HostLimiterOptions) {
    this.all = pLimit(options.total);
  }

  run<T>(url: string, task: () => Promise<T>): Promise<T> {
    let host: string;
    try {
      host = new URL(url).host.toLowerCase();
    } catch {
      host = '';
    }
    let limit = this.hosts.get(host);
    if (!limit) {
      limit = pLimit(this.options.perHost);
      this.hosts.set(host, limit);
    }
    const hostLimit = limit;
    return hostLimit(() => this.all(task)).finally(() => {
      // Forget idle hosts so a long-running bot does not keep one entry per page host it ever met.
      if (hostLimit.activeCount === 0 && hostLimit.pendingCount === 0) this.hosts.delete(host);
    });
  }
}
