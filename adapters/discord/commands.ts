import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  PermissionFlagsBits,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { LIMIT_BOUNDS, MAX_BACKLOG } from '../../src/commands/command.ts';
import { messages } from '../../src/messages/catalog.ts';

/**
 * The permissions the invite link asks for: View Channel, Send Messages, Embed Links where the bot posts, and for
 * threaded digests Create Public Threads and Send Messages in Threads (nothing else). Set-up checks only the
 * first three, which a one-message digest needs.
 */
export const BOT_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.CreatePublicThreads |
  PermissionFlagsBits.SendMessagesInThreads;

const en = messages('en').discord.commands;
const ko = messages('ko').discord.commands;
type Key = keyof typeof en;
const describe = (key: Key) => ({ description: en[key], description_localizations: { ko: ko[key] } });

const feedUrlOption = {
  type: ApplicationCommandOptionType.String,
  name: 'url',
  ...describe('feedUrl'),
  required: true,
  max_length: 2000,
};

const topicOption = (required = true) => ({
  type: ApplicationCommandOptionType.String,
  name: 'topic',
  name_localizations: { ko: '토픽' },
  ...describe('topic'),
  required,
  autocomplete: true,
  max_length: 100,
});

/**
 * The slash commands as Discord registers them (`PUT /applications/{id}/commands`), descriptions in English and
 * Korean. `/news` works anywhere the bot is (servers and its DMs); `/newsbrief` configures a server channel, so it
 * is guild-only and shown to members with Manage Server (the handler and the engine check again).
 */
export function commandDefinitions(): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  const sub = (name: string, key: Key, options: object[] = []) => ({
    type: ApplicationCommandOptionType.Subcommand,
    name,
    ...describe(key),
    options,
  });
  return [
    {
      type: ApplicationCommandType.ChatInput,
      name: 'news',
      ...describe('news'),
      integration_types: [ApplicationIntegrationType.GuildInstall],
      contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: 'query',
          name_localizations: { ko: '검색어' },
          ...describe('query'),
          required: true,
          autocomplete: true,
          max_length: 500,
        },
      ],
    },
    {
      type: ApplicationCommandType.ChatInput,
      name: 'newsbrief',
      ...describe('newsbrief'),
      integration_types: [ApplicationIntegrationType.GuildInstall],
      contexts: [InteractionContextType.Guild],
      default_member_permissions: PermissionFlagsBits.ManageGuild.toString(),
      options: [
        sub('digest', 'digest'),
        sub('subscribe', 'subscribe', [
          topicOption(),
          {
            type: ApplicationCommandOptionType.Role,
            name: 'notify',
            name_localizations: { ko: '알림대상' },
            ...describe('notify'),
            required: false,
          },
        ]),
        sub('unsubscribe', 'unsubscribe', [topicOption()]),
        sub('subscriptions', 'subscriptions'),
        sub('schedule', 'schedule', [
          {
            type: ApplicationCommandOptionType.String,
            name: 'time',
            name_localizations: { ko: '시간' },
            ...describe('time'),
            required: true,
            min_length: 4,
            max_length: 5,
          },
          {
            type: ApplicationCommandOptionType.String,
            name: 'timezone',
            name_localizations: { ko: '시간대' },
            ...describe('timeZone'),
            required: false,
            max_length: 64,
          },
          {
            type: ApplicationCommandOptionType.String,
            name: 'days',
            name_localizations: { ko: '요일' },
            ...describe('days'),
            required: false,
            max_length: 40,
          },
        ]),
        sub('preview', 'preview'),
        sub('language', 'language', [
          {
            type: ApplicationCommandOptionType.String,
            name: 'lang',
            name_localizations: { ko: '언어' },
            ...describe('lang'),
            required: true,
            choices: [
              { name: '한국어', value: 'ko' },
              { name: 'English', value: 'en' },
            ],
          },
        ]),
        sub('layout', 'layout', [
          {
            type: ApplicationCommandOptionType.String,
            name: 'style',
            name_localizations: { ko: '형식' },
            ...describe('layoutStyle'),
            required: true,
            choices: [
              { name: 'one message', name_localizations: { ko: '메시지 하나' }, value: 'single' },
              { name: 'a thread per digest', name_localizations: { ko: '다이제스트마다 스레드' }, value: 'thread' },
            ],
          },
        ]),
        sub('limit', 'limit', [
          {
            type: ApplicationCommandOptionType.String,
            name: 'what',
            name_localizations: { ko: '대상' },
            ...describe('limitWhat'),
            required: true,
            choices: [
              { name: 'stories per digest', name_localizations: { ko: '다이제스트당 이야기' }, value: 'stories' },
              { name: 'alerts per day', name_localizations: { ko: '하루 알림' }, value: 'alerts' },
            ],
          },
          {
            type: ApplicationCommandOptionType.Integer,
            name: 'count',
            name_localizations: { ko: '개수' },
            ...describe('limitCount'),
            required: false,
            min_value: LIMIT_BOUNDS.alerts.min,
            max_value: LIMIT_BOUNDS.alerts.max,
          },
        ]),
        sub('pause', 'pause'),
        sub('resume', 'resume'),
        sub('status', 'status'),
        sub('why', 'why', [
          {
            type: ApplicationCommandOptionType.String,
            name: 'url',
            ...describe('url'),
            required: true,
            max_length: 2000,
          },
        ]),
        {
          type: ApplicationCommandOptionType.SubcommandGroup,
          name: 'sources',
          name_localizations: { ko: '소스' },
          ...describe('sources'),
          options: [
            sub('list', 'sourcesList'),
            sub('add', 'sourcesAdd', [
              feedUrlOption,
              {
                type: ApplicationCommandOptionType.Integer,
                name: 'last',
                name_localizations: { ko: '최근' },
                ...describe('sourcesLast'),
                required: false,
                min_value: 0,
                max_value: MAX_BACKLOG,
              },
            ]),
            sub('remove', 'sourcesRemove', [feedUrlOption]),
          ],
        },
        sub('help', 'help'),
      ],
    },
  ] as RESTPostAPIChatInputApplicationCommandsJSONBody[];
}

/** The invite link: the bot and its slash commands, with only the permissions it needs. */
export function inviteUrl(applicationId: string): string {
  const params = new URLSearchParams({
    client_id: applicationId,
    scope: 'bot applications.commands',
    permissions: BOT_PERMISSIONS.toString(),
  });
  return `https://discord.com/oauth2/authorize?${params.toString()}`;
}
