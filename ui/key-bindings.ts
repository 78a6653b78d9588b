import { wrapHanging } from '../core/app/text/wrap-text.js';
import type { Key } from 'ink';

/**
Every key the console answers to, as data. The input hook looks keys up here and the
help overlay lists this table, so the two cannot disagree.
*/

/** Keys Ink reports as flags rather than text. */
type SpecialKey =
  | 'return'
  | 'tab'
  | 'escape'
  | 'backspace'
  | 'delete'
  | 'upArrow'
  | 'downArrow'
  | 'leftArrow'
  | 'rightArrow'
  | 'home'
  | 'end'
  | 'pageUp'
  | 'pageDown';

/** One way to press a binding: a special key, Ctrl+letter, Alt+special key, or literal text. */
type KeyChord =
  { readonly special: SpecialKey; readonly meta?: boolean } | { readonly ctrl: string } | { readonly text: string };

export type KeyAction =
  | 'quit'
  | 'submit'
  | 'complete'
  | 'history-up'
  | 'history-down'
  | 'cursor-left'
  | 'cursor-right'
  | 'cursor-home'
  | 'cursor-end'
  | 'delete-back'
  | 'delete-forward'
  | 'clear-line'
  | 'delete-word'
  | 'dismiss-hint'
  | 'help-open'
  | 'help-close'
  | 'help-scroll-up'
  | 'help-scroll-down'
  | 'help-page-up'
  | 'help-page-down';

/** Where a binding applies: the prompt, the help overlay, or both. */
type KeyMode = 'prompt' | 'help' | 'any';

export interface KeyBinding {
  /** How the help overlay names the keys, e.g. "Ctrl+U". */
  readonly label: string;
  readonly chords: readonly KeyChord[];
  readonly action: KeyAction;
  readonly mode: KeyMode;
  /** Only when the prompt is empty (so `?` can still be typed inside a line). */
  readonly onlyWhenEmpty?: boolean;
  readonly description: string;
}

