import { PassThrough } from 'node:stream';
import { ConsoleAdapter } from '../../adapters/console/consoleBot.ts';
import type { SqliteApp } from '../../src/app.ts';

/**
 * Types `lines` into the console adapter over `app` (its console channel: Korean, Seoul, unless the app's config
 * says otherwise) with a terminal in `locale`, and returns everything it printed.
 */
export async function converseWith(
  app: SqliteApp,
  lines: readonly string[],
  locale: string | null = 'en_US',
): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  const console = new ConsoleAdapter({ input, output, interactive: false, readCommands: true, locale });
  await console.start(app.engine);
  input.end(`${lines.join('\n')}\n`);
  await console.inputClosed;
  return text;
}
