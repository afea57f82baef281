import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const manifest = parse(readFileSync(join(import.meta.dirname, '../../adapters/slack/manifest.yaml'), 'utf8'));

describe('the Slack app manifest', () => {
  it('declares the one command, Socket Mode, interactivity and the Home tab', () => {
    expect(manifest.features.slash_commands.map((c: { command: string }) => c.command)).toEqual(['/news']);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions.bot_events).toEqual([
      'app_home_opened',
      'app_uninstalled',
      'tokens_revoked',
    ]);
  });

  it('asks for the scopes the adapter uses and no more', () => {
    // commands: /news; chat:write: chat.postMessage; users:read: users.info; im:write: conversations.open
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(['chat:write', 'commands', 'im:write', 'users:read']);
    expect(manifest.oauth_config.scopes.user).toBeUndefined();
  });
});
