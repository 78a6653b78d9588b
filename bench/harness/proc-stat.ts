import { readFileSync, writeFileSync } from 'node:fs';

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

/** A `kB` field of /proc/PID/status (VmRSS, VmHWM) in bytes; NaN when the process is gone. */
function statusBytes(pid: number, field: string): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((text) => text.startsWith(`${field}:`));
    return line === undefined ? Number.NaN : Number(line.split(/\s+/)[1]) * 1024;
  } catch {
    return Number.NaN;
  }
}

/** Resident memory now. */
export function rssBytes(pid: number): number {
  return statusBytes(pid, 'VmRSS');
}

/** The highest resident memory since start or since the last `resetPeakRss`. */
export function peakRssBytes(pid: number): number {
  return statusBytes(pid, 'VmHWM');
}

/** Starts a new peak-RSS window (writing 5 to clear_refs, Linux ≥ 4.0); false when the kernel refused. */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}
