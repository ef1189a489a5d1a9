/**
 * The data folder's lock across real processes: a second locker waits while the holder runs or
 * is paused (SIGSTOP), and gets the lock the moment the holder is killed (SIGKILL).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { lockDataDir } from "./data-dir-lock";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "data-dir-lock-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A process that takes the lock and says so. */
function holder(dir: string): Promise<ChildProcess> {
  const script = `import { lockDataDir } from ${JSON.stringify(path.resolve("db/data-dir-lock.ts"))};
    await lockDataDir(${JSON.stringify(dir)}, { holder: "holder " + process.pid });
    console.log("locked");
    setInterval(() => undefined, 1000);`;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  cleanups.push(() => child.kill("SIGKILL"));
  return new Promise((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("locked")) resolve(child);
    });
    child.on("exit", (code) => reject(new Error(`holder exited (${code})`)));
  });
}

describe("data folder lock", () => {
  it("makes a second process wait, also while the holder is paused, until the holder is killed", async () => {
    const dir = tempDir();
    const child = await holder(dir);
    child.kill("SIGSTOP");
    let waitedFor: string | undefined;
    let locked = false;
    const mine = lockDataDir(dir, { onWait: (h) => (waitedFor = h) }).then((lock) => {
      locked = true;
      return lock;
    });
    // onWait is called only after the immediate attempt was refused: the paused holder still holds it.
    await expect.poll(() => waitedFor, { timeout: 10_000 }).toBe(`holder ${child.pid}`);
    expect(locked).toBe(false);
    child.kill("SIGKILL");
    const lock = await mine;
    expect(locked).toBe(true);
    lock.release();
  });

  it("is refused a second time in one process (the kernel would grant it)", async () => {
    const dir = tempDir();
    const lock = await lockDataDir(dir);
    await expect(lockDataDir(dir)).rejects.toThrow(/already held by this process/);
    lock.release();
    const again = await lockDataDir(dir);
    again.release();
  });
});
