/**
 * Who is asking: a workspace admin or owner (from `users.info`) or a user on the `SLACK_MANAGERS` allow-list may
 * change settings; the person's Slack locale chooses the language of replies. Answers are cached for a few
 * minutes so a burst of commands costs one call; a failed lookup is not cached and grants nothing.
 */

export interface Person {
  isManager: boolean;
  locale: string | null;
}

export interface UsersClient {
  users: {
    info(args: { user: string; include_locale?: boolean; token?: string }): Promise<{
      user?: { is_admin?: boolean; is_owner?: boolean; is_primary_owner?: boolean; is_bot?: boolean; locale?: string };
    }>;
  };
}

export class People {
  private readonly cache = new Map<string, { person: Person; until: number }>();

  constructor(
    private readonly client: UsersClient,
    private readonly managers: ReadonlySet<string>,
    private readonly onError: (error: unknown, user: string) => void,
    private readonly ttlMs = 5 * 60_000,
  ) {}

  /** `token`: the workspace's bot token (multi-workspace OAuth); without it, the client's own. */
  async lookup(team: string | null, user: string, token?: string): Promise<Person> {
    const key = `${team ?? ''}:${user}`;
    const cached = this.cache.get(key);
    if (cached && cached.until > Date.now()) return cached.person;
    const listed = this.managers.has(user);
    try {
      const { user: info } = await this.client.users.info({ user, include_locale: true, ...(token ? { token } : {}) });
      const admin = info?.is_bot !== true && (info?.is_admin || info?.is_owner || info?.is_primary_owner) === true;
      const person = { isManager: listed || admin, locale: info?.locale ?? null };
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(key, { person, until: Date.now() + this.ttlMs });
      return person;
    } catch (error) {
      this.onError(error, user);
      return { isManager: listed, locale: null };
    }
  }
}
