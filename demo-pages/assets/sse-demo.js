/*
Shared by every demo page: reads /config.json, builds the stream URL, opens the
EventSource and keeps the connection badge (#state) in step with readyState.

Event data is untrusted. Everything here and in the pages writes text
(textContent, value), never HTML.
*/

const READY_STATE_NAMES = ['connecting', 'open', 'closed'];

/** 'connecting' | 'open' | 'closed' for EventSource.readyState 0 | 1 | 2. */
export function readyStateName(readyState) {
  return READY_STATE_NAMES[readyState] ?? `unknown (${readyState})`;
}

/** `{ sseUrl, token?, pages }` from the page server. */
export async function loadConfig() {
  const response = await fetch('/config.json', { cache: 'no-store' });
  if (!response.ok) {
    throw new Error(`GET /config.json answered ${response.status}; is sse-console still running?`);
  }
  return response.json();
}

/**
The stream URL with `params` added, plus `?token=` when the config has one
(EventSource cannot send an Authorization header). A relative sseUrl is taken
as same-origin. With `channel`, the URL of that channel: the configured
/events URL plus /NAME.
*/
export function streamUrl(config, params = {}, channel = undefined) {
  const url = new URL(config.sseUrl, window.location.href);
  if (channel !== undefined) url.pathname = `${url.pathname.replace(/\/$/, '')}/${channel}`;
  for (const [name, value] of Object.entries(params)) {
    url.searchParams.set(name, String(value));
  }
  if (config.token) url.searchParams.set('token', config.token);
  return url.href;
}

/** Headers for the page server's POST endpoints. */
export function authHeaders(config) {
  return config.token ? { Authorization: `Bearer ${config.token}` } : {};
}

/** Shows `source`'s state in #state: name and number, plus an optional note. */
export function showState(source, note) {
  const badge = document.getElementById('state');
  if (!badge) return;
  const name = readyStateName(source.readyState);
  badge.dataset.state = name;
  badge.dataset.readyState = String(source.readyState);
  badge.textContent = `${name} · readyState ${source.readyState}${note ? ` · ${note}` : ''}`;
}

/**
Opens an EventSource on the configured stream (or on its `channel`, /events/NAME)
and keeps #state current. `onStateChange(readyState, event)` runs after every open
and error event.
*/
export function openStream(config, { params = {}, channel, onStateChange } = {}) {
  const url = streamUrl(config, params, channel);
  showStreamUrl(url);
  const source = new EventSource(url);
  const stuck = watchConnecting(source);
  const update = (event) => {
    showState(source);
    stuck.update();
    if (onStateChange) onStateChange(source.readyState, event);
  };
  source.addEventListener('open', update);
  source.addEventListener('error', update);
  showState(source);
  return source;
}

/** How long CONNECTING may last before the page suggests the connection limit. */
export const CONNECTING_HINT_MS = 3000;

export const CONNECTION_LIMIT_HINT =
  'Still connecting after 3 s. Over HTTP/1.1 a browser opens at most 6 connections per host, and each open ' +
  'EventSource holds one: with 6 stream tabs open, this one waits for another to close. Close a tab ' +
  '(or type `close all` in the console).';

/**
Shows CONNECTION_LIMIT_HINT in #problem while `source` stays CONNECTING for
CONNECTING_HINT_MS, and takes it away once the stream opens or is closed.
*/
function watchConnecting(source) {
  let timer;
  let shown = false;
  const clear = () => {
    clearTimeout(timer);
    timer = undefined;
    if (shown) showProblem('');
    shown = false;
  };
  const arm = () => {
    if (timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      if (source.readyState !== EventSource.CONNECTING) return;
      shown = true;
      showProblem(CONNECTION_LIMIT_HINT);
    }, CONNECTING_HINT_MS);
  };
  arm();
  return {
    update() {
      if (source.readyState === EventSource.CONNECTING) arm();
      else clear();
    },
  };
}

