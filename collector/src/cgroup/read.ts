import { readFile } from "node:fs/promises";

/** Reads a kernel file, or null when it does not exist (the cgroup or process is gone, or never had it). */
export async function readOptional(path: string): Promise<string | null> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ESRCH: a /proc/PID file whose process exited between readdir and read.
    if (code === "ENOENT" || code === "ESRCH") return null;
    throw error;
  }
}

/** A "key value" file such as cpu.stat or memory.stat, as integers (kernel counters exceed 2^53). */
export function parseFlatKeyed(text: string): Map<string, bigint> {
  const values = new Map<string, bigint>();
  for (const line of text.split("\n")) {
    const [key, value] = line.trim().split(/\s+/);
    if (key && value && /^\d+$/.test(value)) values.set(key, BigInt(value));
  }
  return values;
}

export function countLines(text: string): number {
  return text.split("\n").filter((line) => line.trim() !== "").length;
}
