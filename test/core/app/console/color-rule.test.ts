import { describe, expect, it } from 'vitest';
import { colorLevel, type ColorContext } from '../../../../core/app/console/color-rule.js';

const terminal = (depth: number): ColorContext['stream'] => ({ isTTY: true, getColorDepth: () => depth });
const pipe: ColorContext['stream'] = { isTTY: false };

describe('colorLevel: one rule for the TUI, line mode and connect', () => {
  it.each([
    ['a 16-colour terminal', {}, terminal(4), 1],
    ['a 256-colour terminal', {}, terminal(8), 2],
    ['a truecolor terminal', {}, terminal(24), 3],
    ['a terminal without colours (TERM=dumb)', {}, terminal(1), 0],
    ['a pipe', {}, pipe, 0],
    ['NO_COLOR=1 on a terminal', { NO_COLOR: '1' }, terminal(24), 0],
    ['NO_COLOR empty on a terminal (not set, says no-color.org)', { NO_COLOR: '' }, terminal(4), 1],
    ['FORCE_COLOR empty on a pipe (on, as chalk and Node read it)', { FORCE_COLOR: '' }, pipe, 1],
    ['FORCE_COLOR=1 on a pipe', { FORCE_COLOR: '1' }, pipe, 1],
    ['FORCE_COLOR=true on a pipe', { FORCE_COLOR: 'true' }, pipe, 1],
    ['FORCE_COLOR=2 on a pipe', { FORCE_COLOR: '2' }, pipe, 2],
    ['FORCE_COLOR=3 on a pipe', { FORCE_COLOR: '3' }, pipe, 3],
    ['FORCE_COLOR=0 on a terminal', { FORCE_COLOR: '0' }, terminal(24), 0],
    ['FORCE_COLOR=false on a terminal', { FORCE_COLOR: 'false' }, terminal(24), 0],
    ['NO_COLOR beats FORCE_COLOR', { NO_COLOR: '1', FORCE_COLOR: '3' }, terminal(24), 0],
  ] as const)('%s', (_name, env, stream, level) => {
    expect(colorLevel({ env, stream })).toBe(level);
  });

  it('--no-color beats FORCE_COLOR and a terminal', () => {
    expect(colorLevel({ noColorFlag: true, env: { FORCE_COLOR: '3' }, stream: terminal(24) })).toBe(0);
  });

  it('asks the terminal for its depth without FORCE_COLOR or NO_COLOR in the environment', () => {
    let seen: NodeJS.ProcessEnv | undefined;
    const stream = { isTTY: true, getColorDepth: (env?: NodeJS.ProcessEnv) => ((seen = env), 8) };
    expect(colorLevel({ env: { TERM: 'xterm-256color', NO_COLOR: '' }, stream })).toBe(2);
    expect(seen).toEqual({ TERM: 'xterm-256color' });
  });
});
