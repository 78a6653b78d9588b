import { Box, Text } from 'ink';
import { useTheme } from '../theme.js';
import { nextBoundary } from './prompt-text.js';
import type { PromptState } from './use-prompt-state.js';

/** The line split around the cursor: the character under it is drawn inverted. */
function splitAtCursor(state: Pick<PromptState, 'value' | 'cursor'>): {
  readonly before: string;
  readonly under: string;
  readonly after: string;
} {
  const { value, cursor } = state;
  const end = nextBoundary(value, cursor);
  return { before: value.slice(0, cursor), under: value.slice(cursor, end) || ' ', after: value.slice(end) };
}

/** The prompt (a thin view of `PromptState`), with the completion hint above it. */
export function PromptLine({ state }: { readonly state: PromptState }) {
  const theme = useTheme();
  const { before, under, after } = splitAtCursor(state);
  return (
    <Box flexDirection="column">
      {state.hint === undefined ? null : (
        <Text dimColor wrap="truncate-end">
          {state.hint}
        </Text>
      )}
      <Text>
        <Text {...theme.color('cyan')} bold>
          {'› '}
        </Text>
        {before}
        <Text inverse>{under}</Text>
        {after}
      </Text>
    </Box>
  );
}
