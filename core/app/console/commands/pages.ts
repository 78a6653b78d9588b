import { done, type BuildResult, type CommandModule } from './command-module.js';
import type { ConsoleContext } from './console-context.js';
import { table } from '../format.js';

export interface PagesCommand {
  readonly name: 'pages';
}

function build(): BuildResult<PagesCommand> {
  return done({ name: 'pages' });
}

function run(_command: PagesCommand, context: ConsoleContext): void {
  const { pages = [], pagesUrl } = context.options;
  context.output(
    pages.length === 0
      ? [`pages are served at ${pagesUrl}`]
      : table([
          ['index', pagesUrl, 'every demo with one line on what it shows'],
          ...pages.map((page) => [page.name, new URL(page.name, pagesUrl).href, page.summary]),
        ]),
  );
}

export const pagesCommand: CommandModule<PagesCommand> = {
  spec: {
    name: 'pages',
    summary: 'List the demo pages and their URLs',
    usage: 'pages',
    positionals: [],
    flags: [],
    examples: ['pages'],
    explanation: [
      'The page listener (port 8080 by default) serves demo pages that open an EventSource to the SSE listener (port 8122 by default): a cross-origin request, allowed by CORS headers, as in the Racket SSE example. Each page shows one idea and suggests a command to try.',
    ],
  },
  repeatable: true,
  build,
  run,
};
