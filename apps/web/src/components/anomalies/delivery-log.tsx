import { Badge } from "@/components/ui";

export const stamp = (d: Date) => d.toISOString().replace("T", " ").slice(0, 19);

/** The latest deliveries of one webhook endpoint: what was sent, and how the endpoint answered. */
export function DeliveryLog({
  deliveries,
}: {
  deliveries: {
    id: string;
    createdAt: Date;
    anomalyId: string | null;
    status: string;
    attempts: number;
    responseCode: number | null;
    lastError: string | null;
  }[];
}) {
  return (
    <table data-testid="delivery-log">
      <thead>
        <tr>
          <th>Queued</th>
          <th>Message</th>
          <th>Status</th>
          <th>Attempts</th>
          <th>Last answer</th>
        </tr>
      </thead>
      <tbody>
        {deliveries.map((d) => (
          <tr key={d.id}>
            <td>{stamp(d.createdAt)}</td>
            <td>{d.anomalyId ? `anomaly ${d.anomalyId.slice(0, 8)}` : "test"}</td>
            <td>
              <Badge tone={d.status === "delivered" ? "good" : d.status === "failed" ? "bad" : "warn"}>
                {d.status}
              </Badge>
            </td>
            <td>{d.attempts}</td>
            <td>{d.responseCode ?? d.lastError ?? "—"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
