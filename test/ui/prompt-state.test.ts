import { describe, expect, it } from 'vitest';
import {
  createPromptState,
  promptReducer,
  type PromptAction,
  type PromptState,
} from '../../ui/prompt/use-prompt-state.js';

/** A state with `value` typed and the cursor at `cursor` (default: the end). */
function typed(value: string, cursor = value.length, history: readonly string[] = []): PromptState {
  return { ...createPromptState(history), value, cursor };
}

function run(state: PromptState, ...actions: PromptAction[]): PromptState {
  return actions.reduce(promptReducer, state);
}

describe('promptReducer: editing', () => {
  it('inserts text at the cursor and moves the cursor after it', () => {
    const state = run(typed('sd', 1), { type: 'insert', text: 'en' });
    expect(state.value).toBe('send');
    expect(state.cursor).toBe(3);
  });

  it('turns tabs into spaces and drops control characters and escape sequences', () => {
    const state = run(typed(''), { type: 'insert', text: 'a\tb\u0007c\u001B[31md\u007F' });
    expect(state.value).toBe('a bcd');
  });

  it('ignores an insert that is only control characters', () => {
    const before = typed('x');
    expect(promptReducer(before, { type: 'insert', text: '\u0001\u001B[A' })).toBe(before);
  });

  it('deletes the character before the cursor', () => {
    const state = run(typed('send', 2), { type: 'delete-back' });
    expect(state).toMatchObject({ value: 'snd', cursor: 1 });
  });

  it('does nothing on delete-back at the start', () => {
    const before = typed('send', 0);
    expect(promptReducer(before, { type: 'delete-back' })).toBe(before);
  });

  it('deletes the character under the cursor', () => {
    const state = run(typed('send', 1), { type: 'delete-forward' });
    expect(state).toMatchObject({ value: 'snd', cursor: 1 });
  });

  it('does nothing on delete-forward at the end', () => {
    const before = typed('send');
    expect(promptReducer(before, { type: 'delete-forward' })).toBe(before);
  });

  it('treats a surrogate pair as one character when deleting and moving', () => {
    const smile = '\u{1F600}';
    let state = typed(`a${smile}b`, 3);
    state = run(state, { type: 'cursor-left' });
    expect(state.cursor).toBe(1);
    state = run(state, { type: 'cursor-right' });
    expect(state.cursor).toBe(3);
    state = run(state, { type: 'delete-back' });
    expect(state).toMatchObject({ value: 'ab', cursor: 1 });
    state = run(typed(`a${smile}b`, 1), { type: 'delete-forward' });
    expect(state.value).toBe('ab');
  });

  it('clear-line deletes everything before the cursor, keeping the rest', () => {
    expect(run(typed('send --id', 5), { type: 'clear-line' })).toMatchObject({ value: '--id', cursor: 0 });
    expect(run(typed('send --id'), { type: 'clear-line' })).toMatchObject({ value: '', cursor: 0 });
  });

  it('delete-word deletes the word before the cursor and the spaces after it', () => {
    expect(run(typed('send --data  '), { type: 'delete-word' })).toMatchObject({ value: 'send ', cursor: 5 });
    expect(run(typed('send --data x', 11), { type: 'delete-word' })).toMatchObject({ value: 'send  x', cursor: 5 });
    const empty = typed('');
    expect(promptReducer(empty, { type: 'delete-word' })).toBe(empty);
  });
});

describe('promptReducer: cursor', () => {
  it('moves left and right within the line, and stops at its ends', () => {
    let state = typed('ab', 1);
    state = run(state, { type: 'cursor-left' });
    expect(state.cursor).toBe(0);
    expect(promptReducer(state, { type: 'cursor-left' })).toBe(state);
    state = run(state, { type: 'cursor-right' }, { type: 'cursor-right' });
    expect(state.cursor).toBe(2);
    expect(promptReducer(state, { type: 'cursor-right' })).toBe(state);
  });

  it('jumps home and to the end', () => {
    expect(run(typed('send', 2), { type: 'cursor-home' }).cursor).toBe(0);
    expect(run(typed('send', 2), { type: 'cursor-end' }).cursor).toBe(4);
  });
});

