import { useCallback, useRef, useState } from 'react';
import type { Completion } from '../../core/app/console/types.js';
import { promptHistoryLimit, pushPromptHistory } from '../../core/app/prompt-history/prompt-history.js';
import { commonPrefix, insertableText, nextBoundary, previousBoundary, wordStartBefore } from './prompt-text.js';

/** The prompt line being edited, plus the ↑/↓ history and the last completion hint. */
export interface PromptState {
  readonly value: string;
  /** Index into `value` (0 … value.length). */
  readonly cursor: number;
  /** Earlier lines, oldest first. */
  readonly history: readonly string[];
  /** Which history line is shown while walking with ↑/↓; undefined when editing a new line. */
  readonly historyIndex: number | undefined;
  /** The line being typed when ↑ was first pressed, given back by ↓ past the newest. */
  readonly draft: string;
  /** Completion candidates (or "no completions") shown under the prompt until the next edit. */
  readonly hint: string | undefined;
}

export type PromptAction =
  | { readonly type: 'insert'; readonly text: string }
  | { readonly type: 'delete-back' }
  | { readonly type: 'delete-forward' }
  | { readonly type: 'cursor-left' }
  | { readonly type: 'cursor-right' }
  | { readonly type: 'cursor-home' }
  | { readonly type: 'cursor-end' }
  | { readonly type: 'history-up' }
  | { readonly type: 'history-down' }
  /** Apply what the controller's completer answered for the current line and cursor. */
  | { readonly type: 'complete'; readonly completion: Completion }
  /** Clear the line and remember it in the history (the caller runs it). */
  | { readonly type: 'submit' }
  /** Ctrl+U: delete everything before the cursor (the whole line when at its end). */
  | { readonly type: 'clear-line' }
  /** Ctrl+W: delete the word before the cursor. */
  | { readonly type: 'delete-word' }
  | { readonly type: 'dismiss-hint' };

export function createPromptState(history: readonly string[] = []): PromptState {
  return {
    value: '',
    cursor: 0,
    history: history.length > promptHistoryLimit ? history.slice(history.length - promptHistoryLimit) : history,
    historyIndex: undefined,
    draft: '',
    hint: undefined,
  };
}

/** Replaces value and cursor; any edit hides the completion hint. */
function edit(state: PromptState, value: string, cursor: number): PromptState {
  return { ...state, value, cursor, hint: undefined };
}

function moveTo(state: PromptState, cursor: number): PromptState {
  return cursor === state.cursor ? state : { ...state, cursor };
}

function showHistoryLine(state: PromptState, index: number | undefined): PromptState {
  const value = index === undefined ? state.draft : (state.history[index] ?? '');
  return { ...state, historyIndex: index, value, cursor: value.length, hint: undefined };
}

/** Most candidates listed in the hint; the rest are counted. */
const hintedCandidates = 12;

function applyCompletion(state: PromptState, completion: Completion): PromptState {
  const { value, cursor } = state;
  const from = Math.min(Math.max(0, completion.from), cursor);
  const typed = value.slice(from, cursor);
  const before = value.slice(0, from);
  const after = value.slice(cursor);
  const { candidates } = completion;
  const only = candidates.length === 1 ? candidates[0] : undefined;
  if (candidates.length === 0) return { ...state, hint: 'no completions' };
  if (only !== undefined) {
    // A finished word is followed by a space, unless one is already there.
    const space = after.startsWith(' ') ? '' : ' ';
    const nextValue = `${before}${only}${space}${after}`;
    return edit(state, nextValue, from + only.length + 1);
  }
  const prefix = commonPrefix(candidates);
  const shown = candidates.slice(0, hintedCandidates).join('  ');
  const more = candidates.length > hintedCandidates ? `  … ${candidates.length - hintedCandidates} more` : '';
  const hint = `${shown}${more}`;
  if (prefix.length > typed.length && prefix.startsWith(typed)) {
    return { ...edit(state, `${before}${prefix}${after}`, from + prefix.length), hint };
  }
  return { ...state, hint };
}

/** The prompt's state machine: pure, so every key's effect is tested without a terminal. */
export function promptReducer(state: PromptState, action: PromptAction): PromptState {
  const { value, cursor } = state;
  switch (action.type) {
    case 'insert': {
      const text = insertableText(action.text);
      if (text === '') return state;
      return edit(state, value.slice(0, cursor) + text + value.slice(cursor), cursor + text.length);
    }
    case 'delete-back': {
      if (cursor === 0) return state;
      const start = previousBoundary(value, cursor);
      return edit(state, value.slice(0, start) + value.slice(cursor), start);
    }
    case 'delete-forward': {
      if (cursor >= value.length) return state;
      return edit(state, value.slice(0, cursor) + value.slice(nextBoundary(value, cursor)), cursor);
    }
    case 'cursor-left':
      return moveTo(state, previousBoundary(value, cursor));
    case 'cursor-right':
      return moveTo(state, nextBoundary(value, cursor));
    case 'cursor-home':
      return moveTo(state, 0);
    case 'cursor-end':
      return moveTo(state, value.length);
    case 'history-up': {
      if (state.history.length === 0) return state;
      if (state.historyIndex === undefined) {
        return showHistoryLine({ ...state, draft: value }, state.history.length - 1);
      }
      return showHistoryLine(state, Math.max(0, state.historyIndex - 1));
    }
    case 'history-down': {
      if (state.historyIndex === undefined) return state;
      const next = state.historyIndex + 1;
      return showHistoryLine(state, next >= state.history.length ? undefined : next);
    }
    case 'complete':
      return applyCompletion(state, action.completion);
    case 'submit':
      return {
        ...createPromptState(),
        history: pushPromptHistory(state.history, value),
      };
    case 'clear-line':
      return cursor === 0 ? state : edit(state, value.slice(cursor), 0);
    case 'delete-word': {
      const start = wordStartBefore(value, cursor);
      if (start === cursor) return state;
      return edit(state, value.slice(0, start) + value.slice(cursor), start);
    }
    case 'dismiss-hint':
      return state.hint === undefined ? state : { ...state, hint: undefined };
  }
}

export interface PromptStateHandle {
  readonly state: PromptState;
  /** The state after every action applied so far, even before React re-renders. */
  readonly current: () => PromptState;
  readonly dispatch: (action: PromptAction) => void;
}

/**
The prompt state as a hook. Unlike a plain `useReducer`, the newest state is readable
right after `dispatch`: several keys can arrive in one input chunk ("abc" then Enter),
and the Enter handler must see the line the earlier keys built, not the last render's.
*/
export function usePromptState(initialHistory: readonly string[] = []): PromptStateHandle {
  const latest = useRef<PromptState | undefined>(undefined);
  latest.current ??= createPromptState(initialHistory);
  const [state, setState] = useState<PromptState>(latest.current);
  const dispatch = useCallback((action: PromptAction) => {
    const previous = latest.current ?? createPromptState();
    const next = promptReducer(previous, action);
    if (next === previous) return;
    latest.current = next;
    setState(next);
  }, []);
  const current = useCallback(() => latest.current ?? createPromptState(), []);
  return { state, current, dispatch };
}
