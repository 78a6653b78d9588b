import { readRequestBodyFile } from '../core/app/connect/read-request-body-file.js';
import { errorMessage } from '../core/app/console/error-message.js';
import { LINE_COLUMNS, showLine } from '../core/terminal/terminal-text.js';

/** What `-d/--data` gave `connect`, `doctor` and `bench`: the body as typed, or a file to read it from (`@FILE`). */
export type RequestData = { readonly text: string } | { readonly file: string } | undefined;

/**
A usage error of `sse-console SUBCOMMAND`, for stderr: the message quotes what was
typed, so each of its lines is cut and escaped.
*/
export function usageErrorText(subcommand: string, message: string): string {
  const lines = message.split('\n').map((line) => showLine(line, LINE_COLUMNS));
  return `sse-console ${subcommand}: ${lines.join('\n')}\n`;
}

/** The request body `-d` names: the text, or the file's bytes; an error message when the file cannot be read. */
export async function requestBody(
  data: RequestData,
): Promise<{ readonly body: string | Uint8Array | undefined } | { readonly error: string }> {
  if (data === undefined) return { body: undefined };
  if ('text' in data) return { body: data.text };
  try {
    return { body: await readRequestBodyFile(data.file) };
  } catch (error) {
    return { error: errorMessage(error) };
  }
}
