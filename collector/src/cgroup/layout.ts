import { readFileSync } from "node:fs";

/**
 * Where the cgroup hierarchies are mounted. Hosts come in three shapes: pure v2 (everything under one
 * cgroup2 mount), hybrid (a cgroup2 mount with few or no controllers, e.g. /sys/fs/cgroup/unified, next to v1
 * hierarchies per controller) and pure v1. We read /proc/self/mountinfo once instead of guessing paths.
 */
export interface CgroupLayout {
  v2?: string;
  v1: Partial<Record<V1Controller, string>>;
}

export const v1Controllers = ["memory", "cpuacct", "pids"] as const;
export type V1Controller = (typeof v1Controllers)[number];

export function parseMountinfo(text: string): CgroupLayout {
  const layout: CgroupLayout = { v1: {} };
  for (const line of text.split("\n")) {
    // "id parent dev root mountpoint options [optional…] - fstype source superoptions"
    const [left, right] = line.split(" - ");
    if (!left || !right) continue;
    const mountPoint = unescapeMount(left.split(" ")[4] ?? "");
    const [fsType, , superOptions = ""] = right.split(" ");
    if (fsType === "cgroup2" && !layout.v2) layout.v2 = mountPoint;
    if (fsType !== "cgroup") continue;
    const options = superOptions.split(",");
    for (const controller of v1Controllers) {
      if (options.includes(controller) && !layout.v1[controller]) layout.v1[controller] = mountPoint;
    }
  }
  return layout;
}

// mountinfo escapes space, tab, newline and backslash as \ooo octal.
function unescapeMount(path: string): string {
  return path.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
}

export function detectCgroupLayout(mountinfoPath = "/proc/self/mountinfo"): CgroupLayout {
  return parseMountinfo(readFileSync(mountinfoPath, "utf8"));
}
