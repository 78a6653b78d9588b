import { appendPromptHistory } from '../../core/app/prompt-history/prompt-history.js';
import { errorMessage } from '../../core/app/console/error-message.js';

export interface PromptHistoryWriter {
  /** Queue a line to be saved; returns at once. */
  readonly remember: (line: string) => void;
  /** Resolves when every queued line is saved (or has failed). */
  readonly flush: () => Promise<void>;
}

/**
Saves submitted lines to the prompt-history file, one at a time in the order typed
(each save rewrites the file, so two at once could lose a line). The first failure is
reported through `warn`; later ones are not, so a read-only home directory costs one
warning, not one per command (`alreadyWarned`: loading the file failed and said so
already). A failure never reaches the prompt.
*/
export function createPromptHistoryWriter(
  file: string,
  warn: (text: string) => void,
  options: { readonly alreadyWarned?: boolean } = {},
): PromptHistoryWriter {
  let queue: Promise<void> = Promise.resolve();
  let warned = options.alreadyWarned ?? false;
  return {
    remember(line) {
      if (line.trim() === '') return;
      queue = queue
        .then(() => appendPromptHistory(file, line))
        .catch((error: unknown) => {
          if (warned) return;
          warned = true;
          warn(`${errorMessage(error)}; lines typed now are kept for this run only`);
        });
    },
    flush: () => queue,
  };
}
