import type { ParsedArgs } from '../../commands/args.js';
import { done, fail, type BuildContext, type BuildResult, type CommandModule } from './command-module.js';
import type { ConsoleContext } from './console-context.js';
import { usageError } from '../../commands/args.js';
import { word } from '../../commands/arg-values.js';
import { errorMessage } from '../error-message.js';
import { DEFAULT_PAGE_NAME } from '../../pages/page-list.js';

export interface OpenCommand {
  readonly name: 'open';
  readonly page?: string;
}

function build(args: ParsedArgs, { spec }: BuildContext): BuildResult<OpenCommand> {
  const page = word(args, 0);
  if (page === '') return fail(usageError(spec, 'PAGE is empty; name a page from pages, or leave it out'));
  return done(page === undefined ? { name: 'open' } : { name: 'open', page });
}

function run(command: OpenCommand, context: ConsoleContext): void {
  const { pages = [], pagesUrl, openUrl } = context.options;
  const { emit } = context;
  const name = command.page ?? DEFAULT_PAGE_NAME;
  if (pages.length > 0 && name !== 'index' && !pages.some((page) => page.name === name)) {
    emit('error', `no page "${name}"; pages: index, ${pages.map((page) => page.name).join(', ')}`);
    return;
  }
  const url = new URL(name === 'index' ? '' : name, pagesUrl).href;
  if (!openUrl) {
    emit('output', `open ${url} in your browser`);
    return;
  }
  Promise.resolve(openUrl(url)).then(
    () => emit('output', `opened ${url}`),
    (error: unknown) => emit('warn', `no browser started (${errorMessage(error)}); open ${url} yourself`),
  );
}

export const openCommand: CommandModule<OpenCommand> = {
  spec: {
    name: 'open',
    summary: 'Open a demo page in the browser',
    usage: 'open [PAGE]',
    positionals: [{ name: 'PAGE', description: 'a page name from pages', optional: true, completes: 'pages' }],
    flags: [],
    examples: ['open', 'open clock'],
    explanation: [
      'Opens PAGE (the textarea page if none is named) with the system browser. Open it twice and send an event: it reaches both tabs, because every connection gets every event.',
    ],
  },
  repeatable: false,
  build,
  run,
};
