import { DiscordAPIError, REST, Routes } from 'discord.js';
import { commandDefinitions, inviteUrl } from '../adapters/discord/commands.ts';
import { apiBaseOf } from '../adapters/discord/discordBot.ts';
import { type CliIo, UsageError, writeLine } from './io.ts';

const SNOWFLAKE = /^\d{17,20}$/;

function restOf(io: CliIo): REST {
  const token = io.env.DISCORD_TOKEN?.trim();
  if (!token) throw new Error('DISCORD_TOKEN is not set: export the bot token from the Discord Developer Portal first');
  return new REST({ api: apiBaseOf(io.env), retries: 1, timeout: 15_000 }).setToken(token);
}

/** Discord's answer as one sentence (the token never appears in it). */
function explain(error: unknown): Error {
  if (error instanceof DiscordAPIError) {
    if (error.status === 401) {
      return new Error(
        'Discord rejected DISCORD_TOKEN (401 Unauthorized): copy the bot token again from the Developer Portal',
      );
    }
    return new Error(`Discord refused the request (${error.status}, code ${error.code}): ${error.message}`);
  }
  return error instanceof Error ? error : new Error(String(error));
}

/** The application id: `DISCORD_APPLICATION_ID`, else asked of Discord with the token. */
async function applicationId(io: CliIo, rest: () => REST): Promise<string> {
  const configured = io.env.DISCORD_APPLICATION_ID?.trim();
  if (configured) {
    if (!SNOWFLAKE.test(configured)) throw new Error('DISCORD_APPLICATION_ID must be the numeric application id');
    return configured;
  }
  const app = (await rest().get(Routes.currentApplication())) as { id: string };
  return app.id;
}

/**
 * `newsbrief discord register [--guild ID]`: puts the slash commands on one server (there at once) or globally
 * (every server the bot is in); `newsbrief discord invite`: prints the link that adds the bot to a server.
 */
export async function runDiscord(io: CliIo, sub: string | undefined, guild: string | null): Promise<number> {
  let client: REST | null = null;
  const rest = () => {
    client ??= restOf(io);
    return client;
  };
  try {
    switch (sub) {
      case 'register': {
        if (guild !== null && !SNOWFLAKE.test(guild)) throw new UsageError('--guild takes a server id (17–20 digits)');
        const app = await applicationId(io, rest);
        const body = commandDefinitions();
        const route = guild ? Routes.applicationGuildCommands(app, guild) : Routes.applicationCommands(app);
        const saved = (await rest().put(route, { body })) as { name: string }[];
        const names = saved.map((c) => `/${c.name}`).join(', ');
        writeLine(
          io.stdout,
          guild
            ? `registered ${names} on server ${guild}: usable there now`
            : `registered ${names} globally: usable in every server the bot is in`,
        );
        return 0;
      }
      case 'invite': {
        if (guild !== null) throw new UsageError('discord invite takes no --guild');
        writeLine(io.stdout, inviteUrl(await applicationId(io, rest)));
        return 0;
      }
      default:
        throw new UsageError(
          sub === undefined ? 'discord needs register or invite' : `unknown discord command "${sub}"`,
        );
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw explain(error);
  }
}
