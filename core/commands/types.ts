/**
A parsed console command. The parser produces these from typed lines; the console
controller executes them. Every field is already validated: ids are integers,
durations are milliseconds, statuses are 100–599, header names and values are free
of CR, LF and NUL.
*/
export type Command =
  | {
      readonly name: 'send';
      /** Lines of one event, joined with "\n" (repeated --data and/or positional TEXT). */
      readonly data: string;
      readonly event?: string;
      /** --id: assign the next id and store for replay; --id=ID: store under this id (a decimal integer becomes a number). */
      readonly id: boolean | string | number;
      readonly retry?: number;
      /** --json: data was checked to be JSON. */
      readonly json: boolean;
      /** --to CONN: send to one connection only, never stored. */
      readonly to?: number;
      /** --file PATH: the data is this file's content, read when the command runs (`data` is empty). */
      readonly file?: string;
      /** --channel NAME: send on /events/NAME instead of /events. */
      readonly channel?: string;
    }
  | { readonly name: 'comment'; readonly text: string }
  | { readonly name: 'retry'; readonly ms: number }
  | {
      readonly name: 'every';
      readonly intervalMs: number;
      /**
      The command to repeat, as tokens. Placeholders {n} (tick number from 1),
      {time} (HH:MM:SS), {iso} (ISO timestamp) and {date} (locale date and time)
      are substituted inside each token at every tick, then the tokens are parsed.
      */
      readonly tokens: readonly string[];
      /** The repeated command as the user typed it, for `jobs`. */
      readonly source: string;
    }
  | { readonly name: 'jobs' }
  | { readonly name: 'stop'; readonly job: number | 'all' | 'script' }
  | { readonly name: 'close'; readonly target: number | 'all' }
  | {
      readonly name: 'respond';
      readonly status: number;
      readonly headers: readonly (readonly [string, string])[];
      readonly once: boolean;
    }
  | { readonly name: 'respond-reset' }
  | { readonly name: 'conns' }
  | { readonly name: 'history'; readonly action: 'show'; readonly channel?: string }
  | { readonly name: 'history'; readonly action: 'clear'; readonly channel?: string }
  | { readonly name: 'history'; readonly action: 'save' | 'load'; readonly file: string }
  | { readonly name: 'pages' }
  | { readonly name: 'open'; readonly page?: string }
  | { readonly name: 'raw'; readonly on: boolean }
  | { readonly name: 'clear' }
  /** `filter WORD…`: only activity lines of these kinds or with this text; `filter off` (empty words) ends it; no words shows it. */
  | { readonly name: 'filter'; readonly words: readonly string[] | 'off' | 'show' }
  | { readonly name: 'pause' }
  | { readonly name: 'resume' }
  | { readonly name: 'help'; readonly topic?: string }
  | { readonly name: 'quit' }
  | {
      readonly name: 'connect';
      readonly url: string;
      readonly headers: readonly (readonly [string, string])[];
      readonly lastEventId?: string;
      /** GET unless --method or --data says otherwise. */
      readonly method?: string;
      /** --data: the text, or the file to read the body from (`@FILE`). */
      readonly body?: { readonly text: string } | { readonly file: string };
      readonly insecure?: boolean;
      /** --reconnect: also reconnect after a non-GET request. */
      readonly reconnect?: boolean;
    }
  | { readonly name: 'disconnect' }
  | {
      readonly name: 'replay';
      /** A recording made with `connect URL --record FILE`. */
      readonly file: string;
      /** Playback speed: 2 plays twice as fast. */
      readonly speed: number;
      readonly loop: boolean;
    }
  | { readonly name: 'tour'; readonly action: 'start' | 'next' | 'stop' }
  | { readonly name: 'source'; readonly file: string };

export type CommandName = Command['name'];

/** Parser result: a command, or one line that says what was wrong and the valid form. */
export type ParseResult =
  { readonly ok: true; readonly command: Command } | { readonly ok: false; readonly error: string };
