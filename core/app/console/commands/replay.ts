import type { ParsedArgs } from '../../commands/args.js';
import { done, fail, type BuildContext, type BuildResult, type CommandModule } from './command-module.js';
import type { ConsoleContext } from './console-context.js';
import { usageError } from '../../commands/args.js';
import { flagValue, hasFlag, word } from '../../commands/arg-values.js';
import { shown } from '../../commands/messages.js';
import { startReplay } from '../replay-job.js';
import { sendEvent } from '../send-event.js';

export interface ReplayCommand {
  readonly name: 'replay';
  /** A recording made with `connect URL --record FILE`. */
  readonly file: string;
  /** Playback speed: 2 plays twice as fast. */
  readonly speed: number;
  readonly loop: boolean;
}

function build(args: ParsedArgs, { spec }: BuildContext): BuildResult<ReplayCommand> {
  const file = word(args, 0) ?? '';
  if (file === '') return fail(usageError(spec, 'FILE is the recording to play, e.g. replay stream.jsonl'));
  const speedText = flagValue(args, 'speed');
  const speed = speedText === undefined ? 1 : /^\d+(\.\d+)?$|^\.\d+$/.test(speedText) ? Number(speedText) : Number.NaN;
  if (!(speed >= 0.01 && speed <= 1000)) {
    return fail(
      usageError(spec, `--speed expects a number from 0.01 to 1000, like 2 or 0.5; got ${shown(speedText ?? '')}`),
    );
  }
  return done({ name: 'replay', file, speed, loop: hasFlag(args, 'loop') });
}

function run(command: ReplayCommand, context: ConsoleContext): void {
  startReplay({
    file: command.file,
    speed: command.speed,
    loop: command.loop,
    source: `replay ${command.file}${command.speed === 1 ? '' : ` --speed ${command.speed}`}${command.loop ? ' --loop' : ''}`,
    sse: context.sse,
    send: (input) => sendEvent(context, context.sse, input),
    jobs: context.jobs,
    emit: context.emit,
    changed: context.changed,
  });
}

export const replayCommand: CommandModule<ReplayCommand> = {
  spec: {
    name: 'replay',
    summary: 'Send a recorded stream to the connected clients with its original timing',
    usage: 'replay FILE [--speed N] [--loop]',
    positionals: [{ name: 'FILE', description: 'a recording made with sse-console connect URL --record FILE' }],
    flags: [
      { name: 'speed', value: 'N', description: 'Play N times as fast (0.01 to 1000; default 1)' },
      { name: 'loop', description: 'Start over after the last event, until `stop JOB`' },
    ],
    examples: ['replay stream.jsonl', 'replay stream.jsonl --speed 10 --loop'],
    explanation: [
      'Record a production stream with `sse-console connect URL --record stream.jsonl`, then play it here to a local front end: each event is sent to every connected client with the gaps it arrived with (divided by --speed). The replay is a job: `jobs` lists it and `stop JOB` ends it.',
      'Events that carried an id are sent with that id and stored for replay, so a page that reconnects with Last-Event-ID resumes after it (an id sent again, as with --loop, points at the newer event); events without an id are sent and not stored. A recorded `retry:` is sent as it was.',
      "A block that had only an id (no event fires, but the page's last event ID changes) is sent as such, and an event whose `id:` was empty clears the page's last event ID before it arrives, as against the original server; neither is stored, since there is no event to resume after.",
      "Any gap is waited for, however long --speed makes it (waits beyond a timer's 24.8 days are made in steps); a gap of more than 30 days between two recorded lines is a clock that jumped (or a storedAt written by hand), so it is played 1s after the line before, with a warning that names the line.",
    ],
  },
  repeatable: false,
  build,
  run,
};
