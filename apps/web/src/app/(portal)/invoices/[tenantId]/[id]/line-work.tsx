import { getLineWork } from "@meterplane/invoicing";
import { services } from "@/lib/server";

interface Line {
  id: string;
  description: string;
  tiers: unknown;
  sources: unknown;
}

/**
 * "Show the work": a line's tier slices and the rollups it was computed from, fetched only when the line has
 * sources, and folded away so the invoice stays readable.
 */
export async function LineWork({ tenantId, line }: { tenantId: string; line: Line }) {
  const tiers = Array.isArray(line.tiers) ? (line.tiers as Record<string, string | null>[]) : [];
  const hasSources = Array.isArray(line.sources) && line.sources.length > 0;
  const work = hasSources
    ? await getLineWork({ db: services().db, tenantId, lineId: line.id, limit: 20 })
    : null;
  if (!tiers.length && !work) return <>{line.description}</>;
  return (
    <details>
      <summary>{line.description}</summary>
      {tiers.length ? (
        <ul className="muted">
          {tiers.map((t) => (
            <li key={`${t.from}-${t.upTo}`}>
              ({t.from}, {t.upTo ?? "∞"}]: {t.quantity} × {t.unitPrice}
              {t.flatFee && t.flatFee !== "0" ? ` + ${t.flatFee}` : ""} = {t.amount}
            </li>
          ))}
        </ul>
      ) : null}
      {work ? (
        <>
          <div className="muted">{work.rollups.length} rollups:</div>
          <pre className="muted">
            {work.rollups
              .slice(0, 24)
              .map((r) => JSON.stringify(r))
              .join("\n")}
            {work.rollups.length > 24 ? `\n… ${work.rollups.length - 24} more` : ""}
          </pre>
          <div className="muted">
            {work.samples.length}
            {work.truncated ? "+" : ""} raw samples behind them
          </div>
        </>
      ) : null}
    </details>
  );
}
