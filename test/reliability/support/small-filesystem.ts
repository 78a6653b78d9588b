/**
A real small filesystem for tests of what a full disk does: a tmpfs of a few pages,
mounted on a fresh folder and unmounted after the test. Mounting needs root (the
tests run as root); `tmpfsMountable` says whether it can be done here, once.
*/
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Cleanup } from '../../support/wait.js';

function mount(dir: string, bytes: number): void {
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes},mode=0700`, 'tmpfs', dir], { stdio: 'ignore' });
}

/** True when this process may mount a tmpfs (root, and a kernel that lets it). */
export const tmpfsMountable: boolean = (() => {
  if (process.getuid?.() !== 0) return false;
  const probe = mkdtempSync(join(tmpdir(), 'sse-console-tmpfs-probe-'));
  try {
    mount(probe, 4096);
    execFileSync('umount', [probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmdirSync(probe);
  }
})();

export interface SmallFilesystem {
  readonly dir: string;
  /** Gives the filesystem more room (a remount keeps its files). */
  grow(bytes: number): void;
}

/** Mounts a tmpfs of `bytes` (rounded up to pages) at DIR/name; unmounted after the test. */
export function mountSmallFilesystem(parent: string, bytes: number, cleanup: Cleanup): SmallFilesystem {
  const dir = join(parent, 'small-filesystem');
  mkdirSync(dir);
  mount(dir, bytes);
  cleanup(() => execFileSync('umount', [dir], { stdio: 'ignore' }));
  return {
    dir,
    grow(more) {
      execFileSync('mount', ['-o', `remount,size=${more}`, dir], { stdio: 'ignore' });
    },
  };
}
