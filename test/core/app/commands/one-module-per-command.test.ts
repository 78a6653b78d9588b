import { describe, expect, it } from 'vitest';
import type { CommandModule } from '../../../../core/app/console/commands/command-module.js';
import { createCommandLanguage } from '../../../../core/app/commands/index.js';
import { COMMAND_MODULES } from '../../../../core/app/console/commands/list.js';
import { createConsoleController } from '../../../../core/app/console/create-console-controller.js';
import { createSse } from '../../../../core/stream/create-sse.js';

/*
The "one file plus the list" property: a command that exists only as a module in
the list is parsed, listed and explained by help, offered by Tab completion (also
after `every`), rendered in the README reference and run by the controller.
*/

interface PingCommand {
  readonly name: 'ping';
  readonly loud: boolean;
  readonly text: string;
}

const ping: CommandModule<PingCommand> = {
  spec: {
    name: 'ping',
    summary: 'Answer pong (a command that exists only in this test)',
    usage: 'ping [TEXT…] [--loud]',
    positionals: [{ name: 'TEXT', description: 'what to echo', optional: true, variadic: true }],
    flags: [{ name: 'loud', short: 'l', description: 'Shout the answer' }],
    examples: ['ping', 'ping --loud hello'],
    explanation: ({ notRepeatable }) => [`A test command; every may not repeat ${notRepeatable.length} commands.`],
  },
  repeatable: true,
  build: (args) => ({
    ok: true,
    command: {
      name: 'ping',
      loud: args.flags.has('loud'),
      text: args.positionals.map((piece) => piece.value).join(' '),
    },
  }),
  run: (command, context) => {
    const answer = `pong ${command.text}`.trim();
    context.emit('output', command.loud ? answer.toUpperCase() : answer);
  },
};

// The console's list plus one line: a language is built from the list it is handed.
const commands = createCommandLanguage([...COMMAND_MODULES, ping]);

describe('a command is one module plus one line in the list', () => {
  it('is parsed, with its flags checked against its spec', () => {
    expect(commands.parseCommandLine('ping --loud hi there')).toEqual({
      ok: true,
      command: { name: 'ping', loud: true, text: 'hi there' },
    });
    expect(commands.parseCommandLine('ping --quiet')).toEqual({
      ok: false,
      error: expect.stringMatching(/^ping: unknown flag "--quiet"; its flags are --loud \(-l\)/) as unknown,
    });
    expect(commands.parseCommandLine('ping --help')).toEqual({ ok: true, command: { name: 'help', topic: 'ping' } });
  });

  it('is listed and explained by help, and rendered in the README reference', () => {
    expect(commands.helpLines()).toContainEqual(expect.stringMatching(/^ {2}ping +Answer pong/));
    const details = commands.helpLines('ping');
    expect(details[0]).toBe('ping — Answer pong (a command that exists only in this test)');
    expect(details).toContain(`A test command; every may not repeat ${commands.notRepeatable.length} commands.`);
    expect(commands.referenceMarkdown()).toContain('### ping\n\nAnswer pong');
  });

  it('is offered by Tab completion, its flags too, and `every` may repeat it', () => {
    expect(commands.complete('pi').candidates).toEqual(['ping']);
    expect(commands.complete('ping --l').candidates).toEqual(['--loud']);
    expect(commands.complete('every 1s pi').candidates).toEqual(['ping']);
    expect(commands.parseCommandLine('every 1s ping {n}')).toMatchObject({ ok: true, command: { name: 'every' } });
  });

  it('is run by the console controller', async () => {
    const sse = createSse();
    const controller = createConsoleController({
      sse,
      sseUrl: 'http://127.0.0.1:1/',
      pagesUrl: 'http://127.0.0.1:2/',
      language: commands,
    });
    const lines: string[] = [];
    controller.onLog((entry) => lines.push(`${entry.kind} ${entry.text}`));
    controller.execute('ping --loud hello');
    expect(lines).toEqual(['command ping --loud hello', 'output PONG HELLO']);
    await controller.dispose();
    sse.stop();
  });
});
