import { describe, expect, it } from 'vitest';
import { connectColorLevel, createPalette } from '../../cli/connect-style.js';
import { humanFormatter, lineColorLevel, loadChalk } from '../../cli/line-output.js';
import { colorEnabled } from '../../ui/theme.js';

const pipe = { isTTY: false };
const terminal = { isTTY: true, getColorDepth: () => 8 };

// The same environment gives the same answer in `connect`, line mode and the TUI.
describe('one colour rule for connect, line mode and the TUI', () => {
  it.each([
    ['nothing set, a pipe', {}, pipe],
    ['nothing set, a terminal', {}, terminal],
    ['FORCE_COLOR empty, a pipe', { FORCE_COLOR: '' }, pipe],
    ['FORCE_COLOR=0, a terminal', { FORCE_COLOR: '0' }, terminal],
    ['FORCE_COLOR=1, a pipe', { FORCE_COLOR: '1' }, pipe],
    ['NO_COLOR=1, a terminal', { NO_COLOR: '1' }, terminal],
    ['NO_COLOR empty, a terminal', { NO_COLOR: '' }, terminal],
    ['NO_COLOR=1 and FORCE_COLOR=1, a pipe', { NO_COLOR: '1', FORCE_COLOR: '1' }, pipe],
  ] as const)('%s', (_name, env, stream) => {
    const connect = connectColorLevel(stream, env, false) > 0;
    expect(lineColorLevel(stream, env) > 0).toBe(connect);
    expect(colorEnabled(env, stream)).toBe(connect);
  });

  it('colours through chalk: what is on writes SGR codes, what is off writes none', async () => {
    expect(createPalette(1).red('x')).toBe('\u001B[31mx\u001B[39m');
    expect(createPalette(0).red('x')).toBe('x');
    const entry = { seq: 1, time: 0, kind: 'error', text: 'bad' } as const;
    expect(humanFormatter(await loadChalk(1)).format(entry)).toContain('\u001B[31m');
    expect(humanFormatter(await loadChalk(0)).format(entry)).not.toContain('\u001B[');
  });

  it('--no-color turns connect off whatever the environment says', () => {
    expect(connectColorLevel(terminal, { FORCE_COLOR: '3' }, true)).toBe(0);
  });
});
