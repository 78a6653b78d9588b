import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseLessonScript, type ParseLine, type ScriptStep } from './lesson-script.js';
import { readTextFile } from './read-text-file.js';

/** Lesson scripts are read whole; 1 MiB is thousands of lines. */
const MAX_SCRIPT_BYTES = 1024 * 1024;

/** The extension of the lessons shipped in demo-pages/lessons. */
const LESSON_EXTENSION = '.txt';

export type LoadedLesson =
  | { readonly ok: true; readonly file: string; readonly steps: readonly ScriptStep[] }
  | { readonly ok: false; readonly errors: readonly string[] };

/**
Finds and checks a lesson script. `name` is a path; when no file is there and it is a
bare name (`reconnect`), the lesson of that name in `lessonsDir` is used, so the
shipped lessons run without knowing where the package is installed. `parseLine`
checks each command line.
*/
export function loadLesson(name: string, lessonsDir: string | undefined, parseLine: ParseLine): LoadedLesson {
  let file = name;
  if (!existsSync(name) && lessonsDir !== undefined && /^[a-z0-9][a-z0-9-]*$/i.test(name)) {
    const shipped = join(lessonsDir, `${name}${LESSON_EXTENSION}`);
    if (existsSync(shipped)) file = shipped;
  }
  const read = readTextFile(file, MAX_SCRIPT_BYTES);
  if (!read.ok) return { ok: false, errors: [read.error] };
  const parsed = parseLessonScript(read.text, file, parseLine);
  return parsed.ok ? { ok: true, file, steps: parsed.steps } : parsed;
}