export const keyBindings: readonly KeyBinding[] = [
  {
    label: 'Ctrl+C',
    chords: [{ ctrl: 'c' }],
    action: 'quit',
    mode: 'any',
    description: 'quit cleanly (press again to force)',
  },
  { label: 'Enter', chords: [{ special: 'return' }], action: 'submit', mode: 'prompt', description: 'run the line' },
  {
    label: 'Tab',
    chords: [{ special: 'tab' }],
    action: 'complete',
    mode: 'prompt',
    description: 'complete a command, option or value',
  },
  {
    label: '↑',
    chords: [{ special: 'upArrow' }],
    action: 'history-up',
    mode: 'prompt',
    description: 'previous line (kept across runs)',
  },
  { label: '↓', chords: [{ special: 'downArrow' }], action: 'history-down', mode: 'prompt', description: 'next line' },
  { label: '←', chords: [{ special: 'leftArrow' }], action: 'cursor-left', mode: 'prompt', description: 'cursor left' },
  {
    label: '→',
    chords: [{ special: 'rightArrow' }],
    action: 'cursor-right',
    mode: 'prompt',
    description: 'cursor right',
  },
  {
    label: 'Home, Ctrl+A',
    chords: [{ special: 'home' }, { ctrl: 'a' }],
    action: 'cursor-home',
    mode: 'prompt',
    description: 'start of the line',
  },
  {
    label: 'End, Ctrl+E',
    chords: [{ special: 'end' }, { ctrl: 'e' }],
    action: 'cursor-end',
    mode: 'prompt',
    description: 'end of the line',
  },
  {
    label: 'Alt+Backspace, Ctrl+W',
    // Listed before plain Backspace: Alt+Backspace also carries the backspace flag.
    chords: [{ special: 'backspace', meta: true }, { ctrl: 'w' }],
    action: 'delete-word',
    mode: 'prompt',
    description: 'delete the word before the cursor',
  },
  {
    label: 'Backspace',
    // Terminals send DEL (0x7f) or BS (0x08) for Backspace; Ink reports both as `backspace`.
    chords: [{ special: 'backspace' }],
    action: 'delete-back',
    mode: 'prompt',
    description: 'delete the character before the cursor',
  },
  {
    label: 'Delete, Ctrl+D',
    // The Delete key sends ESC [ 3 ~, which Ink reports as `delete`.
    chords: [{ special: 'delete' }, { ctrl: 'd' }],
    action: 'delete-forward',
    mode: 'prompt',
    description: 'delete the character under the cursor',
  },
  {
    label: 'Ctrl+U',
    chords: [{ ctrl: 'u' }],
    action: 'clear-line',
    mode: 'prompt',
    description: 'delete everything before the cursor',
  },
  {
    label: '?',
    chords: [{ text: '?' }],
    action: 'help-open',
    mode: 'prompt',
    onlyWhenEmpty: true,
    description: 'help (on an empty line)',
  },
  {
    label: 'Esc',
    chords: [{ special: 'escape' }],
    action: 'dismiss-hint',
    mode: 'prompt',
    description: 'hide the completion hint',
  },
  {
    label: 'Esc, q, ?',
    chords: [{ special: 'escape' }, { text: 'q' }, { text: '?' }],
    action: 'help-close',
    mode: 'help',
    description: 'close help',
  },
  {
    label: '↑',
    chords: [{ special: 'upArrow' }],
    action: 'help-scroll-up',
    mode: 'help',
    description: 'scroll help up',
  },
  {
    label: '↓',
    chords: [{ special: 'downArrow' }],
    action: 'help-scroll-down',
    mode: 'help',
    description: 'scroll help down',
  },
  { label: 'PgUp', chords: [{ special: 'pageUp' }], action: 'help-page-up', mode: 'help', description: 'help page up' },
  {
    label: 'PgDn, Space',
    chords: [{ special: 'pageDown' }, { text: ' ' }],
    action: 'help-page-down',
    mode: 'help',
    description: 'help page down',
  },
];

export interface KeyContext {
  readonly mode: 'prompt' | 'help';
  readonly promptEmpty: boolean;
}

function chordMatches(chord: KeyChord, input: string, key: Key): boolean {
  if ('special' in chord) {
    if (!key[chord.special]) return false;
    // Ink sets `meta` for a bare Esc too, so Esc itself never counts as Alt+Esc.
    const meta = key.meta && !key.escape;
    return (chord.meta ?? false) === meta;
  }
  if ('ctrl' in chord) return key.ctrl && input === chord.ctrl;
  return !key.ctrl && !key.meta && input === chord.text;
}

/** The action bound to a key press in this context, or undefined (plain text to insert). */
export function findKeyAction(
  input: string,
  key: Key,
  context: KeyContext,
  bindings: readonly KeyBinding[] = keyBindings,
): KeyAction | undefined {
  for (const binding of bindings) {
    if (binding.mode !== 'any' && binding.mode !== context.mode) continue;
    if (binding.onlyWhenEmpty && !context.promptEmpty) continue;
    if (binding.chords.some((chord) => chordMatches(chord, input, key))) return binding.action;
  }
  return undefined;
}

/** The help overlay's key section: label and description, grouped by mode. */
export function keyHelpLines(bindings: readonly KeyBinding[] = keyBindings, columns?: number): string[] {
  const width = Math.max(...bindings.map((binding) => binding.label.length));
  const section = (mode: KeyMode, title: string): string[] => {
    const rows = bindings.filter((binding) => binding.mode === mode || (mode === 'prompt' && binding.mode === 'any'));
    return [
      title,
      ...rows.flatMap((binding) => {
        const label = `  ${binding.label.padEnd(width)}  `;
        return columns === undefined
          ? [`${label}${binding.description}`]
          : wrapHanging(label, binding.description, columns);
      }),
    ];
  };
  return [...section('prompt', 'Keys at the prompt'), '', ...section('help', 'Keys in this help')];
}
