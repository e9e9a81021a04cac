import { Badge } from "@/components/ui";

/** A collector polls every few seconds; two minutes of silence means something is wrong on the host. */
export const staleAfterMs = 2 * 60_000;

export function HostState({ lastSeenAt }: { lastSeenAt: Date | null }) {
  if (!lastSeenAt) return <Badge>never seen</Badge>;
  const online = Date.now() - lastSeenAt.getTime() < staleAfterMs;
  return <Badge tone={online ? "good" : "warn"}>{online ? "online" : "stale"}</Badge>;
}

/** Where a collector's upgrade stands, as it last reported it; a failure shows its reason. */
export function UpgradeState({
  state,
  target,
  reason,
}: {
  state: string | null;
  target: string | null;
  reason: string | null;
}) {
  if (!state) return <span className="muted">—</span>;
  const tone = state === "failed" ? "bad" : state === "restarted" ? "good" : "warn";
  return (
    <span data-testid="upgrade-state">
      <Badge tone={tone}>
        {state} {target}
      </Badge>
      {state === "failed" && reason ? <small className="muted"> {reason}</small> : null}
    </span>
  );
}

export function when(date: Date | null): string {
  return date ? date.toISOString().replace("T", " ").slice(0, 19) : "—";
}
