// Channels demo: one EventSource per channel (/events/news, /events/weather), side by side.
import { element, loadDemoConfig, prependBounded, readyStateName, streamUrl, timeOfDay } from './sse-demo.js';

const CHANNELS = ['news', 'weather'];

/** The stream URL of channel `name`: the configured /events URL plus /NAME. */
function channelUrl(config, name) {
  return streamUrl(config, {}, name);
}

/** #state reads open only when every channel's EventSource is open. */
function showOverallState(sources) {
  const badge = document.getElementById('state');
  const states = sources.map((source) => source.readyState);
  const overall = states.every((state) => state === 1) ? 1 : states.includes(0) ? 0 : 2;
  badge.dataset.state = readyStateName(overall);
  badge.textContent = `${readyStateName(overall)} · ${sources.length} channels`;
}

function openChannel(config, name, onState) {
  const source = new EventSource(channelUrl(config, name));
  const list = document.getElementById(`${name}-log`);
  const count = document.getElementById(`${name}-count`);
  const badge = document.getElementById(`${name}-state`);
  let received = 0;
  const update = () => {
    badge.dataset.state = readyStateName(source.readyState);
    badge.textContent = readyStateName(source.readyState);
    onState();
  };
  source.addEventListener('open', update);
  source.addEventListener('error', update);
  source.onmessage = (event) => {
    received += 1;
    count.textContent = String(received);
    const row = element('li', { data: { id: event.lastEventId } });
    row.append(element('span', { className: 'time', text: timeOfDay() }), event.data);
    if (event.lastEventId !== '') {
      row.append(element('span', { className: 'flag', text: `id ${event.lastEventId}`, data: { flag: 'id' } }));
    }
    prependBounded(list, row);
  };
  return source;
}

const config = await loadDemoConfig();
if (config) {
  const sources = [];
  const onState = () => showOverallState(sources);
  for (const name of CHANNELS) sources.push(openChannel(config, name, onState));
  document.getElementById('stream-url').textContent = CHANNELS.map(
    (name) => new URL(channelUrl(config, name)).pathname,
  ).join(', ');
  onState();
}
