import { render, Text } from 'ink';

/*
The smallest Ink app: one line, then exit. The start-up benchmark times it to
its first drawn frame under a pseudo-terminal, the same way as the full TUI.
*/
const app = render(<Text>minimal ink app ready</Text>);
setTimeout(() => app.unmount(), 100);
