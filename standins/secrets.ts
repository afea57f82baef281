/**
 * Every token, signing secret and API key the tests and benchmarks hand to newsbrief, in one registry: canary
 * values, shaped like the real ones, that must never show up in a log line or in the database. The test suite
 * scans everything it logs for them (test/helpers/secretScan.ts); a test that needs a secret takes it from here.
 */
export const CANARY = {
  slackBotToken: 'xoxb-test-canary-1111111111-botcanary',
  slackAppToken: 'xapp-1-A0CANARY-2222222222-appcanary',
  /** Slack signing secrets are 32 hex digits. */
  slackSigningSecret: 'ca4a21e5ca4a21e5ca4a21e5ca4a21e5',
  /** A multi-workspace app's OAuth client secret (32 hex digits) and the secret its OAuth `state` is signed with. */
  slackClientSecret: 'c11e47c11e47c11e47c11e47c11e47c1',
  slackStateSecret: 'canary-state-secret-0c0c0c0c0c0c0c0c',
  /** NEWSBRIEF_INSTALLATION_KEY: 32 bytes in base64 (of `canary-installation-key-32bytes!`). */
  installationKey: 'Y2FuYXJ5LWluc3RhbGxhdGlvbi1rZXktMzJieXRlcyE=',
  /** The deprecated verification token Slack still puts in every payload. */
  slackVerificationToken: 'canary-verification-token-6666',
  /** Wrong or revoked values, for the tests of refusals: secrets all the same. */
  slackRevokedBotToken: 'xoxb-test-canary-revoked-3333333333',
  slackRevokedAppToken: 'xapp-1-A0CANARY-revoked-4444444444',
  slackUserToken: 'xoxp-test-canary-user-5555555555',
  slackWrongSigningSecret: 'deadbeefdeadbeefdeadbeefdeadbeef',
  /** Shaped as Discord's: base64 of a snowflake, a timestamp part, an HMAC part. */
  discordToken: 'MTAwMDAwMDAwMDAwMDAwMDAwMQ.Gcnry1.canary-discord-bot-token-000000000000',
  discordWrongToken: 'MTAwMDAwMDAwMDAwMDAwMDAwMg.Gwrng2.canary-discord-wrong-token-0000000000',
  llmApiKey: 'sk-test-canary-9f8e7d6c5b4a39281706',
  /** A key with characters that JSON escapes and URLs encode. */
  oddApiKey: 'sk-test-canary/with+odd=chars"and\\quotes',
  /** Secrets of other services that happen to sit in the environment. */
  otherToken: 'ghp_canaryGithubToken000000000000',
  password: 'canary-db-password-8888',
  /** A key carried in a feed URL's query string. */
  feedUrlKey: 'canary-feed-key-7777777777',
} as const;

export const CANARY_VALUES: readonly string[] = Object.values(CANARY);
