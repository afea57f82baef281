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
const httpUrl = z
  .string()
  .url('must be a URL')
  .refine((u) => /^https?:\/\//i.test(u), 'must start with http:// or https://');

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
});

export type NewsbriefConfig = z.infer<typeof configSchema>;
export type UserTopic = z.infer<typeof userTopicSchema>;
export type LlmConfig = z.infer<typeof llmSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function describeIssues(file: string, error: z.ZodError): string {
  const lines = error.issues.map((issue) => {
    const where =
      issue.path.length > 0
        ? issue.path
            .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i > 0 ? '.' : ''}${String(part)}`))
            .join('')
        : '(top level)';
    return `  - ${where}: ${issue.message}`;
  });
  return `${file} has ${error.issues.length === 1 ? 'a mistake' : `${error.issues.length} mistakes`}:\n${lines.join('\n')}`;
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
