import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { CgroupLayout } from "../cgroup/layout.ts";
import { listDir } from "../proc/fast-read.ts";

const maxDepth = 6;

/**
 * The cgroup of a systemd unit or a container, as a path relative to the hierarchy roots. Neither has a
 * fixed place (system.slice/x.service, user.slice/…/x.service; docker/<id>, system.slice/docker-<id>.scope,
 * kubepods/…/cri-containerd-<id>.scope), so we search the tree for the directory's name. A unit keeps its
 * cgroup across restarts; a container gets a new id, hence a new environment.
 */
export function findCgroup(layout: CgroupLayout, kind: "systemd_unit" | "container", selector: string) {
  const matches = kind === "systemd_unit" ? unitMatcher(selector) : containerMatcher(selector);
  const root = layout.v2 && listDir(layout.v2).length > 0 ? layout.v2 : undefined;
  for (const base of [root, layout.v1.memory, layout.v1.pids, layout.v1.cpuacct]) {
    if (!base) continue;
    const found = search(base, matches);
    if (found) return found;
  }
  return undefined;
}

/** Breadth-first, so the shallowest match wins (a unit's own cgroup, not a same-named one below it). */
function search(base: string, matches: (name: string) => boolean): string | undefined {
  let level = [""];
  for (let depth = 0; depth <= maxDepth && level.length; depth++) {
    const next: string[] = [];
    for (const relative of level) {
      for (const name of subdirectories(join(base, relative))) {
        const path = relative ? `${relative}/${name}` : name;
        if (matches(name)) return path;
        next.push(path);
      }
    }
    level = next;
  }
  return undefined;
}

function subdirectories(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

export function unitMatcher(selector: string) {
  if (!/^[\w@:.\\-]+$/.test(selector)) throw new Error(`invalid systemd_unit selector "${selector}"`);
  const unit = /\.(service|scope|slice)$/.test(selector) ? selector : `${selector}.service`;
  return (name: string) => name === unit;
}

export function containerMatcher(selector: string) {
  const id = selector.toLowerCase();
  if (!/^[0-9a-f]{12,64}$/.test(id))
    throw new Error(`invalid container selector "${selector}": expected 12 to 64 hex digits of its id`);
  return (name: string) => {
    if (name.includes("conmon")) return false;
    const bare = name.replace(/^(docker|libpod|crio|cri-containerd|containerd)-/, "").replace(/\.scope$/, "");
    return /^[0-9a-f]{64}$/.test(bare) && bare.startsWith(id);
  };
}
