import { Badge } from "@/components/ui";

/** A collector polls every few seconds; two minutes of silence means something is wrong on the host. */
export const staleAfterMs = 2 * 60_000;

export function HostState({ lastSeenAt }: { lastSeenAt: Date | null }) {
  if (!lastSeenAt) return <Badge>never seen</Badge>;
  const online = Date.now() - lastSeenAt.getTime() < staleAfterMs;
  return <Badge tone={online ? "good" : "warn"}>{online ? "online" : "stale"}</Badge>;
}

export function when(date: Date | null): string {
  return date ? date.toISOString().replace("T", " ").slice(0, 19) : "—";
}
