export type { Command, CommandName, ParseResult } from './types.js';
export type { ValueResult } from './values.js';

export { createCommandLanguage } from './language.js';
export { tokenize } from './tokenize.js';
export { offerWords, typedWords } from './complete.js';
export { joinWords, quoteWord } from './quote.js';
export { MAX_LINE_LENGTH, isBlank } from './parse.js';
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
export { KEY_BINDINGS_LINE, helpColumns } from './help.js';
export { closestWord, editDistance } from './suggest.js';
