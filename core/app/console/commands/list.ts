import { clearCommand } from './clear.js';
import { closeCommand } from './close.js';
import { commentCommand } from './comment.js';
import { connectCommand } from './connect.js';
import { connsCommand } from './conns.js';
import { disconnectCommand } from './disconnect.js';
import { everyCommand } from './every.js';
import { expectCommand } from './expect.js';
import { filterCommand } from './filter.js';
import { helpCommand } from './help.js';
import { historyCommand } from './history.js';
import { jobsCommand } from './jobs.js';
import { openCommand } from './open.js';
import { pagesCommand } from './pages.js';
import { pauseCommand } from './pause.js';
import { quitCommand } from './quit.js';
import { rawCommand } from './raw.js';
import { replayCommand } from './replay.js';
import { respondCommand } from './respond.js';
import { resumeCommand } from './resume.js';
import { retryCommand } from './retry.js';
import { sendCommand } from './send.js';
import { sourceCommand } from './source.js';
import { stopCommand } from './stop.js';
import { tourCommand } from './tour.js';

/*
The console's commands, one module each, in the order `help` and the command reference list
them. A module (core/app/console/commands/NAME.ts) holds a command's spec, its builder
and its `run`: the builder belongs to the command language (core/app/commands), but
`run` needs the console's streams, jobs and state, and keeping all three in one
file is the point, so they live beside the controller rather than the parser.
Adding a command is one new module plus one line here; createCommandLanguage
(core/app/commands/language.ts) derives the specs, the parser, help, completion and
what `every` may repeat from this list, and console-language.ts builds the console's
language from it. No module imports that language: those that need it get it in
their build or run context, so the list and the language form no import cycle.
*/
export const COMMAND_MODULES = [
  sendCommand,
  commentCommand,
  retryCommand,
  everyCommand,
  jobsCommand,
  stopCommand,
  closeCommand,
  respondCommand,
  connsCommand,
  historyCommand,
  pagesCommand,
  openCommand,
  rawCommand,
  clearCommand,
  filterCommand,
  pauseCommand,
  resumeCommand,
  helpCommand,
  quitCommand,
  connectCommand,
  replayCommand,
  disconnectCommand,
  tourCommand,
  sourceCommand,
  expectCommand,
] as const;
