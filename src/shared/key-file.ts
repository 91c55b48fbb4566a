/**
 * A secret key kept in a file of its own, created with random bytes on first use (the outbox key
 * of a single SQLite node).
 */
import { randomBytes } from "node:crypto";
import {
  closeSync,
  existsSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { dirname } from "node:path";

/**
 * Reads the key file, or creates it (readable by its owner only) if there is none yet. The key
 * is written and synced under a temporary name, then linked into place, which fails if another
 * process got there first: the file is never seen empty or half-written, and both processes end
 * up with the same key. Where the file system has no hard links, it is created in place instead.
 */
export function readOrCreateKeyFile(path: string, bytes: number): Buffer {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    const content = `${randomBytes(bytes).toString("base64")}\n`;
    const temporary = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    writeSynced(temporary, content);
    try {
      linkSync(temporary, path);
      syncDirectory(dirname(path));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EPERM" || code === "ENOTSUP" || code === "ENOSYS") writeSynced(path, content, true);
      else if (code !== "EEXIST") throw error;
    } finally {
      unlinkSync(temporary);
    }
  }
  const key = Buffer.from(readFileSync(path, "utf8").trim(), "base64");
  if (key.length !== bytes) {
    throw new Error(`The key file ${path} does not hold a ${bytes}-byte base64 key.`);
  }
  return key;
}

/** Creates `path` (never over an existing file, mode 600) with `content`, synced to disk. */
function writeSynced(path: string, content: string, existingIsFine = false): void {
  let fd: number;
  try {
    fd = openSync(path, "wx", 0o600);
  } catch (error) {
    if (existingIsFine && (error as NodeJS.ErrnoException).code === "EEXIST") return;
    throw error;
  }
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Makes a new directory entry durable; best effort where directories can't be opened. */
function syncDirectory(path: string): void {
  try {
    const fd = openSync(path, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Not every platform lets a directory be fsynced; the key is on disk either way.
  }
}
