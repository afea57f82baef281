/**
 * Multi-workspace OAuth in HTTP mode: Bolt's receiver serves /slack/install (straight on to Slack's authorize
 * page, with a signed `state` in a cookie) and /slack/oauth_redirect (the code exchanged with `oauth.v2.access`,
 * the installation stored); the page the browser lands on after it speaks the catalog's words.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HTTPReceiverOptions } from '@slack/bolt';
import type { Installations } from '../../src/engine/installations.ts';
import { catalogLang, messages } from '../../src/messages/catalog.ts';
import { escapeMrkdwn } from './escape.ts';
import { boltInstallationStore } from './installationStore.ts';
import type { SlackOAuthSettings } from './settings.ts';

/** What the app asks for at install: the manifest's bot scopes, no more. */
export const SLACK_BOT_SCOPES = ['commands', 'chat:write', 'users:read', 'im:write'] as const;

export const INSTALL_PATH = '/slack/install';
export const REDIRECT_PATH = '/slack/oauth_redirect';

export type OAuthReceiverOptions = Pick<
  HTTPReceiverOptions,
  'clientId' | 'clientSecret' | 'stateSecret' | 'scopes' | 'installationStore' | 'installerOptions'
>;

export function oauthReceiverOptions(
  oauth: SlackOAuthSettings,
  installations: Installations,
  clientOptions: Record<string, unknown>,
): OAuthReceiverOptions {
  return {
    clientId: oauth.clientId,
    clientSecret: oauth.clientSecret,
    stateSecret: oauth.stateSecret,
    scopes: [...SLACK_BOT_SCOPES],
    installationStore: boltInstallationStore(installations),
    installerOptions: {
      installPath: INSTALL_PATH,
      redirectUriPath: REDIRECT_PATH,
      directInstall: true,
      clientOptions,
      callbackOptions: {
        success: (_installation, _options, request, response) => landingPage(request, response, 200, 'installed'),
        failure: (_error, _options, request, response) => landingPage(request, response, 400, 'installFailed'),
      },
    },
  };
}

function landingPage(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  sentence: 'installed' | 'installFailed',
): void {
  const lang = catalogLang(request.headers['accept-language']?.split(',')[0]?.trim()) ?? 'en';
  // the catalog's sentences hold no markup; escaping as for mrkdwn (& < >) is what HTML needs of them too
  const text = escapeMrkdwn(messages(lang).slack[sentence]);
  response.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  response.end(
    `<!doctype html><html lang="${lang}"><meta charset="utf-8"><title>newsbrief</title><body><p>${text}</p></body></html>`,
  );
}
