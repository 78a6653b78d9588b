export type { Command, CommandName, ParseResult } from './types.js';
export type { ValueResult } from './values.js';

export { COMMANDS, NOT_REPEATABLE, commandWords } from './table.js';
export { tokenize } from './tokenize.js';
export { joinWords, quoteWord } from './quote.js';
export { MAX_LINE_LENGTH, isBlank, parseCommandLine, parseTokens } from './parse.js';
export { PLACEHOLDERS, substitutePlaceholders } from './placeholders.js';
export {
  checkEventName,
  checkHeaderValue,
  parseConnectionId,
  parseDuration,
  parseHeader,
  parseHttpUrl,
  parseJobId,
  parseMilliseconds,
  parseStatus,
} from './values.js';
export { complete } from './complete.js';
export { KEY_BINDINGS_LINE, commandOverviewLines, helpColumns, helpLines } from './help.js';
export { commandReferenceMarkdown } from './reference.js';
export { closestWord, editDistance } from './suggest.js';
