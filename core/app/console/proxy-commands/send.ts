import type { SendCommand } from '../commands/send.js';
import { encodeEvent } from '../../../index.js';
import type { ProxyCommandModule } from './proxy-module.js';

/** `send` in proxy mode: an event injected between upstream events, never with an id. */
export const proxySendCommand: ProxyCommandModule<SendCommand> = {
  name: 'send',
  overview: [
    ['send [TEXT] [--event NAME] [--to CONN]', 'inject an event between upstream events (every stream, or one)'],
  ],
  runs: ['send'],
  example: 'send TEXT',
  details: [
    "Injects one event into every proxied stream (or one, with --to CONN), always between two of the app's events, never inside one; it is logged [injected]. TEXT (or --data lines) is its data, --event NAME its type, --retry MS the browser's reconnection time, and --json checks the data is JSON.",
    'It never carries an id: ids belong to your app, and an injected id would move the id the browser sends back on reconnection. So --id is refused, and so are --file and --channel.',
  ],
  refusedFlags: ['--id', '--file', '--channel'],
  run(command, { proxy, emit, exists, noStream }) {
    if (command.id) {
      emit(
        'error',
        'send --id: in proxy mode ids belong to your app; send without --id (an injected event never moves the ids)',
      );
      return;
    }
    if (command.file !== undefined || command.channel !== undefined) {
      emit(
        'error',
        `send ${command.file === undefined ? '--channel' : '--file'}: not in proxy mode; give the data as TEXT (and --to CONN for one stream)`,
      );
      return;
    }
    const input = {
      data: command.data,
      ...(command.event === undefined ? {} : { event: command.event }),
      ...(command.retry === undefined ? {} : { retry: command.retry }),
    };
    const target = command.to ?? 'all';
    if (!exists(target)) {
      noStream(command.to ?? 0);
      return;
    }
    const bytes = encodeEvent(input);
    const count = proxy.inject(target, bytes, {
      event: command.event ?? 'message',
      data: command.data,
      id: undefined,
      lastEventId: '',
    });
    emit('output', `injected into ${count} stream${count === 1 ? '' : 's'} (between upstream events)`, {
      type: 'proxy-injected',
      streams: count,
    });
  },
};
