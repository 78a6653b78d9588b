import { requestBody, usageErrorText } from './subcommand-io.js';
import { diagnose } from '../core/app/doctor/diagnose.js';
import { isProblem } from '../core/app/doctor/finding.js';
import { reportJson, reportText } from '../core/app/doctor/report.js';
import { LINE_COLUMNS, showLine } from '../core/terminal/terminal-text.js';
import { parseDoctorArgs } from './doctor-args.js';
import { DOCTOR_HELP } from './doctor-help.js';
import { STOP_SIGNALS, onStopSignal, type StopSignal } from './stop-signals.js';

export interface DoctorIo {
  readonly stdout: NodeJS.WritableStream & { readonly columns?: number };
  readonly stderr: NodeJS.WritableStream;
  /** Aborting it acts like Ctrl+C (for tests); SIGINT and SIGTERM are always handled. */
  readonly signal?: AbortSignal;
}

const EXIT_OK = 0;
const EXIT_PROBLEMS = 1;
const EXIT_USAGE = 2;
/** Findings read best in rows no wider than this, even in a wide terminal. */
const MAX_REPORT_COLUMNS = 100;

/**
`sse-console doctor URL [flags]`: watch a stream and report what is wrong with it.
Resolves to the exit code (see DOCTOR_HELP). Loads no UI code.
*/
export async function runDoctor(argv: string[], io: DoctorIo): Promise<number> {
  const args = parseDoctorArgs(argv);
  if (args.kind === 'help') {
    io.stdout.write(DOCTOR_HELP);
    return EXIT_OK;
  }
  if (args.kind === 'error') {
    io.stderr.write(usageErrorText('doctor', args.message));
    return EXIT_USAGE;
  }
  const { options } = args;
  const read = await requestBody(options.data);
  if ('error' in read) {
    io.stderr.write(`sse-console doctor: ${read.error}\n`);
    return EXIT_USAGE;
  }
  const { body } = read;
  const interrupt = new AbortController();
  let stopSignal: StopSignal = 'SIGINT'; // io.signal stands for Ctrl+C
  const onSigint = (): void => interrupt.abort();
  const offStopSignals = onStopSignal((signal) => {
    if (!interrupt.signal.aborted) stopSignal = signal;
    interrupt.abort();
  });
  io.signal?.addEventListener('abort', onSigint);
  const seconds = Math.round(options.durationMs / 1000);
  try {
    const diagnosis = await diagnose({
      url: options.url,
      method: options.method,
      headers: options.headers,
      body,
      lastEventId: undefined,
      insecure: options.insecure,
      durationMs: options.durationMs,
      origin: options.origin,
      signal: interrupt.signal,
      onPhase: (phase) => {
        io.stderr.write(
          phase === 'watch'
            ? `sse-console doctor: watching ${showLine(options.url, LINE_COLUMNS)} for up to ${seconds} s (--duration; Ctrl+C stops and reports what was seen)\n`
            : 'sse-console doctor: reconnecting once with a Last-Event-ID to see what a returning client is sent\n',
        );
      },
    });
    const width = Math.min(MAX_REPORT_COLUMNS, io.stdout.columns ?? MAX_REPORT_COLUMNS);
    io.stdout.write(options.json ? reportJson(diagnosis.findings) : reportText(diagnosis.findings, width));
    if (interrupt.signal.aborted) return STOP_SIGNALS[stopSignal];
    return diagnosis.findings.some(isProblem) ? EXIT_PROBLEMS : EXIT_OK;
  } finally {
    offStopSignals();
    io.signal?.removeEventListener('abort', onSigint);
  }
}
