import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { isTimeZone } from '../commands/command.ts';
import { createAddressGuard } from '../fetch/addressPolicy.ts';

/**
 * `newsbrief.yaml`: feeds, extra topics and channel schedules. Secrets (platform tokens) never live here:
 * they come from the environment only.
 */

const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM, 24-hour (e.g. "08:30")');
const timeZone = z.string().refine(isTimeZone, 'must be an IANA time zone such as Asia/Seoul or America/New_York');
/** One message either way: a value that is no URL, or a URL of another scheme. */
const httpUrl = z.string().superRefine((value, ctx) => {
  let url: URL | null = null;
  try {
    url = new URL(value);
  } catch {
    // not a URL
  }
  if (!url) ctx.addIssue({ code: 'custom', message: 'must be a URL such as https://news.example/rss' });
  else if (!/^https?:\/\//i.test(value))
    ctx.addIssue({ code: 'custom', message: 'must start with http:// or https://' });
});

const feedSchema = z.strictObject({
  url: httpUrl,
  name: z.string().min(1).max(100).optional(),
  lang: z.enum(['ko', 'en']).optional(),
});

const userTopicSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes'),
  names: z.strictObject({ en: z.string().min(1).optional(), ko: z.string().min(1).optional() }).optional(),
  aliases: z.array(z.string().min(1)).default([]),
  parent: z.string().optional(),
});

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

const channelSchema = z.strictObject({
  platform: z.enum(['slack', 'discord', 'console']),
  /** Slack team id or Discord guild id; learned from the first command in the channel when left out. */
  workspace: z.string().min(1).max(64).optional(),
  channel: z.string().min(1).max(64),
  time: timeOfDay.optional(),
  timeZone: timeZone.optional(),
  lang: z.enum(['ko', 'en']).optional(),
  /** Weekdays it gets digests on (`[mon, tue, wed, thu, fri]`); every day when left out. */
  days: z.array(z.enum(WEEKDAYS, { message: `must be one of ${WEEKDAYS.join(', ')}` })).optional(),
  /** Skip a digest with nothing new instead of posting one line that says so. */
  skipEmpty: z.boolean().optional(),
  /** `thread`: a short parent message with each story as a reply in its thread; `single` (default): one message. */
  layout: z.enum(['single', 'thread']).optional(),
  topics: z.array(z.string().min(1)).default([]),
});

/** ISO weekday numbers (1 = Monday) of config day names. */
export function weekdayNumbers(days: readonly (typeof WEEKDAYS)[number][] | undefined): number[] {
  return [...new Set((days ?? []).map((day) => WEEKDAYS.indexOf(day) + 1))].sort((a, b) => a - b);
}

function isAddressRange(text: string): boolean {
  try {
    createAddressGuard({ allow: [text] });
    return true;
  } catch {
    return false;
  }
}

const fetchSchema = z.strictObject({
  /** Non-public addresses feeds may live at (a self-hosted setup's own network), e.g. `10.0.0.0/8`. */
  allowAddresses: z
    .array(z.string().refine(isAddressRange, 'must be an IP address or a CIDR range such as 10.0.0.0/8'))
    .default([]),
  /** The shortest polling interval, whatever a feed asks. */
  minIntervalSeconds: z.number().int().min(1).max(21_600).default(300),
  /** A feed failing this many hours is told to the channels that use it (once, and again when it is back); 0: never. */
  noticeAfterHours: z
    .number()
    .min(0)
    .max(24 * 14)
    .default(6),
});

/** An OpenAI-compatible endpoint for abstractive summaries (optional); the key comes from the environment. */
const llmSchema = z.strictObject({
  baseUrl: httpUrl,
  model: z.string().min(1).max(200),
  timeoutSeconds: z.number().min(1).max(120).default(20),
  concurrency: z.number().int().min(1).max(8).default(2),
});

/** How a kind of job is retried and given up on; left out: the defaults (runtime/jobs/queue.ts). */
const jobPolicySchema = z.strictObject({
  attempts: z.number().int().min(1).max(1000).optional(),
  backoffSeconds: z.number().int().min(1).max(86_400).optional(),
  /** A try running this long is given up on; also how long a killed worker's job waits for another worker. */
  expireSeconds: z.number().int().min(1).max(86_399).optional(),
});

/** The job queue of processes that run their roles apart (PostgreSQL); unused by one process. */
const jobsSchema = z.strictObject({
  fetch: jobPolicySchema.default({}),
  deliver: jobPolicySchema.default({}),
  addSource: jobPolicySchema.default({}),
  /**
   * How long a web process waits for a worker to add a feed named in chat before it answers that the feed is still
   * being added (the job goes on).
   */
  addSourceWaitSeconds: z.number().int().min(1).max(600).default(20),
  /** How often an idle worker looks for jobs. */
  pollSeconds: z.number().min(0.5).max(60).default(2),
  /** How often jobs past their expiry are failed, and so retried elsewhere. */
  maintenanceSeconds: z.number().int().min(1).max(3600).default(30),
});

