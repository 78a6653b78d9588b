import { consoleScreen } from '../../core/app/console/console-screen.js';
import type { ScreenModel } from '../../core/app/console/screen-model.js';
import { consoleLanguage } from '../../core/app/console/console-language.js';

/** The console's screen model for a stream URL, with nothing connected or stored. */
export function consoleScreenFor(sseUrl: string, options: { pagesUrl?: string } = {}): ScreenModel {
  return consoleScreen({
    commandHelp: consoleLanguage.commandOverviewLines,
    sseUrl,
    pagesUrl: options.pagesUrl ?? 'http://127.0.0.1:8080/',
    connections: 0,
    history: [],
    nextId: 1,
    jobs: 0,
  });
}
