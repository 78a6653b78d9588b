import type { JobInfo } from './types.js';

/** Repeating commands (`every 1s send …`), each on its own interval timer. */
export interface JobScheduler {
  start(intervalMs: number, source: string, tick: (n: number) => void): JobInfo;
  stop(id: number): boolean;
  stopAll(): number;
  list(): JobInfo[];
}

interface Job {
  info: JobInfo;
  timer: NodeJS.Timeout;
}

export function createJobScheduler(now: () => number): JobScheduler {
  const jobs = new Map<number, Job>();
  let lastId = 0;

  return {
    start(intervalMs, source, tick) {
      const id = ++lastId;
      const job: Job = {
        info: { id, intervalMs, source, runs: 0, startedAt: now() },
        timer: setInterval(() => {
          job.info = { ...job.info, runs: job.info.runs + 1 };
          tick(job.info.runs);
        }, intervalMs),
      };
      jobs.set(id, job);
      return job.info;
    },
    stop(id) {
      const job = jobs.get(id);
      if (!job) return false;
      clearInterval(job.timer);
      jobs.delete(id);
      return true;
    },
    stopAll() {
      const count = jobs.size;
      for (const job of jobs.values()) clearInterval(job.timer);
      jobs.clear();
      return count;
    },
    list() {
      return [...jobs.values()].map((job) => job.info);
    },
  };
}
