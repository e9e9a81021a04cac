import type { Meter } from "./meter.ts";

/**
 * Distinct remote addresses with an established TCP connection to one of the environment's listening
 * ports (a port is the environment's when one of its processes holds the listening socket). Read from
 * /proc/<pid>/net/tcp{,6} of each network namespace the environment's processes live in: no spawn.
 * Loopback peers count like any other: 127.0.0.2 and 127.0.0.3 are two users.
 */
export const concurrentUsersMeter: Meter = {
  name: "concurrent_users",
  kind: "gauge",
  scale: 0,
  read(scope) {
    const byNamespace = new Map<string, { pid: number; inodes: Set<string> }>();
    for (const member of scope.members()) {
      const { socketInodes } = scope.tick.fds(member.pid);
      const ns = socketInodes.length ? scope.tick.netns(member.pid) : null;
      if (ns === null) continue;
      const group = byNamespace.get(ns) ?? { pid: member.pid, inodes: new Set<string>() };
      for (const inode of socketInodes) group.inodes.add(inode);
      byNamespace.set(ns, group);
    }
    const peers = new Set<string>();
    for (const [ns, { pid, inodes }] of byNamespace) {
      const sockets = scope.tick.inetSockets(pid);
      const ports = new Set(
        sockets.filter((s) => s.listening && inodes.has(s.inode)).map((s) => s.localPort),
      );
      if (ports.size === 0) continue;
      for (const s of sockets)
        if (s.established && ports.has(s.localPort)) peers.add(`${ns}/${s.remoteAddress}`);
    }
    return [{ value: BigInt(peers.size) }];
  },
};
