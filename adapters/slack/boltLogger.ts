import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import { type Logger, REDACTED } from '../../src/ops/logger.ts';

const LEVELS: Record<string, LogLevel> = {
  trace: LogLevel.DEBUG,
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
  fatal: LogLevel.ERROR,
};

/**
 * Payload fields that are credentials: Slack's verification token (in every payload) and the response_url (anyone
 * holding it may post to the channel for 30 minutes). Bolt's debug lines quote whole payloads as text, where the
 * logger's redaction by key cannot see them.
 */
const PAYLOAD_SECRETS = /("(?:token|response_url)"\s*:\s*")[^"]*(")|((?:^|[?&\s])(?:token|response_url)=)[^&\s]*/g;

/** `text` with the payload's credentials blanked. */
export function withoutPayloadSecrets(text: string): string {
  return text.replace(PAYLOAD_SECRETS, (_, jsonKey: string, quote: string, formKey: string) =>
    jsonKey ? `${jsonKey}${REDACTED}${quote}` : `${formKey}${REDACTED}`,
  );
}

/** Bolt's and the Slack SDK's log lines through the service's pino logger (which redacts tokens). */
export function boltLogger(log: Logger): BoltLogger {
  const text = (parts: unknown[]) =>
    withoutPayloadSecrets(
      parts.map((p) => (p instanceof Error ? p.message : typeof p === 'string' ? p : JSON.stringify(p))).join(' '),
    );
  return {
    debug: (...msg: unknown[]) => log.debug(text(msg)),
    info: (...msg: unknown[]) => log.info(text(msg)),
    warn: (...msg: unknown[]) => log.warn(text(msg)),
    error: (...msg: unknown[]) => log.error(text(msg)),
    setLevel: () => {},
    getLevel: () => LEVELS[log.level] ?? LogLevel.INFO,
    setName: () => {},
  };
}
