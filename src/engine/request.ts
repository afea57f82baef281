import type { Command } from '../commands/command.ts';

/** What a platform told an adapter about one command; the adapter hands it to `Engine.handle` as it is. */
export interface EngineRequest {
  /** `slack`, `discord`, `console`. */
  platform: string;
  /** Slack team id, Discord guild id; null in a DM outside any server. */
  workspace: string | null;
  /** The channel the command was typed in; null for a direct message to the bot (the person's own destination). */
  channel: string | null;
  user: string;
  /** The caller's locale as the platform sends it (`ko`, `en-US`); null when it sends none. */
  locale?: string | null;
  /** What the platform says about the caller: may they change this workspace's or server's settings? */
  isManager: boolean;
  /** The text after the slash command (`/news samsung` or `samsung`), or an already parsed command. */
  text?: string;
  command?: Command;
}
