import { AppError, invalidFields } from "@meterplane/core";
import type { EnvironmentKind, Prisma } from "@meterplane/db";

/**
 * A selector in the one form the collector reads and overlaps are judged by, or VALIDATION_FAILED at the
 * `selector` field saying what the kind expects: the same rules as the collector's, so what is saved is
 * what a host can find, and the parse error is seen when saving rather than only in the host's log.
 */
export function normalizeSelector(kind: EnvironmentKind, selector: string): string {
  const text = selector.trim();
  const refuse = (message: string): never => {
    throw invalidFields({ selector: message }, `the ${kind.replace("_", " ")} selector is not valid`);
  };
  switch (kind) {
    case "cgroup": {
      // Relative to the hierarchy roots, as in /sys/fs/cgroup/<path>; no climbing out of the mounts.
      const path = text
        .replace(/^\/+/, "")
        .replace(/^sys\/fs\/cgroup\//, "")
        .replace(/\/+$/, "");
      const parts = path.split("/");
      if (path === "" || parts.some((p) => p === "" || p === "." || p === ".." || !/^[\w.:@+\\-]+$/.test(p)))
        refuse(
          'a cgroup path like "system.slice/app.service" or "meterplane/app": names of letters, digits and . _ - : @ +, separated by /',
        );
      return path;
    }
    case "systemd_unit":
      if (!/^[\w@:.\\-]+$/.test(text)) refuse('a unit name like "nginx.service" or "nginx"');
      return /\.(service|scope|slice)$/.test(text) ? text : `${text}.service`;
    case "container":
      if (!/^[0-9a-fA-F]{12,64}$/.test(text)) refuse("12 to 64 hex digits of the container's id");
      return text.toLowerCase();
    case "process_tree": {
      const pid = /^pid:(\d+)$/.exec(text)?.[1];
      if (pid) return Number(pid) >= 1 ? `pid:${Number(pid)}` : refuse("a process id is 1 or more");
      const pattern = /^cmdline:(.+)$/s.exec(text)?.[1];
      if (pattern === undefined)
        return refuse("pid:<n> for one process and its children, or cmdline:<regex>");
      try {
        new RegExp(pattern);
      } catch (error) {
        refuse(`the regular expression does not compile: ${(error as Error).message}`);
      }
      return `cmdline:${pattern}`;
    }
  }
}

interface Placed {
  kind: EnvironmentKind;
  selector: string;
}

/**
 * Refuses a selector that meters what another environment on the host already meters (invariant 7): the
 * same or nested cgroups, the same unit or container, or a cgroup inside a unit's or container's, the same
 * process tree root or command-line pattern. The host row is locked until the caller's transaction ends, so
 * two environments saved at once are judged one after the other.
 */
export async function assertSelectorFree(
  tx: Prisma.TransactionClient,
  { hostId, kind, selector, environmentId }: Placed & { hostId: string; environmentId?: string },
) {
  await tx.$queryRaw`SELECT id FROM "Host" WHERE id = ${hostId}::uuid FOR UPDATE`;
  const others = await tx.environment.findMany({
    where: { hostId, removedAt: null, ...(environmentId ? { NOT: { id: environmentId } } : {}) },
    include: { tenant: { select: { name: true } } },
  });
  for (const other of others) {
    const reason = overlap({ kind, selector }, other) ?? overlap(other, { kind, selector });
    if (reason) {
      const message = `${reason} "${other.name}" (${other.tenant.name}) on this host already meters: one application's usage would be billed twice`;
      throw new AppError("CONFLICT", message, { fields: { selector: message } });
    }
  }
}

/** Why `a` and `b` would meter the same processes, judged from `a`'s side, or undefined. */
function overlap(a: Placed, b: Placed): string | undefined {
  if (a.kind === "cgroup" && b.kind === "cgroup") {
    if (a.selector === b.selector) return "this is the cgroup that";
    if (b.selector.startsWith(`${a.selector}/`)) return "this cgroup contains the cgroup that";
    if (a.selector.startsWith(`${b.selector}/`)) return "this cgroup is inside the cgroup that";
  }
  if (a.kind === b.kind && a.selector === b.selector)
    return a.kind === "process_tree"
      ? "this is the process tree that"
      : `this is the ${a.kind.replace("_", " ")} that`;
  if (a.kind === "container" && b.kind === "container")
    if (a.selector.startsWith(b.selector) || b.selector.startsWith(a.selector))
      return "this is the container that";
  if (a.kind === "cgroup") {
    const parts = a.selector.split("/");
    if (b.kind === "systemd_unit" && parts.includes(b.selector)) return "this cgroup is in the unit that";
    if (b.kind === "container" && parts.some((p) => containerIdOf(p)?.startsWith(b.selector)))
      return "this cgroup is in the container that";
  }
  return undefined;
}

/** The id in a container's cgroup name (`docker-<id>.scope`, `<id>`), as the collector finds it. */
function containerIdOf(name: string): string | undefined {
  const bare = name.replace(/^(docker|libpod|crio|cri-containerd|containerd)-/, "").replace(/\.scope$/, "");
  return /^[0-9a-f]{64}$/.test(bare) ? bare : undefined;
}
