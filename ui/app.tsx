import { Box, Text, useApp, useStdout } from 'ink';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ConsoleController } from '../core/app/console/types.js';
import { HelpOverlay, helpOverlayChrome, lastHelpOffset } from './help/help-overlay.js';
import { keyHelpLines } from './key-bindings.js';
import { defaultTerminalRows, liveLayout } from './layout.js';
import { timeColumns } from './log/log-rows.js';
import { LogView } from './log/log-view.js';
import { ConnectionsPane } from './panes/connections-pane.js';
import { HistoryPane } from './panes/history-pane.js';
import { pinnedRowCount, PinnedLines } from './panes/pinned-lines.js';
import { StatusLine, statusRows } from './panes/status-line.js';
import { PromptLine } from './prompt/prompt-line.js';
import { usePromptInput, type AppKeyAction } from './prompt/use-prompt-input.js';
import { usePromptState } from './prompt/use-prompt-state.js';
import { colorEnabled, createTheme, ThemeContext } from './theme.js';
import { useConsoleView } from './use-console-view.js';
import { useTerminalSize } from './use-terminal-size.js';

/** Erase the screen and its scrollback, cursor home: what `clear` means in a shell. */
export const clearScreen = '\u001B[2J\u001B[3J\u001B[H';

/** Erase the visible screen only, cursor home: before the recent log is written again. */
export const clearVisible = '\u001B[2J\u001B[H';

/** Width assumed when stdout does not say (not a terminal). */
const defaultColumns = 100;

export interface AppProps {
  readonly controller: ConsoleController;
  /** Earlier prompt lines, oldest first (from the prompt-history file). */
  readonly initialHistory?: readonly string[];
  /** Called with every submitted line, to keep it across runs. */
  readonly rememberLine?: (line: string) => void;
  /** Colour on or off; default: on unless NO_COLOR is set. */
  readonly colors?: boolean;
  /** What a second Ctrl+C does while quitting. Default: exit the process with 130. */
  readonly onForceQuit?: () => void;
  /** Shortest time between two renders caused by the controller. Default 50 ms. */
  readonly frameMs?: number;
}

/**
The help overlay's text at `width` columns: the controller's command overview, then
the key table.
*/
export function overlayHelpLines(commandHelp: (width?: number) => readonly string[], width?: number): string[] {
  return [...commandHelp(width), '', ...keyHelpLines(undefined, width)];
}

function forceQuit(): void {
  process.exit(130);
}

/**
The console screen: the log (written once, above), then the live part kept short —
status, connections, events (or the help overlay) and the prompt, as the controller's
screen model says (the console's, or proxy mode's).
*/
export function App({
  controller,
  initialHistory = [],
  rememberLine,
  colors = colorEnabled(),
  onForceQuit = forceQuit,
  frameMs = 50,
}: AppProps) {
  const { exit } = useApp();
  const { write } = useStdout();
  const size = useTerminalSize();
  const width = size.columns ?? defaultColumns;
  const theme = useMemo(() => createTheme(colors), [colors]);
  const view = useConsoleView(controller, { frameMs, onClear: () => write(clearScreen) });
  // Measured text (string-width): worked out again for a new snapshot or size, not per keystroke.
  const layout = useMemo(
    () => liveLayout(size.rows, statusRows(view.snapshot, width), pinnedRowCount(view.snapshot, width)),
    [size.rows, view.snapshot, width],
  );
  // Answers are laid out to the log's width (after the time), so a table row is not broken by the terminal.
  useEffect(() => {
    controller.setViewWidth(width - timeColumns);
  }, [controller, width]);
  const { repaint } = view;
  /** A clean screen with the recent log on it, written at the current width. */
  const repaintScreen = useCallback(() => {
    write(clearVisible);
    repaint(size.rows ?? defaultTerminalRows);
  }, [write, repaint, size.rows]);

  // After a resize the terminal has reflowed (or cut) the old rows: start from a clean screen.
  const shownSize = useRef(size);
  useEffect(() => {
    if (shownSize.current.columns === size.columns && shownSize.current.rows === size.rows) return;
    shownSize.current = size;
    repaintScreen();
  }, [size, repaintScreen]);
  const prompt = usePromptState(initialHistory);
  const [mode, setMode] = useState<'prompt' | 'help'>('prompt');
  const [helpOffset, setHelpOffset] = useState(0);
  const [quitting, setQuitting] = useState(false);
  const { commandHelp } = view.snapshot.screen;
  const helpText = useMemo(() => overlayHelpLines(commandHelp, width - helpOverlayChrome), [commandHelp, width]);

  const quittingNow = useRef(false);
  const requestQuit = useCallback(() => {
    if (quittingNow.current) {
      onForceQuit();
      return;
    }
    quittingNow.current = true;
    setQuitting(true);
  }, [onForceQuit]);

  // Quit only after the "stopping…" frame is on screen, so it is the last thing left there.
  useEffect(() => {
    if (quitting) exit();
  }, [quitting, exit]);

  useEffect(() => controller.onQuit(requestQuit), [controller, requestQuit]);

  const lastOffset = lastHelpOffset(helpText.length, layout.helpRows);
  const onAppAction = (action: AppKeyAction): void => {
    const scroll = (by: number): void => setHelpOffset((offset) => Math.min(lastOffset, Math.max(0, offset + by)));
    switch (action) {
      case 'quit':
        // Ctrl+C stops a running lesson script first; with none running it quits.
        if (!quittingNow.current && controller.interrupt()) return;
        requestQuit();
        return;
      case 'help-open':
        setHelpOffset(0);
        setMode('help');
        return;
      case 'help-close':
        setMode('prompt');
        // The overlay is taller than the panes: it pushed the recent log off the screen.
        repaintScreen();
        return;
      case 'help-scroll-up':
        scroll(-1);
        return;
      case 'help-scroll-down':
        scroll(1);
        return;
      case 'help-page-up':
        scroll(-layout.helpRows);
        return;
      case 'help-page-down':
        scroll(layout.helpRows);
        return;
    }
  };

  usePromptInput({
    prompt,
    mode,
    onSubmit: (line) => {
      controller.execute(line);
      rememberLine?.(line);
    },
    complete: (line, cursor) => controller.complete(line, cursor),
    onAppAction,
  });

  const { snapshot, now } = view;
  return (
    <ThemeContext.Provider value={theme}>
      <Box flexDirection="column">
        <LogView batch={view.log} width={width} />
        <StatusLine snapshot={snapshot} width={width} />
        {mode === 'help' ? (
          <HelpOverlay lines={helpText} offset={helpOffset} height={layout.helpRows} />
        ) : (
          <>
            <ConnectionsPane
              connections={snapshot.connections}
              now={now}
              width={width}
              maxRows={layout.connectionRows}
              text={snapshot.screen.connections}
            />
            <HistoryPane model={snapshot.screen.events} width={width} maxRows={layout.historyRows} />
          </>
        )}
        <PinnedLines snapshot={snapshot} width={width} />
        {quitting ? (
          <Text {...theme.color('yellow')}>stopping… (Ctrl+C again forces)</Text>
        ) : (
          <PromptLine state={prompt.state} />
        )}
      </Box>
    </ThemeContext.Provider>
  );
}
