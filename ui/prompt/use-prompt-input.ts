import { useInput, type Key } from 'ink';
import { useCallback, useRef } from 'react';
import type { Completion } from '../../core/app/console/types.js';
import { findKeyAction, type KeyAction } from '../key-bindings.js';
import { holdsSeveralKeys, splitKeyChunk } from './key-chunk.js';
import type { PromptAction, PromptStateHandle } from './use-prompt-state.js';

/** Key actions the app handles itself (quitting, the help overlay). */
export type AppKeyAction = Extract<
  KeyAction,
  'quit' | 'help-open' | 'help-close' | 'help-scroll-up' | 'help-scroll-down' | 'help-page-up' | 'help-page-down'
>;

export interface PromptInputOptions {
  readonly prompt: PromptStateHandle;
  /** Which bindings apply: the prompt's or the help overlay's. */
  readonly mode: 'prompt' | 'help';
  /** Runs a submitted line (the prompt is already cleared). */
  readonly onSubmit: (line: string) => void;
  /** Completion candidates for the line at the cursor. */
  readonly complete: (line: string, cursor: number) => Completion;
  readonly onAppAction: (action: AppKeyAction) => void;
  /** False stops listening to keys. Default true. */
  readonly isActive?: boolean;
}

/** Key actions that are exactly one prompt-state action. */
const editActions = {
  'history-up': { type: 'history-up' },
  'history-down': { type: 'history-down' },
  'cursor-left': { type: 'cursor-left' },
  'cursor-right': { type: 'cursor-right' },
  'cursor-home': { type: 'cursor-home' },
  'cursor-end': { type: 'cursor-end' },
  'delete-back': { type: 'delete-back' },
  'delete-forward': { type: 'delete-forward' },
  'clear-line': { type: 'clear-line' },
  'delete-word': { type: 'delete-word' },
  'dismiss-hint': { type: 'dismiss-hint' },
} as const satisfies Partial<Record<KeyAction, PromptAction>>;

function isEditAction(action: KeyAction): action is keyof typeof editActions {
  return Object.hasOwn(editActions, action);
}

/**
Maps keys to prompt actions through the key-binding table. Text that is not a bound
key is inserted; a paste that carries line breaks runs each finished line, as a shell
does.
*/
export function usePromptInput(options: PromptInputOptions): void {
  const latest = useRef(options);
  latest.current = options;

  // One stable handler reading the newest options, so Ink subscribes once rather
  // than on every render.
  const handleInput = useCallback((input: string, key: Key): void => {
    if (!key.ctrl && !key.meta && holdsSeveralKeys(input)) {
      // Several keys in one read: each is handled as if it had come alone.
      for (const part of splitKeyChunk(input)) handleInput(part.input, { ...key, ctrl: part.ctrl });
      return;
    }
    const { prompt, mode, onSubmit, complete, onAppAction } = latest.current;
    const submit = (): void => {
      const line = prompt.current().value;
      prompt.dispatch({ type: 'submit' });
      onSubmit(line);
    };
    const action = findKeyAction(input, key, { mode, promptEmpty: prompt.current().value === '' });
    if (action === undefined) {
      // Unbound Ctrl/Alt combinations and keys in the help overlay do nothing.
      if (mode !== 'prompt' || key.ctrl || key.meta) return;
      const lines = input.split(/\r\n|\r|\n/);
      lines.forEach((line, index) => {
        prompt.dispatch({ type: 'insert', text: line });
        if (index < lines.length - 1) submit();
      });
      return;
    }
    if (isEditAction(action)) {
      prompt.dispatch(editActions[action]);
      return;
    }
    switch (action) {
      case 'submit':
        submit();
        return;
      case 'complete': {
        const { value, cursor } = prompt.current();
        prompt.dispatch({ type: 'complete', completion: complete(value, cursor) });
        return;
      }
      default:
        onAppAction(action);
    }
  }, []);

  useInput(handleInput, { isActive: options.isActive ?? true });
}
