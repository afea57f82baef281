import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { parseNewsCommand } from '../../src/commands/command.ts';
import type { CommandContext, CommandHandler } from '../../src/commands/handle.ts';
import type { Reply } from '../../src/commands/reply.ts';
import { renderReply } from './render.ts';

export interface ConsoleBotOptions {
  input: Readable;
  output: Writable;
  handler: CommandHandler;
  context: CommandContext;
  /** Show a prompt and use ANSI bold (a terminal). */
  interactive: boolean;
}

async function answer(handler: CommandHandler, context: CommandContext, text: string): Promise<Reply> {
  if (text.startsWith('/') && !/^\/news\b/i.test(text)) {
    return { kind: 'notice', tone: 'error', text: 'Unknown command: try /news help' };
  }
  const command = parseNewsCommand(text.startsWith('/') ? text : `/news ${text}`);
  if (command.kind === 'invalid') return { kind: 'notice', tone: 'error', text: command.message };
  try {
    return await handler.handleWithSummaries(command, context);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { kind: 'notice', tone: 'error', text: `Something went wrong: ${reason}` };
  }
}

const EXIT = new Set(['exit', 'quit', ':q', '/exit', '/quit']);

/**
 * The console adapter: the same `/news …` commands as Slack and Discord, typed at a prompt, with no tokens.
 * A line without a leading slash is taken as `/news <line>`. Resolves at end of input or `exit`.
 */
export function runConsoleBot(options: ConsoleBotOptions): Promise<void> {
  const { input, output, handler, context, interactive } = options;
  const rl = createInterface({ input, output: interactive ? output : undefined, terminal: interactive });
  const render = { timeZone: context.timeZone, color: interactive };
  if (interactive) {
    rl.setPrompt('news> ');
    rl.prompt();
  }
  return new Promise((resolve) => {
    let closed = false;
    // Answers may wait for a language model: they are chained so that replies come out in the order asked.
    let pending: Promise<void> = Promise.resolve();
    rl.on('line', (line) => {
      // readline still delivers lines it had buffered after close(): ignore everything after `exit`
      if (closed) return;
      const text = line.trim();
      if (EXIT.has(text.toLowerCase())) {
        closed = true;
        rl.close();
        return;
      }
      pending = pending.then(async () => {
        if (text) output.write(`${renderReply(await answer(handler, context, text), render)}\n\n`);
        if (interactive && !closed) rl.prompt();
      });
    });
    rl.on('close', () => {
      closed = true;
      void pending.then(() => resolve());
    });
  });
}
