import { readFileSync } from 'node:fs';

/** Kernel clock ticks per second for /proc/PID/stat times (100 on every Linux this runs on). */
const clockTicksPerSecond = 100;

/**
CPU time (user + system, ms) a process has used, from /proc/PID/stat. Reading it
from outside costs the process nothing; the resolution is one clock tick (10 ms).
NaN when the process is gone or /proc is not there.
*/
export function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return ((utime + stime) * 1000) / clockTicksPerSecond;
  } catch {
    return Number.NaN;
  }
}

/** Parent pid of a process, from /proc/PID/stat; undefined when it is gone. */
export function parentPid(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}
