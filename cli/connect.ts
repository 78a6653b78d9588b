import { requestBody, usageErrorText } from './subcommand-io.js';
import { createSseClient, type SseClient, type SseCloseInfo } from '../core/client/index.js';
import { describeNonEventSourceRequest } from '../core/app/connect/non-event-source-request.js';
import { requestSemantics } from '../core/app/connect/non-event-source-request.js';
import { openStreamRecorder } from '../core/app/connect/stream-recorder.js';
import type { StreamRecorder } from '../core/app/connect/stream-recorder.js';
import { LINE_COLUMNS, showLine } from '../core/terminal/terminal-text.js';
import { parseConnectArgs } from './connect-args.js';
import type { ConnectOptions } from './connect-args.js';
import { CONNECT_HELP } from './connect-help.js';
import { createConnectPrinter } from './connect-printer.js';
import type { ConnectEndReason } from './connect-json.js';
import { connectColorLevel, createPalette } from './connect-style.js';
import type { ColorContext } from '../core/app/console/color-rule.js';
import { errorMessage } from '../core/app/console/error-message.js';
import { STOP_SIGNALS, onStopSignal, stoppedBy, type StopSignal } from './stop-signals.js';

export interface ConnectIo {
  /** A terminal's stdout also says whether it is one and how many colours it has. */
  readonly stdout: NodeJS.WritableStream & ColorContext['stream'];
  readonly stderr: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
  /** Aborting it acts like Ctrl+C (for embedding and tests); SIGINT and SIGTERM are always handled. */
  readonly signal?: AbortSignal;
}

const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE_OR_TIMEOUT = 2;

/**
`sse-console connect URL [flags]`: inspect any SSE endpoint the way a browser takes it.
`argv` is the arguments after `connect` (a leading `connect` is skipped). Resolves to
the exit code; see CONNECT_HELP for what each code means. Loads no UI code.
*/
export async function runConnect(argv: string[], io: ConnectIo): Promise<number> {
  const args = parseConnectArgs(argv);
  if (args.kind === 'help') {
    io.stdout.write(CONNECT_HELP);
    return EXIT_OK;
  }
  if (args.kind === 'error') {
    io.stderr.write(usageErrorText('connect', args.message));
    return EXIT_USAGE_OR_TIMEOUT;
  }
  const read = await requestBody(args.options.data);
  if ('error' in read) {
    io.stderr.write(`sse-console connect: ${read.error}\n`);
    return EXIT_USAGE_OR_TIMEOUT;
  }
  const { body } = read;
  let recorder: StreamRecorder | undefined;
  // A recording that stops (a full disk) ends the run: what was asked for cannot be done.
  const recording: RecordingFailure = {};
  if (args.options.recordFile !== undefined) {
    try {
      recorder = openStreamRecorder(args.options.recordFile, (message) => recording.failed?.(message));
    } catch (error) {
      io.stderr.write(`sse-console connect: ${errorMessage(error)}\n`);
      return EXIT_USAGE_OR_TIMEOUT;
    }
    if (recorder.replaces) {
      io.stderr.write(
        `sse-console connect: ${JSON.stringify(args.options.recordFile)} exists; the recording replaces it when the first event arrives\n`,
      );
    }
  }
  let exitCode: number;
  try {
    exitCode = await connectAndShow(args.options, body, recorder, recording, io);
  } catch (error) {
    recorder?.close();
    throw error;
  }
  const closed = recorder?.close();
  if (closed?.message !== undefined) io.stderr.write(`sse-console connect: ${closed.message}\n`);
  if (closed?.ok === false) exitCode = EXIT_FAILED;
  return exitCode;
}

/** Where a recording that stopped reports to the run in progress. */
interface RecordingFailure {
  failed?: (message: string) => void;
}