describe('promptReducer: history', () => {
  const history = ['conns', 'send --data one --id', 'jobs'];

  it('walks back from the newest line, stopping at the oldest', () => {
    let state = typed('', 0, history);
    state = run(state, { type: 'history-up' });
    expect(state).toMatchObject({ value: 'jobs', cursor: 4, historyIndex: 2 });
    state = run(state, { type: 'history-up' }, { type: 'history-up' }, { type: 'history-up' });
    expect(state).toMatchObject({ value: 'conns', historyIndex: 0 });
  });

  it('walks forward and gives back the line that was being typed', () => {
    let state = typed('sen', 3, history);
    state = run(state, { type: 'history-up' }, { type: 'history-up' });
    expect(state.value).toBe('send --data one --id');
    state = run(state, { type: 'history-down' });
    expect(state.value).toBe('jobs');
    state = run(state, { type: 'history-down' });
    expect(state).toMatchObject({ value: 'sen', cursor: 3, historyIndex: undefined });
    expect(promptReducer(state, { type: 'history-down' })).toBe(state);
  });

  it('does nothing on ↑ with no history', () => {
    const state = typed('x');
    expect(promptReducer(state, { type: 'history-up' })).toBe(state);
  });

  it('submit clears the line and adds it to the history once', () => {
    let state = run(typed('send --data hi', 3, history), { type: 'submit' });
    expect(state).toMatchObject({ value: '', cursor: 0, historyIndex: undefined, hint: undefined });
    expect(state.history.at(-1)).toBe('send --data hi');
    state = run({ ...state, value: 'send --data hi', cursor: 14 }, { type: 'submit' });
    expect(state.history.filter((line) => line === 'send --data hi')).toHaveLength(1);
  });

  it('submit of a blank line keeps the history as it was', () => {
    const state = run(typed('   ', 3, history), { type: 'submit' });
    expect(state.history).toEqual(history);
  });

  it('keeps at most 500 lines', () => {
    const long = Array.from({ length: 500 }, (_, index) => `line ${index}`);
    const state = run(typed('newest', 6, long), { type: 'submit' });
    expect(state.history).toHaveLength(500);
    expect(state.history[0]).toBe('line 1');
    expect(state.history.at(-1)).toBe('newest');
  });
});

describe('promptReducer: completion', () => {
  it('inserts a single candidate and a space', () => {
    const state = run(typed('se'), { type: 'complete', completion: { from: 0, candidates: ['send'] } });
    expect(state).toMatchObject({ value: 'send ', cursor: 5, hint: undefined });
  });

  it('does not add a second space when one follows the cursor', () => {
    const state = run(typed('se --id', 2), { type: 'complete', completion: { from: 0, candidates: ['send'] } });
    expect(state).toMatchObject({ value: 'send --id', cursor: 5 });
  });

  it('inserts the common prefix of several candidates and lists them in the hint', () => {
    const state = run(typed('send --r'), {
      type: 'complete',
      completion: { from: 5, candidates: ['--raw', '--retry'] },
    });
    expect(state).toMatchObject({ value: 'send --r', hint: '--raw  --retry' });
    const longer = run(typed('h'), { type: 'complete', completion: { from: 0, candidates: ['help', 'history'] } });
    expect(longer).toMatchObject({ value: 'h', hint: 'help  history' });
    const shared = run(typed('c'), { type: 'complete', completion: { from: 0, candidates: ['close', 'clear'] } });
    expect(shared).toMatchObject({ value: 'cl', cursor: 2, hint: 'close  clear' });
  });

  it('says so when nothing completes, and counts candidates past a dozen', () => {
    expect(run(typed('zz'), { type: 'complete', completion: { from: 0, candidates: [] } }).hint).toBe('no completions');
    const many = Array.from({ length: 15 }, (_, index) => `w${String(index).padStart(2, '0')}`);
    const state = run(typed('w'), { type: 'complete', completion: { from: 0, candidates: many } });
    expect(state.hint).toMatch(/… 3 more$/);
    expect(state.value).toBe('w');
  });

  it('hides the hint on the next edit, and on dismiss-hint', () => {
    const hinted = run(typed('s'), { type: 'complete', completion: { from: 0, candidates: ['send', 'stop'] } });
    expect(hinted.hint).toBeDefined();
    expect(run(hinted, { type: 'insert', text: 'e' }).hint).toBeUndefined();
    expect(run(hinted, { type: 'dismiss-hint' }).hint).toBeUndefined();
    const plain = typed('x');
    expect(promptReducer(plain, { type: 'dismiss-hint' })).toBe(plain);
  });

  it('clamps a completion start that lies outside the line', () => {
    const state = run(typed('se'), { type: 'complete', completion: { from: 9, candidates: ['send'] } });
    expect(state.value).toBe('sesend ');
  });
});