export const configSchema = z.strictObject({
  database: z.string().min(1).default('data/newsbrief.db'),
  timeZone: timeZone.default('Asia/Seoul'),
  lang: z.enum(['ko', 'en']).default('ko'),
  digest: z
    .strictObject({
      time: timeOfDay.default('09:00'),
      maxStories: z.number().int().min(1).max(50).default(10),
      windowHours: z
        .number()
        .int()
        .min(1)
        .max(24 * 14)
        .default(24),
      /** A digest missed while the bot was down is still posted when it is back within this many minutes. */
      graceMinutes: z
        .number()
        .int()
        .min(0)
        .max(24 * 60)
        .default(120),
    })
    .default({ time: '09:00', maxStories: 10, windowHours: 24, graceMinutes: 120 }),
  search: z.strictObject({ maxResults: z.number().int().min(1).max(25).default(5) }).default({ maxResults: 5 }),
  summaries: z.strictObject({ llm: llmSchema.optional() }).default({}),
  fetch: fetchSchema.default({ allowAddresses: [], minIntervalSeconds: 300, noticeAfterHours: 6 }),
  alerts: z
    .strictObject({
      /** No alerts between these local times (they come after, together); null: any time. */
      quietHours: z
        .string()
        .regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM-HH:MM, e.g. "22:00-07:00"')
        .nullable()
        .default('22:00-07:00'),
      /** Alert messages a destination gets in one local day at most. */
      dailyCap: z.number().int().min(1).max(100).default(10),
    })
    .default({ quietHours: '22:00-07:00', dailyCap: 10 }),
  feeds: z.array(feedSchema).default([]),
  topics: z.array(userTopicSchema).default([]),
  channels: z.array(channelSchema).default([]),
  jobs: jobsSchema.default({
    fetch: {},
    deliver: {},
    addSource: {},
    addSourceWaitSeconds: 20,
    pollSeconds: 2,
    maintenanceSeconds: 30,
  }),
});

export type NewsbriefConfig = z.infer<typeof configSchema>;
export type UserTopic = z.infer<typeof userTopicSchema>;
export type LlmConfig = z.infer<typeof llmSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** `channels[0].time`; a key that is not a plain name is quoted (`[""]`, `["a b"]`). */
function pathText(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) => {
      if (typeof part === 'number') return `[${part}]`;
      const key = String(part);
      return /^[\w-]+$/.test(key) ? `${i > 0 ? '.' : ''}${key}` : `[${JSON.stringify(key)}]`;
    })
    .join('');
}

/** The setting names the schema takes at `path` (an object's keys), through defaults, optionals and lists. */
function knownKeys(path: readonly PropertyKey[]): string[] {
  let schema: unknown = configSchema;
  const unwrap = () => {
    for (;;) {
      const s = schema as { unwrap?: () => unknown };
      if (typeof s.unwrap === 'function') schema = s.unwrap();
      else break;
    }
  };
  for (const part of path) {
    unwrap();
    const s = schema as { shape?: Record<string, unknown> };
    // a list unwraps to its element (zod's ZodArray.unwrap), so an index needs no step of its own
    if (typeof part === 'number') continue;
    if (typeof part === 'string' && s.shape?.[part]) schema = s.shape[part];
    else return [];
  }
  unwrap();
  return Object.keys((schema as { shape?: Record<string, unknown> }).shape ?? {});
}

/** The known name a misspelt one most likely meant: same letters in another case, or at most two edits away. */
function closest(name: string, known: string[]): string | null {
  let best: string | null = null;
  let bestDistance = 3;
  for (const candidate of known) {
    const d = candidate.toLowerCase() === name.toLowerCase() ? 0 : editDistance(name, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(
        (previous[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = row;
  }
  return previous[b.length] as number;
}

function describeIssues(file: string, error: z.ZodError): string {
  const lines = error.issues.flatMap((issue) => {
    // An unknown setting gets a line of its own that names it and says what to do.
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeys(issue.path);
      return issue.keys.map((key) => {
        const meant = closest(key, known);
        const fix = meant ? `did you mean "${meant}"? ` : '';
        const list = known.length ? ` (settings here: ${known.join(', ')})` : '';
        return `  - ${pathText([...issue.path, key])}: unknown setting: ${fix}remove it or correct its name${list}`;
      });
    }
    return [`  - ${issue.path.length > 0 ? pathText(issue.path) : '(top level)'}: ${issue.message}`];
  });
  return `${file} has ${lines.length === 1 ? 'a mistake' : `${lines.length} mistakes`}:\n${lines.join('\n')}`;
}

/** Parses and validates config text; every mistake is listed with its path in one clear error. */
export function parseConfig(text: string, file = 'newsbrief.yaml'): NewsbriefConfig {
  let data: unknown;
  try {
    data = parseYaml(text, { maxAliasCount: 100 }) ?? {};
  } catch (error) {
    const detail = error instanceof YAMLParseError ? error.message.split('\n')[0] : String(error);
    throw new ConfigError(`${file} is not valid YAML: ${detail}`);
  }
  const result = configSchema.safeParse(data);
  if (!result.success) throw new ConfigError(describeIssues(file, result.error));
  return result.data;
}

/** Loads the config file when it exists; without one, every setting takes its default. */
export function loadConfig(path: string | null): { config: NewsbriefConfig; path: string | null } {
  if (path === null || !existsSync(path)) return { config: parseConfig('{}'), path: null };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { config: parseConfig(text, path), path };
}
