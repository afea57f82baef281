import { PassThrough } from 'node:stream';
import { runConsoleBot } from '../../adapters/console/consoleBot.ts';
import type { App } from '../../src/app.ts';

/** Types `lines` into the console adapter over `app` (a Korean channel in Seoul) and returns everything it printed. */
export async function converseWith(app: App, lines: readonly string[]): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  const done = runConsoleBot({
    input,
    output,
    handler: app.commands,
    context: { channel: 'console:local', lang: 'ko', timeZone: 'Asia/Seoul' },
    interactive: false,
  });
  input.end(`${lines.join('\n')}\n`);
  await done;
  return text;
}
