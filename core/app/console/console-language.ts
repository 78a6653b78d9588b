import { createCommandLanguage } from '../commands/language.js';
import { COMMAND_MODULES } from './commands/list.js';

/*
The console's command language, built from its list of command modules. The
controller, the line and TUI front ends, proxy mode and the command reference (npm run docs) read
it from here; the command modules never import it (those that need it, `every`,
`help` and `source`, get it in their build and run contexts), so the list and the
language form no import cycle.
*/
export const consoleLanguage = createCommandLanguage(COMMAND_MODULES);
