import type { Reporting } from "@meterplane/fleet";
import { Badge } from "@/components/ui";

/** Whether an environment sends samples; when it does not, the likeliest reason, on hover and in `detail`. */
export function ReportingBadge({ reporting, detail = false }: { reporting?: Reporting; detail?: boolean }) {
  if (!reporting) return null;
  if (reporting.state === "reporting") return <Badge tone="good">reporting</Badge>;
  const badge =
    reporting.state === "waiting" ? (
      <Badge tone="warn">waiting</Badge>
    ) : (
      <Badge tone="bad">not reporting</Badge>
    );
  return (
    <span title={reporting.reason} data-testid="reporting">
      {badge}
      {detail ? ` ${reporting.reason}` : null}
    </span>
  );
}
