import { nowUs, sleep } from '../harness/clock.js';
import { serveCommands, tell } from '../harness/child-ipc.js';
import { stampedData } from '../harness/event-data.js';
import { isSubjectName, startSubject } from './start-subject.js';
import type { Subject, SubjectOptions } from './subject.js';

/*
A subject process: one SSE server under test on 127.0.0.1, port 0. It reports
`ready` with its port, then sends events when the runner says so, the way a
user's code would (a loop that yields to the event loop between batches).
Usage: node server.js SUBJECT [OPTIONS_JSON]
*/

const [name = '', optionsJson = '{}'] = process.argv.slice(2);
if (!isSubjectName(name)) throw new Error(`unknown subject "${name}"`);
const options = JSON.parse(optionsJson) as SubjectOptions;
const subject: Subject = await startSubject(name, options);

/** Sends `events` events, `batch` per turn of the event loop, as fast as the loop allows. */
function burst(events: number, batch: number, size: number): Promise<{ firstSendUs: number; lastSendUs: number }> {
  return new Promise((resolve) => {
    const firstSendUs = nowUs();
    let sent = 0;
    const step = (): void => {
      const end = Math.min(events, sent + batch);
      for (; sent < end; sent += 1) subject.broadcast(stampedData(size));
      if (sent < events) setImmediate(step);
      else resolve({ firstSendUs, lastSendUs: nowUs() });
    };
    step();
  });
}

/** Sends `rate` events per second for `durationMs`, catching up on whatever is due at each timer tick. */
function steady(
  rate: number,
  durationMs: number,
  size: number,
): Promise<{ sent: number; firstSendUs: number; lastSendUs: number }> {
  return new Promise((resolve) => {
    const total = Math.round((rate * durationMs) / 1000);
    const firstSendUs = nowUs();
    let sent = 0;
    const tick = (): void => {
      const due = Math.min(total, Math.floor(((nowUs() - firstSendUs) / 1e6) * rate) + 1);
      for (; sent < due; sent += 1) subject.broadcast(stampedData(size));
      if (sent < total) setTimeout(tick, 1);
      else resolve({ sent, firstSendUs, lastSendUs: nowUs() });
    };
    tick();
  });
}

/** Memory after full collections (the runner starts subjects with --expose-gc). */
async function settledMemory(): Promise<NodeJS.MemoryUsage> {
  if (!globalThis.gc) throw new Error('subject processes need --expose-gc');
  for (let i = 0; i < 3; i += 1) {
    globalThis.gc();
    await sleep(50);
  }
  return process.memoryUsage();
}

serveCommands(async (message) => {
  switch (message.type) {
    case 'count':
      tell({ type: 'count', connections: subject.connectionCount() });
      return;
    case 'burst':
      tell({
        type: 'burst-done',
        ...(await burst(Number(message.events), Number(message.batch), Number(message.size))),
      });
      return;
    case 'steady':
      tell({
        type: 'steady-done',
        ...(await steady(Number(message.rate), Number(message.durationMs), Number(message.size))),
      });
      return;
    case 'memory': {
      const memory = await settledMemory();
      tell({
        type: 'memory',
        rss: memory.rss,
        heapUsed: memory.heapUsed,
        external: memory.external,
        arrayBuffers: memory.arrayBuffers,
      });
      return;
    }
    case 'fill': {
      if (!subject.fillHistory) throw new Error(`subject ${name} has no replay log to fill`);
      const size = Number(message.size);
      const started = nowUs();
      subject.fillHistory(Number(message.count), () => stampedData(size));
      tell({ type: 'filled', ms: (nowUs() - started) / 1000 });
      return;
    }
    case 'stop':
      await subject.stop();
      tell({ type: 'stopped' });
      process.exit(0);
      return;
    default:
      throw new Error(`unknown command "${message.type}"`);
  }
});

tell({ type: 'ready', port: subject.port, path: subject.path, protocol: subject.protocol ?? 'h1' });
