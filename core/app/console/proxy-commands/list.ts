import { proxyClearCommand } from './clear.js';
import { proxyCloseCommand } from './close.js';
import { proxyConnsCommand } from './conns.js';
import { bufferCommand } from './buffer.js';
import { delayCommand } from './delay.js';
import { dropCommand } from './drop.js';
import { gzipCommand } from './gzip.js';
import { proxyHelpCommand } from './help.js';
import { idleCutCommand } from './idle-cut.js';
import { limitCommand } from './limit.js';
import { pauseCommand } from './pause.js';
import type { ProxyCommandModule } from './proxy-module.js';
import { proxyQuitCommand } from './quit.js';
import { proxyRawCommand } from './raw.js';
import { proxyRespondCommand } from './respond.js';
import { rechunkCommand } from './rechunk.js';
import { resumeCommand } from './resume.js';
import { proxySendCommand } from './send.js';

/*
The commands of `sse-console proxy`, one module each (core/app/console/proxy-commands/NAME.ts),
in the order its `help` lists them. Proxy mode is its own command set: a console
command means another thing here (`send` injects, `pause` holds a stream), so each
proxy command is a module of its own; those the console also has reuse the
console's parser and spec (`runs`), the fault commands parse their own line.
Adding one is a module plus a line here.
*/
export const PROXY_COMMAND_MODULES = [
  proxySendCommand,
  proxyCloseCommand,
  proxyRespondCommand,
  delayCommand,
  dropCommand,
  pauseCommand,
  resumeCommand,
  bufferCommand,
  idleCutCommand,
  limitCommand,
  gzipCommand,
  rechunkCommand,
  proxyConnsCommand,
  proxyRawCommand,
  proxyClearCommand,
  proxyHelpCommand,
  proxyQuitCommand,
  // Each module runs only the commands it parses or lists in `runs` (see proxyModuleFor).
] as readonly unknown[] as readonly ProxyCommandModule[];