/** Closes for good (no reconnect) and shows it. */
export function closeStream(source) {
  source.close();
  showState(source, 'closed by this page');
}

/**
The usual start of a page: config, then the stream. Resolves to
`{ config, source }`, or undefined after showing what went wrong.
*/
export async function startDemo(options = {}) {
  const config = await loadDemoConfig();
  return config === undefined ? undefined : { config, source: openStream(config, options) };
}

/** Config for a page that opens its own streams; undefined after showing what went wrong. */
export async function loadDemoConfig() {
  enableCopyButtons();
  try {
    const config = await loadConfig();
    showLaunchCommands(config);
    return config;
  } catch (error) {
    showProblem(`Could not read the page configuration: ${messageOf(error)}`);
    const badge = document.getElementById('state');
    if (badge) {
      badge.dataset.state = 'closed';
      badge.textContent = 'no configuration';
    }
    return undefined;
  }
}

/** Shows one line in #problem (hidden while empty). */
export function showProblem(message) {
  const element = document.getElementById('problem');
  if (!element) return;
  element.textContent = message;
  element.hidden = message === '';
}

/** A new element with text content and data attributes; never parses HTML. */
export function element(tag, { text, className, data } = {}) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  for (const [key, value] of Object.entries(data ?? {})) node.dataset[key] = String(value);
  return node;
}

/** Puts `node` first in `list` and trims the list to `limit` children. */
export function prependBounded(list, node, limit = 300) {
  list.prepend(node);
  while (list.children.length > limit) list.lastElementChild.remove();
}

/** HH:MM:SS.mmm in local time. */
export function timeOfDay(date = new Date()) {
  const pad = (value, width = 2) => String(value).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

export function messageOf(error) {
  return error instanceof Error ? error.message : String(error);
}

/**
Puts each word of a command in a `span.word` (CSS keeps it on one line), so a command
too long for its box wraps between words and not after a hyphen (`--` / `id`).
The text, and so what Copy copies, stays the same.
*/
function keepWordsWhole(block) {
  const parts = block.textContent.split(/(\s+)/).filter((part) => part !== '');
  block.replaceChildren(
    ...parts.map((part) => (/^\s+$/.test(part) ? part : element('span', { text: part, className: 'word' }))),
  );
}

/** Shows the stream URL in #stream-url, token hidden (it may be on screen in a demo). */
function showStreamUrl(href) {
  const target = document.getElementById('stream-url');
  if (!target) return;
  const url = new URL(href);
  if (url.searchParams.has('token')) url.searchParams.set('token', '…');
  target.textContent = url.href;
}

/**
Each `[data-launch-args]` element becomes the command that starts the console the
way this one was started (`npm start --`, `npx sse-console`, a path …, from
/config.json) followed by those arguments, so a copied line runs where it is pasted.
*/
function showLaunchCommands(config) {
  const launch = typeof config.launchCommand === 'string' ? config.launchCommand : 'sse-console';
  for (const target of document.querySelectorAll('[data-launch-args]')) {
    target.textContent = `${launch} ${target.dataset.launchArgs}`;
  }
}

/**
A Copy button after each `pre.command`, where the clipboard is available; the two go
in one `.command-row`, so the button sits beside its command at every width.
*/
function enableCopyButtons() {
  for (const block of document.querySelectorAll('pre.command')) keepWordsWhole(block);
  if (!navigator.clipboard) return;
  for (const block of document.querySelectorAll('pre.command')) {
    const row = element('div', { className: 'command-row' });
    block.replaceWith(row);
    row.append(block);
    const button = element('button', { text: 'Copy', className: 'copy' });
    button.type = 'button';
    button.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(block.textContent.trim());
        button.textContent = 'Copied';
      } catch {
        button.textContent = 'Select and copy';
      }
      setTimeout(() => {
        button.textContent = 'Copy';
      }, 1500);
    });
    block.after(button);
  }
}
