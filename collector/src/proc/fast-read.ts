import { closeSync, openSync, readdirSync, readlinkSync, readSync } from "node:fs";

/**
 * Synchronous /proc and cgroup reads into one reused buffer. A tick reads thousands of tiny files; the
 * promise API costs a thread-pool hop and a fresh buffer per file, which is most of the CPU of a pass.
 * The kernel generates these files on read, so one read call of a large enough buffer gets them whole.
 */
let buffer = Buffer.allocUnsafe(64 * 1024);

const gone = new Set(["ENOENT", "ESRCH", "ENOTDIR"]);

/** The file's text, or null when it (or its process) does not exist. Other errors (EACCES…) throw. */
export function readSmall(path: string): string | null {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    if (gone.has((error as NodeJS.ErrnoException).code ?? "")) return null;
    throw error;
  }
  try {
    let length = 0;
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length === buffer.length) {
        const bigger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(bigger);
        buffer = bigger;
      }
    }
    return buffer.toString("latin1", 0, length);
  } catch (error) {
    // A process that exits between open and read makes the read fail with ESRCH.
    if (gone.has((error as NodeJS.ErrnoException).code ?? "")) return null;
    throw error;
  } finally {
    closeSync(fd);
  }
}

/** Directory entries, or [] when the directory (a process's fd table, a cgroup) is gone. */
export function listDir(path: string): string[] {
  try {
    return readdirSync(path);
  } catch (error) {
    if (gone.has((error as NodeJS.ErrnoException).code ?? "")) return [];
    throw error;
  }
}

/** A symlink's target, or null when it vanished (a descriptor closed between readdir and readlink). */
export function readLink(path: string): string | null {
  try {
    return readlinkSync(path);
  } catch (error) {
    if (gone.has((error as NodeJS.ErrnoException).code ?? "")) return null;
    throw error;
  }
}

/** Value of the line `key: 123` / `key 123` in a small kernel file, as bigint; undefined when absent. */
export function keyedValue(text: string, key: string): bigint | undefined {
  for (let at = text.indexOf(key); at >= 0; at = text.indexOf(key, at + 1)) {
    let i = at + key.length;
    const separator = text[i];
    if ((at > 0 && text[at - 1] !== "\n") || (separator !== ":" && separator !== " ")) continue;
    while (text[i] === ":" || text[i] === " " || text[i] === "\t") i++;
    let end = i;
    while (end < text.length && text.charCodeAt(end) >= 48 && text.charCodeAt(end) <= 57) end++;
    return end > i ? BigInt(text.slice(i, end)) : undefined;
  }
  return undefined;
}
