import { sleep } from './clock.js';
import { forkChild, type IpcChild, type Message } from './children.js';
import { streamClientScript, subjectServerScript } from './paths.js';

export interface SubjectProcess {
  readonly child: IpcChild;
  readonly port: number;
  readonly path: string;
  /** How clients connect: 'h1' (HTTP/1.1) or 'h2' (HTTP/2 over TLS). */
  readonly protocol: string;
}

export interface ReportMessage extends Message {
  readonly deliveries: number;
  readonly complete: number;
  readonly connections: number;
  readonly closedByServer: number;
  readonly excess: number;
  readonly outOfOrder: number;
  readonly malformed: number;
  readonly firstDeliveryUs: number;
  readonly lastDeliveryUs: number;
  readonly p50Us: number;
  readonly p99Us: number;
  readonly maxUs: number;
  readonly cpuShare: number;
}

export interface MemoryMessage extends Message {
  readonly rss: number;
  readonly heapUsed: number;
  readonly external: number;
  readonly arrayBuffers: number;
}

/** Starts one subject server in its own process (with --expose-gc for memory readings). */
export async function startSubjectProcess(
  subject: string,
  options: Readonly<Record<string, unknown>> = {},
): Promise<SubjectProcess> {
  const child = forkChild(subjectServerScript, [subject, JSON.stringify(options)], {
    label: subject,
    execArgv: ['--expose-gc'],
  });
  try {
    const ready = await child.next<Message & { port: number; path: string; protocol: string }>('ready', 20_000);
    return { child, port: ready.port, path: ready.path, protocol: ready.protocol };
  } catch (error) {
    await child.stop();
    throw error;
  }
}

/** Starts the load generator in its own process. */
export async function startLoadProcess(): Promise<IpcChild> {
  const child = forkChild(streamClientScript, [], { label: 'load' });
  try {
    await child.next('ready', 20_000);
    return child;
  } catch (error) {
    await child.stop();
    throw error;
  }
}

/** Polls the subject until it has registered `count` connections (some libraries register asynchronously). */
export async function waitForConnections(subject: SubjectProcess, count: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen = 0;
  while (Date.now() < deadline) {
    seen = (await subject.child.request<Message & { connections: number }>({ type: 'count' }, 'count', 10_000))
      .connections;
    if (seen >= count) return;
    await sleep(20);
  }
  throw new Error(`the subject registered ${seen} of ${count} connections within ${timeoutMs} ms`);
}

/** Stops children in reverse order of start, each by its own pid. */
export async function stopAll(children: readonly (IpcChild | undefined)[]): Promise<void> {
  for (const child of [...children].reverse()) await child?.stop();
}

/** Throws if the generator read a duplicated, reordered or corrupted event: the figures would be wrong. */
export function checkDelivery(subject: string, report: ReportMessage): void {
  const { excess, outOfOrder, malformed } = report;
  if (excess > 0 || outOfOrder > 0 || malformed > 0) {
    throw new Error(
      `${subject}: the load generator read ${excess} deliveries too many, ${outOfOrder} out of send order, ${malformed} corrupted`,
    );
  }
}
