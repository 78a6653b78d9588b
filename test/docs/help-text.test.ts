import { describe, expect, it } from 'vitest';
import { helpOptions, readHelpText } from '../../scripts/reference/help-text.js';

const help = `tool 1.0 — does things

Usage:
  tool [options]

Options:
  -p, --port N             the port
      --history-max-bytes N
                           bytes kept,
                           at most
      --http2, --tls       both names
  -H, --header "Name: value"   a header
      --open [PAGE]        a page

Exit codes:
  0    fine
`;

describe('reading a --help text', () => {
  it('reads option rows, their aliases, values and wrapped descriptions', () => {
    expect(helpOptions(help)).toEqual([
      { names: ['--port'], short: 'p', value: 'N', description: 'the port' },
      { names: ['--history-max-bytes'], value: 'N', description: 'bytes kept, at most' },
      { names: ['--http2', '--tls'], description: 'both names' },
      { names: ['--header'], short: 'H', value: '"Name: value"', description: 'a header' },
      { names: ['--open'], value: '[PAGE]', description: 'a page' },
    ]);
  });

  it('keeps prose and other sections in order', () => {
    expect(readHelpText(help).map((block) => (block.kind === 'prose' ? block.text : block.heading))).toEqual([
      'tool 1.0 — does things',
      'Usage',
      'Options',
      'Exit codes',
    ]);
  });

  it('refuses an options section with a line that is not an option row', () => {
    expect(() => helpOptions('Options:\n      --port N   the port\n  port      no dashes\n')).toThrow(
      'under "Options", "  port      no dashes" is neither an option row nor its description',
    );
  });
});
