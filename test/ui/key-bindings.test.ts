import type { Key } from 'ink';
import { describe, expect, it } from 'vitest';
import { findKeyAction, keyBindings, keyHelpLines, type KeyContext } from '../../ui/key-bindings.js';

/** A key event as Ink's useInput reports it: every flag off except those given. */
function key(flags: Partial<Key> = {}): Key {
  return {
    upArrow: false,
    downArrow: false,
    leftArrow: false,
    rightArrow: false,
    pageDown: false,
    pageUp: false,
    home: false,
    end: false,
    return: false,
    escape: false,
    ctrl: false,
    shift: false,
    tab: false,
    backspace: false,
    delete: false,
    meta: false,
    super: false,
    hyper: false,
    capsLock: false,
    numLock: false,
    ...flags,
  };
}

const atPrompt: KeyContext = { mode: 'prompt', promptEmpty: false };
const atEmptyPrompt: KeyContext = { mode: 'prompt', promptEmpty: true };
const inHelp: KeyContext = { mode: 'help', promptEmpty: true };

describe('findKeyAction', () => {
  it.each([
    ['Enter', '', key({ return: true }), 'submit'],
    ['Tab', '', key({ tab: true }), 'complete'],
    ['↑', '', key({ upArrow: true }), 'history-up'],
    ['↓', '', key({ downArrow: true }), 'history-down'],
    ['←', '', key({ leftArrow: true }), 'cursor-left'],
    ['→', '', key({ rightArrow: true }), 'cursor-right'],
    ['Home', '', key({ home: true }), 'cursor-home'],
    ['Ctrl+A', 'a', key({ ctrl: true }), 'cursor-home'],
    ['End', '', key({ end: true }), 'cursor-end'],
    ['Ctrl+E', 'e', key({ ctrl: true }), 'cursor-end'],
    ['Backspace', '', key({ backspace: true }), 'delete-back'],
    ['Delete', '', key({ delete: true }), 'delete-forward'],
    ['Ctrl+D', 'd', key({ ctrl: true }), 'delete-forward'],
    ['Ctrl+U', 'u', key({ ctrl: true }), 'clear-line'],
    ['Ctrl+W', 'w', key({ ctrl: true }), 'delete-word'],
    ['Alt+Backspace', '', key({ backspace: true, meta: true }), 'delete-word'],
    ['Esc', '', key({ escape: true, meta: true }), 'dismiss-hint'],
    ['Ctrl+C', 'c', key({ ctrl: true }), 'quit'],
  ] as const)('%s at the prompt → %s', (_name, input, pressed, action) => {
    expect(findKeyAction(input, pressed, atPrompt)).toBe(action);
  });

  it('opens help with ? only on an empty prompt; otherwise ? is text', () => {
    expect(findKeyAction('?', key(), atEmptyPrompt)).toBe('help-open');
    expect(findKeyAction('?', key(), atPrompt)).toBeUndefined();
  });

  it('leaves plain text and unbound keys to the caller', () => {
    expect(findKeyAction('s', key(), atPrompt)).toBeUndefined();
    expect(findKeyAction('q', key(), atPrompt)).toBeUndefined();
    expect(findKeyAction('x', key({ ctrl: true }), atPrompt)).toBeUndefined();
  });

  it.each([
    ['Esc', '', key({ escape: true, meta: true }), 'help-close'],
    ['q', 'q', key(), 'help-close'],
    ['?', '?', key(), 'help-close'],
    ['↑', '', key({ upArrow: true }), 'help-scroll-up'],
    ['↓', '', key({ downArrow: true }), 'help-scroll-down'],
    ['PgUp', '', key({ pageUp: true }), 'help-page-up'],
    ['PgDn', '', key({ pageDown: true }), 'help-page-down'],
    ['Space', ' ', key(), 'help-page-down'],
    ['Ctrl+C', 'c', key({ ctrl: true }), 'quit'],
  ] as const)('%s in help → %s', (_name, input, pressed, action) => {
    expect(findKeyAction(input, pressed, inHelp)).toBe(action);
  });

  it('does not run prompt bindings in help', () => {
    expect(findKeyAction('', key({ return: true }), inHelp)).toBeUndefined();
    expect(findKeyAction('', key({ tab: true }), inHelp)).toBeUndefined();
  });
});

describe('keyHelpLines', () => {
  it('lists every binding once, with its keys and description', () => {
    const text = keyHelpLines().join('\n');
    for (const binding of keyBindings) {
      expect(text).toContain(binding.label);
      expect(text).toContain(binding.description);
    }
    expect(keyHelpLines()[0]).toBe('Keys at the prompt');
    expect(keyHelpLines()).toContain('Keys in this help');
  });
});
