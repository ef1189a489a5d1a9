/**
 * One process per PGlite data folder. PGlite is PostgreSQL inside this process over the files of
 * the folder: two processes opening one folder each believe they own the files (PGlite lets the
 * second one open it without a word) and corrupt them. So a server locks
 * `<DATA_DIR>/engine.lock` before it opens the database, and a second server on the same folder
 * waits there, a standby, until the first one's process ends; then it opens the database and
 * starts the engine.
 *
 * The lock is the kernel's (an fcntl write lock, through os-lock), not a file's presence or age:
 * the kernel drops it when the holding process ends however it ends (SIGKILL too), so no lock is
 * ever stale; and keeps it while the process is only paused (SIGSTOP), so a paused server's
 * folder is never opened by another. (proper-lockfile and its kind call a lock stale when its
 * mtime stops moving, which is what a paused or busy process looks like: the second PGlite
 * would open a folder the first still has open.) The wait blocks in the kernel on one libuv
 * worker thread: nothing polls. Holds across containers sharing the folder on one host.
 *
 * Never delete the file while a server runs: the next one would lock a new file beside the held
 * one. fcntl locks belong to a process, so a second lock of one folder in the same process would
 * be granted: it is refused here instead.
 */
import { closeSync, constants, ftruncateSync, mkdirSync, openSync, readSync, writeSync } from "node:fs";
import path from "node:path";

export interface DataDirLock {
  path: string;
  /** Closes the file, which drops the lock (the process ending does the same). */
  release(): void;
}

export interface LockOptions {
  /** Called once if another process holds the folder, with what it wrote in the file. */
  onWait?: (holder: string) => void;
  /** Written into the file while held, for the next server's message. */
  holder?: string;
}

// On globalThis: Next loads this module in more than one bundle of one process. The descriptor
// is kept here too, so nothing can close it by accident (closing any descriptor drops the lock).
const heldKey = Symbol.for("tenant-cloud.data-dir-locks");
type GlobalWithLocks = typeof globalThis & { [heldKey]?: Map<string, number> };

function held(): Map<string, number> {
  const g = globalThis as GlobalWithLocks;
  g[heldKey] ??= new Map();
  return g[heldKey];
}

export function lockFileOf(dataDir: string): string {
  return path.resolve(dataDir, "engine.lock");
}

export async function lockDataDir(dataDir: string, options: LockOptions = {}): Promise<DataDirLock> {
  const file = lockFileOf(dataDir);
  if (held().has(file)) throw new Error(`${file} is already held by this process: one database per data folder`);
  mkdirSync(path.dirname(file), { recursive: true });
  // Read-write without truncating: what the holder wrote stays readable until we hold it.
  const fd = openSync(file, constants.O_RDWR | constants.O_CREAT, 0o644);
  try {
    const { lock } = await import("os-lock");
    try {
      await lock(fd, { exclusive: true, immediate: true });
    } catch (error) {
      if (!isBusy(error)) throw error;
      options.onWait?.(readHolder(fd));
      await lock(fd, { exclusive: true });
    }
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  held().set(file, fd);
  ftruncateSync(fd, 0);
  writeSync(fd, `${options.holder ?? `pid ${process.pid}`}\n`, 0);
  return {
    path: file,
    release() {
      if (held().get(file) !== fd) return;
      held().delete(file);
      closeSync(fd);
    },
  };
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === "EAGAIN" || code === "EACCES" || code === "EBUSY";
}

function readHolder(fd: number): string {
  const buffer = Buffer.alloc(512);
  const n = readSync(fd, buffer, 0, buffer.length, 0);
  return buffer.subarray(0, n).toString("utf8").trim() || "another process";
}
