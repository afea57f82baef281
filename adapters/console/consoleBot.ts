import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Reply } from '../../src/commands/reply.ts';
import type { Engine } from '../../src/engine/engine.ts';
import type { PlatformAdapter, PostResult, PostTarget, ThreadResult } from '../../src/engine/port.ts';
import type { EngineRequest } from '../../src/engine/request.ts';
import { renderReply } from './render.ts';

export interface ConsoleAdapterOptions {
  input: Readable;
  output: Writable;
  /** Show a prompt and use ANSI bold (a terminal). */
  interactive: boolean;
  /** Read commands from `input` (a terminal, or `--commands`); without, the console only prints what is posted. */
  readCommands: boolean;
  /** The terminal's locale (`LANG`); null: the destination's language. */
  locale?: string | null;
  /** A greeting printed before the first prompt. */
  greeting?: string | null;
}

const EXIT = new Set(['exit', 'quit', ':q', '/exit', '/quit']);

/** The console's one channel, where its commands run and its digests go: the console user manages it. */
export const CONSOLE_TARGET: PostTarget = {
  key: 'console:local',
  kind: 'channel',
  platform: 'console',
  workspace: 'local',
  channel: 'local',
  user: null,
};

/**
 * The console adapter: the same `/news …` commands as Slack and Discord, typed at a prompt, with no tokens; a
 * line without a leading slash is taken as `/news <line>`. Digests posted to it are printed.
 */
export class ConsoleAdapter implements PlatformAdapter {
  readonly name = 'console';
  readonly idempotentPostsMs = 0;
  private rl: Interface | null = null;
  private posted = 0;
  private closed = false;
  /** Answers may wait for a language model: they are chained so that replies come out in the order asked. */
  private pending: Promise<void> = Promise.resolve();
  private endOfInput!: () => void;
  /** Resolves when the input ends or the user types `exit` (after the last answer is written). */
  readonly inputClosed: Promise<void> = new Promise((resolve) => {
    this.endOfInput = resolve;
  });

  constructor(private readonly options: ConsoleAdapterOptions) {}

  async start(engine: Engine): Promise<void> {
    const { input, output, interactive, readCommands } = this.options;
    if (!readCommands) {
      this.endOfInput();
      return;
    }
    if (this.options.greeting) output.write(`${this.options.greeting}\n`);
    const rl = createInterface({ input, output: interactive ? output : undefined, terminal: interactive });
    this.rl = rl;
    if (interactive) {
      rl.setPrompt('news> ');
      rl.prompt();
    }
    rl.on('line', (line) => {
      // readline still delivers lines it had buffered after close(): ignore everything after `exit`
      if (this.closed) return;
      const text = line.trim();
      if (EXIT.has(text.toLowerCase())) {
        this.closed = true;
        rl.close();
        return;
      }
      this.pending = this.pending.then(async () => {
        if (text) this.write(await engine.handle(this.request(text)));
        if (interactive && !this.closed) rl.prompt();
      });
    });
    rl.on('close', () => {
      this.closed = true;
      void this.pending.then(() => this.endOfInput());
    });
  }

  async stop(): Promise<void> {
    this.closed = true;
    this.rl?.close();
    await this.pending;
  }

  async post(_target: PostTarget, reply: Reply): Promise<PostResult> {
    this.write(reply);
    this.posted++;
    return { ok: true, messageId: `console-${this.posted}` };
  }

  /** The console has no threads: a thread's replies print after its parent. */
  async openThread(_target: PostTarget, parentMessageId: string): Promise<ThreadResult> {
    return { ok: true, threadId: parentMessageId };
  }

  isConnected(): boolean {
    return true;
  }

  private request(text: string): EngineRequest {
    return {
      platform: CONSOLE_TARGET.platform,
      workspace: CONSOLE_TARGET.workspace,
      channel: CONSOLE_TARGET.channel,
      user: 'console',
      locale: this.options.locale ?? null,
      isManager: true,
      text,
    };
  }

  private write(reply: Reply): void {
    this.options.output.write(`${renderReply(reply, { color: this.options.interactive })}\n\n`);
  }
}

/** The terminal's language from `LC_ALL`, `LC_MESSAGES` or `LANG` (`ko_KR.UTF-8` → `ko_KR`); null for C/POSIX. */
export function terminalLocale(env: Record<string, string | undefined>): string | null {
  const value = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  const locale = value.split('.')[0] ?? '';
  return locale && locale !== 'C' && locale !== 'POSIX' ? locale : null;
}
