import type { Scope } from "../environments/scope.ts";
import { type DescriptorKind, descriptorKinds } from "../proc/descriptors.ts";
import type { Meter } from "./meter.ts";

function countDescriptors(scope: Scope): Record<DescriptorKind, bigint> {
  const totals = { file: 0n, socket: 0n, pipe: 0n, other: 0n };
  for (const member of scope.members()) {
    const { counts } = scope.tick.fds(member.pid);
    for (const kind of descriptorKinds) totals[kind] += BigInt(counts[kind]);
  }
  return totals;
}

/** Descriptors that refer to regular files, summed over the environment's processes. */
export const openFilesMeter: Meter = {
  name: "open_files",
  kind: "gauge",
  scale: 0,
  read(scope) {
    return [{ value: countDescriptors(scope).file }];
  },
};

/**
 * Every open descriptor, by kind: file (regular files), socket, pipe (pipes and FIFOs), other (devices,
 * directories, eventfd/epoll/timerfd and other anon inodes). A descriptor shared by several processes
 * (inherited across fork) counts once per process holding it, as each holds a slot of its own.
 */
export const openResourcesMeter: Meter = {
  name: "open_resources",
  kind: "gauge",
  scale: 0,
  read(scope) {
    const totals = countDescriptors(scope);
    return descriptorKinds.map((kind) => ({ value: totals[kind], dimensions: { kind } }));
  },
};