function connectAndShow(
  options: ConnectOptions,
  body: string | Uint8Array | undefined,
  recorder: StreamRecorder | undefined,
  recording: RecordingFailure,
  io: ConnectIo,
): Promise<number> {
  const palette = createPalette(connectColorLevel(io.stdout, io.env, options.noColor));
  // Once the output is gone (`connect … | head` closed the pipe: EPIPE) nothing more is
  // written; the command ends quietly with 0, as a filter in a pipeline should.
  let outputOpen = true;
  const write = (text: string): void => {
    if (outputOpen) io.stdout.write(text);
  };
  const printer = createConnectPrinter({
    write,
    palette,
    json: options.json,
    raw: options.raw,
    semantics: requestSemantics(options.method, body !== undefined),
  });
  const wanted = new Set(options.eventTypes);

  return new Promise<number>((resolve) => {
    let eventsShown = 0;
    let done = false;
    let client: SseClient | undefined;
    let timeoutTimer: ReturnType<typeof setTimeout> | undefined;

    const onStop = (signal: StopSignal): void => end(STOP_SIGNALS[signal], 'interrupted', stoppedBy(signal));
    const onInterrupt = (): void => onStop('SIGINT');
    let offStopSignals = (): void => {};
    // Stays attached after the end: writes already queued may still fail with EPIPE, and
    // an 'error' event without a listener would crash the process with a stack trace.
    const onOutputError = (): void => {
      outputOpen = false;
      end(EXIT_OK, 'output-closed', 'the output was closed');
    };
    io.stdout.on('error', onOutputError);

    function end(exitCode: number, reason: ConnectEndReason, message: string): void {
      if (done) return;
      done = true;
      if (timeoutTimer !== undefined) clearTimeout(timeoutTimer);
      offStopSignals();
      io.signal?.removeEventListener('abort', onInterrupt);
      client?.close();
      if (reason !== 'output-closed') printer.closed({ reason, message, events: eventsShown, exitCode });
      if (reason !== 'interrupted' && exitCode !== EXIT_OK) {
        io.stderr.write(`sse-console connect: ${showLine(message, LINE_COLUMNS)}\n`);
      }
      resolve(exitCode);
    }

    recording.failed = (message) => end(EXIT_FAILED, 'failed', message);

    const reconnectOff = options.reconnectGiven
      ? '--no-reconnect is on'
      : `reconnecting is off for a ${options.method.toUpperCase()} request; --reconnect turns it on`;

    function onClientClosed(info: SseCloseInfo): void {
      if (info.reason === 'failed') {
        end(EXIT_FAILED, 'failed', info.message);
      } else if (info.reason === 'ended') {
        if (options.maxEvents !== undefined && eventsShown < options.maxEvents) {
          end(
            EXIT_FAILED,
            'ended',
            `the server ended the stream after ${countEvents(eventsShown)}, before the ${options.maxEvents} asked for by --max-events (and ${reconnectOff})`,
          );
        } else {
          end(EXIT_OK, 'ended', `the server ended the stream after ${countEvents(eventsShown)} (${reconnectOff})`);
        }
      }
    }

    // Time to first event, per connection: from its request (the first now; a reconnect's
    // when its wait ends) to its first event, whatever --event shows.
    let requestAt = performance.now();
    let openedAt: number | undefined;
    let attempt = 1;
    const timeFirstEvent = (time: Date): void => {
      if (openedAt === undefined) return;
      const now = performance.now();
      printer.firstEvent({
        time,
        attempt,
        ms: Math.round(now - requestAt),
        openMs: Math.round(openedAt - requestAt),
      });
      openedAt = undefined;
    };

    try {
      client = createSseClient({
        url: options.url,
        headers: options.headers,
        ...(options.lastEventId === undefined ? {} : { lastEventId: options.lastEventId }),
        reconnect: options.reconnect,
        method: options.method,
        ...(body === undefined ? {} : { body }),
        insecure: options.insecure,
        strictCharset: options.strict,
        ...(options.maxBufferSize === undefined ? {} : { maxBufferSize: options.maxBufferSize }),
        onConnect: (info) => {
          openedAt = performance.now();
          attempt = info.attempt;
          printer.open(info);
        },
        onEvent: (event) => {
          if (done) return;
          timeFirstEvent(event.time);
          // Every event is recorded, whatever --event shows: a recording is the stream.
          recorder?.event(event, event.time);
          if (done) return; // the recording failed, and that ended the run
          if (wanted.size > 0 && !wanted.has(event.event)) return;
          eventsShown += 1;
          printer.event(event);
          if (options.maxEvents !== undefined && eventsShown >= options.maxEvents) {
            end(EXIT_OK, 'max-events', `${countEvents(eventsShown)} received (--max-events ${options.maxEvents})`);
          }
        },
        onIdOnly: (id, time) => {
          if (done) return;
          // Recorded as it came: replayed, it moves a page's last event ID the same way.
          recorder?.idOnly(id, time);
          printer.idOnly(id, time);
        },
        onComment: printer.comment,
        onRetry: (retryMs, time) => {
          recorder?.retry(retryMs, time);
          if (done) return;
          printer.retry(retryMs, time);
        },
        onIgnoredLine: printer.ignored,
        onError: (error) => {
          // What the server answered comes first, whatever the output: the run ends next.
          if (error.response !== undefined) printer.rejected(error.response, error.time);
          // A fatal error ends the run and is said once, on stderr, by end().
          if (!error.fatal || options.json) printer.error(error);
        },
        onReconnecting: (info) => {
          requestAt = performance.now() + info.delayMs;
          openedAt = undefined;
          printer.reconnecting(info);
        },
        onBytes: printer.bytes,
        onClose: onClientClosed,
      });
    } catch (error) {
      end(EXIT_FAILED, 'failed', errorMessage(error));
      return;
    }
    // The client reports asynchronously, so this line still comes first.
    printer.connecting(options.url, options.lastEventId);
    const notice = describeNonEventSourceRequest(options.method, body !== undefined);
    if (notice !== undefined) {
      printer.notice(
        `${notice}; ${options.reconnect ? 'reconnecting is on (--reconnect)' : 'no reconnect when it ends (--reconnect turns it on)'}`,
        new Date(),
      );
    }

    if (options.timeoutMs !== undefined) {
      const timeoutMs = options.timeoutMs;
      timeoutTimer = setTimeout(() => {
        const after = `after ${options.timeoutText ?? `${timeoutMs}ms`}`;
        if (options.maxEvents !== undefined) {
          end(
            EXIT_USAGE_OR_TIMEOUT,
            'timeout',
            `timed out ${after}: ${countEvents(eventsShown)} of the ${options.maxEvents} asked for by --max-events arrived (is the server sending? --raw shows every byte received)`,
          );
        } else if (eventsShown === 0) {
          end(
            EXIT_USAGE_OR_TIMEOUT,
            'timeout',
            `timed out ${after}: no event arrived (is the server sending? --raw shows every byte received)`,
          );
        } else {
          end(
            EXIT_OK,
            'timeout',
            `listened for ${options.timeoutText ?? `${timeoutMs}ms`}: ${countEvents(eventsShown)} received`,
          );
        }
      }, timeoutMs);
    }

    offStopSignals = onStopSignal(onStop);
    if (io.signal?.aborted === true) onInterrupt();
    io.signal?.addEventListener('abort', onInterrupt, { once: true });
  });
}

function countEvents(count: number): string {
  return `${count} event${count === 1 ? '' : 's'}`;
}
