/**
 * The secrets registry for tests (values in standins/secrets.ts) and the scan that looks for them, and for
 * anything shaped like a token, in what the test suite logs.
 */
import { appendFileSync } from 'node:fs';
import { CANARY, CANARY_VALUES } from '../../standins/secrets.ts';

export { CANARY, CANARY_VALUES };

/** Shapes of real secrets: a match is a leak even when the value is not one of ours. */
export const SECRET_SHAPES: readonly { name: string; pattern: RegExp }[] = [
  { name: 'Slack token', pattern: /\bxox[abpr]-[A-Za-z0-9-]{6,}/ },
  { name: 'Slack app token', pattern: /\bxapp-[A-Za-z0-9-]{6,}/ },
  { name: 'Discord bot token', pattern: /\b[MNO][A-Za-z\d_-]{23,27}\.[A-Za-z\d_-]{6}\.[A-Za-z\d_-]{27,40}/ },
  { name: 'Bearer credential', pattern: /\bBearer\s+(?!\[redacted\])[A-Za-z0-9._~+/=-]{8,}/i },
  { name: 'signing secret', pattern: /signing_?secret\W{1,4}[0-9a-f]{32}\b/i },
  { name: 'API key', pattern: /\bsk-[A-Za-z0-9_-]{16,}/ },
];

export interface Leak {
  /** What leaked: a registered secret's name or a token shape. */
  what: string;
  line: string;
}

const REGISTERED = Object.entries(CANARY).flatMap(([name, value]) =>
  [...new Set([value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)])].map((form) => ({
    name: `registered secret ${name}`,
    form,
  })),
);

/** Every registered secret (as typed, JSON-escaped, URL-encoded) and every token shape found in `line`. */
export function leaksIn(line: string): Leak[] {
  const found: Leak[] = [];
  for (const { name, form } of REGISTERED) if (line.includes(form)) found.push({ what: name, line });
  for (const { name, pattern } of SECRET_SHAPES) if (pattern.test(line)) found.push({ what: name, line });
  return found;
}

/**
 * Keeps what a child process wrote (its stderr, say) beside the suite's log copy, so the secret scan reads it
 * too. Does nothing outside the test run's scan.
 */
export function keepChildOutput(text: string): void {
  const copy = process.env.NEWSBRIEF_LOG_COPY;
  if (copy && text) appendFileSync(`${copy}.child`, text.endsWith('\n') ? text : `${text}\n`);
}
