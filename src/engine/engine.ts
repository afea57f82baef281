import type { AsyncStore, AsyncTransaction } from '../../storage/asyncStore.ts';
import type { ChannelKey, Mention, StoredDestination } from '../../storage/repositories.ts';
import { type Command, type CommandError, MAX_BACKLOG, parseNewsCommand } from '../commands/command.ts';
import { type CommandContext, type CommandHandler, notice } from '../commands/handle.ts';
import type { Reply, ReplyBody, TopicRef } from '../commands/reply.ts';
import { catalogLang, type UiLang } from '../messages/catalog.ts';
import type { TopicLookup } from '../search/search.ts';
import { formatLocalTime } from '../text/formatTime.ts';
import { newDestination } from './destinations.ts';
import type { EngineRequest } from './request.ts';
import type { SourceControl } from './sources.ts';
import { Turns } from './turns.ts';

/** The part of a logger the engine writes to (pino's `Logger` fits). */
export interface EngineLog {
  info(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** A channel that gets scheduled digests, as a Home tab lists it. */
export interface ChannelDigest {
  channel: string;
  topics: TopicRef[];
  schedule: { time: string; timeZone: string; weekdays: number[] };
  paused: boolean;
}

/** One command handled: what the runtime logs and counts. */
export interface CommandEvent {
  platform: string;
  destination: ChannelKey | null;
  command: Command['kind'] | 'invalid' | 'unknown';
  outcome: 'ok' | 'error' | 'refused' | 'failed';
  ms: number;
}

export interface EngineDeps {
  store: AsyncStore;
  commands: CommandHandler;
  topics: TopicLookup;
  /** The configured language and zone, for destinations without their own. */
  defaults: { lang: UiLang; timeZone: string };
  log?: EngineLog | null;
  onCommand?: ((event: CommandEvent) => void) | null;
  /** Adding and removing feeds from chat; null where no service runs (the command line). */
  sources?: SourceControl | null;
}

/** Commands that change a destination's settings: only managers may run them. */
/** `sources add` and `sources remove` need a manager too; `sources list` does not. */
function needsManager(command: Command): boolean {
  if (command.kind === 'sources') return command.action !== 'list';
  return CONFIGURATION.has(command.kind);
}

const CONFIGURATION: ReadonlySet<Command['kind']> = new Set([
  'alerts',
  'subscribe',
  'unsubscribe',
  'schedule',
  'pause',
  'resume',
  'language',
  'limit',
  'layout',
]);

/** `/weather`: a slash command that is not ours. `/news …` and bare lines are. */
const OTHER_SLASH_COMMAND = /^\/(?!news\b)/i;

type SourceChange = Extract<Command, { kind: 'sources'; action: 'add' | 'remove' | 'backlog' }>;

/** What to offer for letting a new feed's held items into digests: the newest 3, 10, or all (up to the cap). */
function backlogChoices(held: number): number[] {
  if (held === 0) return [];
  const all = Math.min(held, MAX_BACKLOG);
  return [...[3, 10].filter((n) => n < all), all];
}

/**
 * The one entry point every adapter calls: it parses what the platform sent, checks permissions, finds the
 * destination (creating it on first contact) with its language and zone, runs the command and turns any failure
 * into a notice. Adapters render the `Reply`; they never see storage.
 */
export class Engine {
  private readonly turns = new Turns();

  constructor(private readonly deps: EngineDeps) {}

  /**
   * Answers one request. Requests start one at a time with room for I/O between them (see Turns), so a burst
   * of commands does not keep the platforms' acknowledgements and defers waiting.
   */
  handle(request: EngineRequest): Promise<Reply> {
    return this.turns.take(() => this.handleNow(request));
  }

  private async handleNow(request: EngineRequest): Promise<Reply> {
    const started = performance.now();
    let destination: StoredDestination | null = null;
    let kind: CommandEvent['command'] = 'unknown';
    const finish = (body: ReplyBody, outcome: CommandEvent['outcome'], lang: UiLang, timeZone: string): Reply => {
      this.deps.onCommand?.({
        platform: request.platform,
        destination: destination?.key ?? null,
        command: kind,
        outcome,
        ms: performance.now() - started,
      });
      return { ...body, lang, timeZone } as Reply;
    };
    const fallbackLang = catalogLang(request.locale) ?? this.deps.defaults.lang;
    try {
      const command = this.parse(request);
      if (command.kind === 'invalid') {
        kind = 'invalid';
        return finish(notice('error', command.notice), 'error', fallbackLang, this.deps.defaults.timeZone);
      }
      kind = command.kind;
      destination = await this.destinationOf(request);
      if (!destination) {
        return finish(
          notice('error', { code: 'notHere', params: {} }),
          'refused',
          fallbackLang,
          this.deps.defaults.timeZone,
        );
      }
      const ctx = this.contextOf(destination);
      // A preview is the channel's post as it will be: in the channel's language, not the caller's.
      const lang = command.kind === 'preview' ? ctx.lang : (catalogLang(request.locale) ?? ctx.lang);
      if (needsManager(command) && !request.isManager) {
        return finish(notice('error', { code: 'needsManager', params: {} }), 'refused', lang, ctx.timeZone);
      }
      const body =
        command.kind === 'sources' && command.action !== 'list'
          ? await this.changeSource(command, destination.key)
          : await this.deps.commands.run(command, { ...ctx, lang });
      const outcome = body.kind === 'notice' && body.tone === 'error' ? 'error' : 'ok';
      return finish(body, outcome, lang, ctx.timeZone);
    } catch (error) {
      this.deps.log?.error(
        { err: error, platform: request.platform, destination: destination?.key ?? null, command: kind },
        'command failed',
      );
      return finish(
        notice('error', { code: 'failed', params: {} }),
        'failed',
        fallbackLang,
        this.deps.defaults.timeZone,
      );
    }
  }

  private async changeSource(command: SourceChange, by: ChannelKey): Promise<ReplyBody> {
    const sources = this.deps.sources;
    if (!sources) return notice('error', { code: 'sourcesUnavailable', params: {} });
    if (command.action === 'remove') {
      const removed = await sources.remove(command.url, by);
      return removed
        ? notice('ok', { code: 'sourceRemoved', params: {} })
        : notice('error', { code: 'sourceNotRemoved', params: {} });
    }
    if (command.action === 'backlog') {
      const released = await sources.releaseBacklog(command.source, command.count, by);
      return released === null
        ? notice('error', { code: 'backlogNotYours', params: {} })
        : notice('ok', { code: 'backlogReleased', params: { count: released } });
    }
    const result = await sources.add(command.url, by, { backlog: command.backlog ?? 0 });
    if (result.ok === 'pending') return notice('ok', { code: 'sourceAddPending', params: {} });
    if (!result.ok) return notice('error', { code: 'sourceNotAdded', params: { problem: result.problem } });
    return {
      kind: 'sourceAdded',
      source: {
        id: result.sourceId,
        name: result.name,
        url: result.url,
        foundOn: result.foundOn,
        items: result.items,
        held: result.held,
        taken: result.added - result.held,
        lang: result.lang,
        newest: result.newest,
      },
      backlogChoices: backlogChoices(result.held),
    };
  }

  /**
   * The channels of one workspace or server that get scheduled digests, with their topics and times, named in the
   * caller's language (a Home tab's list). Never another workspace's.
   */
  async channelDigests(platform: string, workspace: string | null, locale: string | null): Promise<ChannelDigest[]> {
    if (workspace === null) return [];
    const lang = catalogLang(locale) ?? this.deps.defaults.lang;
    const { store } = this.deps;
    const channels = (await store.destinations.list()).filter(
      (d) => d.platform === platform && d.workspace === workspace && d.kind === 'channel' && d.digestTime,
    );
    const topicsOf = await Promise.all(channels.map((d) => store.subscriptions.list(d.key)));
    return channels.map((d, i) => ({
      channel: d.channel as string,
      topics: (topicsOf[i] ?? []).map((id) => ({ id, name: this.deps.topics.displayName(id, lang) })),
      schedule: {
        time: d.digestTime as string,
        timeZone: d.timeZone ?? this.deps.defaults.timeZone,
        weekdays: d.weekdays,
      },
      paused: !d.enabled || d.pausedReason !== null,
    }));
  }

  /**
   * Topics for an autocomplete box, named in the caller's language (at most 25): those whose name in either
   * language (or id) starts with `text`, the most covered first, then close spellings; the most covered topics
   * when nothing is typed yet.
   */
  async suggestTopics(text: string, locale: string | null, limit = 25): Promise<TopicRef[]> {
    const lang = catalogLang(locale) ?? this.deps.defaults.lang;
    const wanted = Math.min(Math.max(1, limit), 25);
    const typed = text.trim().toLowerCase().slice(0, 100);
    const counts = await this.articleCounts();
    const byCoverage = (a: string, b: string) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0) || a.localeCompare(b);
    const ids = (await this.topicNames())
      .filter((t) => typed === '' || t.names.some((name) => name.startsWith(typed)))
      .map((t) => t.id)
      .sort(byCoverage);
    if (typed !== '') for (const id of this.deps.topics.suggest(typed, wanted)) if (!ids.includes(id)) ids.push(id);
    return ids.slice(0, wanted).map((id) => ({ id, name: this.deps.topics.displayName(id, lang) }));
  }

  private topicNameCache: { id: string; names: string[] }[] | null = null;
  private countCache: { at: number; counts: Map<string, number> } | null = null;

  private async topicNames(): Promise<{ id: string; names: string[] }[]> {
    this.topicNameCache ??= (await this.deps.store.topics.list()).map((t) => ({
      id: t.id,
      names: [t.id, t.nameEn, t.nameKo].map((n) => n.toLowerCase()),
    }));
    return this.topicNameCache;
  }

  /** Articles per topic, re-read at most once a minute: autocomplete asks on every keystroke. */
  private async articleCounts(): Promise<Map<string, number>> {
    const now = Date.now();
    if (!this.countCache || now - this.countCache.at > 60_000) {
      this.countCache = { at: now, counts: await this.deps.store.topics.articleCounts() };
    }
    return this.countCache.counts;
  }

  /**
   * The digest a destination would be posted now (or for `window`), in its language (or the reader's `locale`,
   * for a preview); null for an unknown key.
   */
  async digestFor(
    key: ChannelKey,
    options: { window?: { from: Date; to: Date }; locale?: string | null } = {},
  ): Promise<Reply | null> {
    const destination = await this.deps.store.destinations.get(key);
    if (!destination) return null;
    const stored = this.contextOf(destination);
    const ctx = { ...stored, lang: catalogLang(options.locale) ?? stored.lang };
    const body = await this.deps.commands.digest(ctx, options.window);
    return { ...body, lang: ctx.lang, timeZone: ctx.timeZone } as Reply;
  }

  /**
   * A notice the service tells a destination of its own accord (a feed down or back), in its language; `at` is an
   * instant the notice names, written in the destination's zone.
   */
  async sourceNoticeFor(
    key: ChannelKey,
    source: { name: string; since: string; error: string | null },
    down: boolean,
  ): Promise<Reply | null> {
    const destination = await this.deps.store.destinations.get(key);
    if (!destination) return null;
    const ctx = this.contextOf(destination);
    const name = source.name.slice(0, 100);
    const body = down
      ? notice('error', {
          code: 'sourceDown',
          params: {
            name,
            since: formatLocalTime(source.since, ctx.timeZone),
            error: (source.error ?? '').split('\n')[0]?.slice(0, 160) ?? '',
          },
        })
      : notice('ok', { code: 'sourceUp', params: { name } });
    return { ...body, lang: ctx.lang, timeZone: ctx.timeZone } as Reply;
  }

  /** An alert for a destination: these new articles, about these of its topics, in its language. */
  async alertFor(
    key: ChannelKey,
    articleIds: readonly number[],
    topicIds: readonly string[],
    mentions: readonly Mention[] = [],
  ): Promise<Reply | null> {
    const destination = await this.deps.store.destinations.get(key);
    if (!destination) return null;
    const ctx = this.contextOf(destination);
    return {
      ...(await this.deps.commands.alertReply(articleIds, topicIds, ctx)),
      ...(mentions.length > 0 ? { mentions: [...mentions] } : {}),
      lang: ctx.lang,
      timeZone: ctx.timeZone,
    } as Reply;
  }

  /**
   * Records a digest the platform confirmed it posted: its stories count as delivered to the destination (they
   * come back only as updates) and the next digest starts from here. Never called for a digest only computed.
   * Inside `tx` when given: the caller's transaction that also marks the post sent in the ledger.
   */
  async recordPosted(key: ChannelKey, reply: Reply, at: Date, tx?: AsyncTransaction): Promise<void> {
    if (reply.kind !== 'digest') return;
    const destination = await (tx ?? this.deps.store).destinations.get(key);
    if (!destination) return;
    await this.deps.commands.markDelivered(this.contextOf(destination), reply.digest, at, tx);
  }

  private parse(request: EngineRequest): Command | CommandError {
    if (request.command) return request.command;
    const text = (request.text ?? '').trim();
    if (OTHER_SLASH_COMMAND.test(text)) return { kind: 'invalid', notice: { code: 'unknownCommand', params: {} } };
    return parseNewsCommand(text);
  }

  /**
   * The destination the request is about, created on first contact. A channel first named in the config learns
   * its workspace here; a channel id that belongs to another workspace is refused (null), so one workspace can
   * never read or change another's settings.
   */
  private async destinationOf(request: EngineRequest): Promise<StoredDestination | null> {
    const address = {
      platform: request.platform,
      workspace: request.workspace,
      channel: request.channel,
      user: request.user,
    };
    const destinations = this.deps.store.destinations;
    const stored = await destinations.ensure(newDestination(address));
    if (stored.workspace === request.workspace) return stored;
    if (stored.workspace === null && request.workspace !== null) {
      await destinations.update(stored.key, { workspace: request.workspace });
      return { ...stored, workspace: request.workspace };
    }
    return null;
  }

  private contextOf(destination: StoredDestination): CommandContext {
    const lang = destination.lang === 'ko' || destination.lang === 'en' ? destination.lang : this.deps.defaults.lang;
    return { channel: destination.key, lang, timeZone: destination.timeZone ?? this.deps.defaults.timeZone };
  }
}
