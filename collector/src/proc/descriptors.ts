import { statSync } from "node:fs";
import { listDir, readLink } from "./fast-read.ts";

export const descriptorKinds = ["file", "socket", "pipe", "other"] as const;
export type DescriptorKind = (typeof descriptorKinds)[number];

/** A process's open descriptors by kind, and the inodes of its sockets (to find its connections). */
export interface Descriptors {
  counts: Record<DescriptorKind, number>;
  socketInodes: string[];
}

/**
 * Classifies /proc/PID/fd links. `socket:[ino]` and `pipe:[ino]` (FIFOs opened by path are pipes too,
 * decided by stat) name themselves; a path is a `file` only if it is a regular file (stat through the
 * link: directories and devices are `other`, as are anon inodes such as eventfd and epoll).
 * Device paths skip the stat: they are never regular files, and every process has a few.
 */
export function readDescriptors(pid: number): Descriptors {
  const counts = { file: 0, socket: 0, pipe: 0, other: 0 };
  const socketInodes: string[] = [];
  const dir = `/proc/${pid}/fd`;
  for (const fd of listDir(dir)) {
    const target = readLink(`${dir}/${fd}`);
    if (target === null) continue;
    if (target.startsWith("socket:[")) {
      counts.socket++;
      socketInodes.push(target.slice(8, -1));
    } else if (target.startsWith("pipe:[")) counts.pipe++;
    else if (!target.startsWith("/") || (target.startsWith("/dev/") && !target.startsWith("/dev/shm/")))
      counts.other++;
    else {
      const stat = statSync(`${dir}/${fd}`, { throwIfNoEntry: false });
      if (!stat) continue;
      if (stat.isFile()) counts.file++;
      else if (stat.isFIFO()) counts.pipe++;
      else counts.other++;
    }
  }
  return { counts, socketInodes };
}
