import { type AnomalyFilter, countOpenAnomalies } from "@meterplane/alerts";
import { Badge } from "@/components/ui";
import { services } from "@/lib/server";

/** Open (unacknowledged) anomalies of an environment, a host, a tenant or everything, linked to their list. */
export async function AnomalyBadge({ filter, href }: { filter: Omit<AnomalyFilter, "open">; href: string }) {
  const open = await countOpenAnomalies({ db: services().db, filter });
  return (
    <a href={href} data-testid="anomaly-badge">
      <Badge tone={open ? "bad" : "good"}>
        {open ? `${open} open anomal${open === 1 ? "y" : "ies"}` : "no open anomalies"}
      </Badge>
    </a>
  );
}
