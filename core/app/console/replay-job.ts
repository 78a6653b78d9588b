import type { RecordedLine } from '../connect/stream-recorder.js';
import type { Sse, SseEventInput } from '../../index.js';
import { formatDuration, plural, preview } from './format.js';
import type { JobScheduler } from './jobs.js';
import { readRecordingFile } from './recording-file.js';
import type { LogRecord } from './log-records.js';
import type { LogKind } from './types.js';
import { errorMessage } from './error-message.js';

export interface ReplayOptions {
  readonly file: string;
  readonly speed: number;
  readonly loop: boolean;
  readonly source: string;
  readonly sse: Sse;
  /** Sends one recorded event on `sse` (the console's rule for an asynchronous store); default `sse.sendNewEvent`. */
  readonly send?: (input: SseEventInput) => void;
  readonly jobs: JobScheduler;
  readonly emit: (kind: LogKind, text: string, fields?: LogRecord) => void;
  readonly changed: () => void;
}

/**
With --loop, the pause between the last event and the first again; also the least a
loop takes, so a recording whose events share one time cannot spin.
*/
const LOOP_GAP_MS = 1000;

/**
The longest gap between two recorded lines that is played as recorded (then divided
by --speed; a wait longer than a timer holds is made in steps). A longer one is a
clock that jumped (or a `storedAt` written by hand, such as 1e15): waiting it would
leave the job asleep for months or millennia, so it is played JUMP_GAP_MS after.
*/
const MAX_RECORDED_GAP_MS = 30 * 86_400_000;
const JUMP_GAP_MS = 1000;
/** Jumps described one by one; the rest are counted. */
const JUMPS_DESCRIBED = 3;

/** A duration in the largest unit that reads well: 150ms, 2m, 29.2 days, 31,659 years. */
function longDuration(ms: number): string {
  const days = ms / 86_400_000;
  if (days >= 365) return `${Math.round(days / 365.25).toLocaleString('en')} years`;
  if (days >= 2) return `${Number(days.toFixed(1))} days`;
  return formatDuration(Math.round(ms));
}

/**
The console's `replay FILE`: reads a recording (`connect URL --record FILE`) and plays
it to every connected client as a job, each event after the gap it arrived with,
divided by the speed. Reading is asynchronous; errors are one log line.
*/
export function startReplay(options: ReplayOptions): void {
  const { file, speed, loop, sse, jobs, emit, changed } = options;
  readRecordingFile(file).then(
    ({ lines, problems, skipped }) => {
      for (const problem of problems) emit('warn', `replay ${file}: skipped ${problem}`);
      if (skipped > problems.length)
        emit('warn', `replay ${file}: skipped ${skipped - problems.length} more bad lines`);
      play(lines);
    },
    (error: unknown) => {
      emit('error', `replay: ${errorMessage(error)}`);
      changed();
    },
  );

  function play(lines: readonly RecordedLine[]): void {
    // Gaps in recorded order; a clock that went backwards counts as no gap, and one
    // that jumped ahead by more than MAX_RECORDED_GAP_MS is not waited for.
    let jumps = 0;
    const gaps = lines.map((line, index) => {
      if (index === 0) return 0;
      const gap = Math.max(0, line.storedAt - (lines[index - 1]?.storedAt ?? line.storedAt));
      if (gap <= MAX_RECORDED_GAP_MS) return gap / speed;
      jumps += 1;
      if (jumps <= JUMPS_DESCRIBED) {
        emit(
          'warn',
          `replay ${file}: line ${index + 1} was recorded ${longDuration(gap)} after the one before it (storedAt ${line.storedAt}); a gap over ${longDuration(MAX_RECORDED_GAP_MS)} is a clock that jumped, so it is played ${formatDuration(JUMP_GAP_MS)} after`,
        );
      }
      return JUMP_GAP_MS;
    });
    if (jumps > JUMPS_DESCRIBED) {
      emit(
        'warn',
        `replay ${file}: ${jumps - JUMPS_DESCRIBED} more gaps over ${longDuration(MAX_RECORDED_GAP_MS)} played ${formatDuration(JUMP_GAP_MS)} apart`,
      );
    }
    const durationMs = gaps.reduce((sum, gap) => sum + gap, 0);
    const job = jobs.startTimeline(0, options.source, (n) => {
      const index = (n - 1) % lines.length;
      const line = lines[index];
      if (line !== undefined) {
        try {
          send(line);
        } catch (error) {
          // A send the stream refuses (the history file's disk is full) ends the replay, in words.
          emit('job', `job ${job.id} stopped at recorded line ${index + 1}: ${errorMessage(error)}`);
          changed();
          return undefined;
        }
      }
      if (index + 1 < lines.length) return gaps[index + 1];
      if (!loop) {
        emit(
          'job',
          `job ${job.id} finished: replayed ${lines.length} recorded line${lines.length === 1 ? '' : 's'} from ${file}`,
        );
        changed();
        return undefined;
      }
      return LOOP_GAP_MS;
    });
    emit(
      'job',
      `job ${job.id} started: replay ${file}: ${lines.length} recorded line${lines.length === 1 ? '' : 's'} over ${longDuration(durationMs)}${speed === 1 ? '' : ` (speed ${speed})`}${loop ? ', looping' : ''} (\`stop ${job.id}\` ends it)`,
    );
    changed();
  }

  function send(line: RecordedLine): void {
    // A block with only an id, or an event whose `id:` was empty, changed the page's
    // last event ID: the same goes out as a block with only that id (nothing is stored:
    // an empty id names nothing to resume from), so a page resumes from what it would
    // against the original server.
    if (line.id !== undefined && (line.id === '' || (line.data === undefined && line.retry === undefined))) {
      const count = sse.sendIdOnly(line.id);
      if (line.data === undefined && line.retry === undefined) {
        emit(
          'send',
          `sent a block with only id ${JSON.stringify(preview(line.id, 40))} to ${plural(count, 'connection')} (no event fires; a page's last event ID is now that id)`,
        );
        return;
      }
    }
    (options.send ?? ((input: SseEventInput) => sse.sendNewEvent(input)))({
      ...(line.data === undefined ? {} : { data: line.data }),
      ...(line.event === undefined ? {} : { event: line.event }),
      ...(line.retry === undefined ? {} : { retry: line.retry }),
      // A recorded id is kept as it was sent (the browser resumes by it).
      ...(line.id === undefined || line.id === '' ? {} : { id: line.id }),
    });
  }
}
