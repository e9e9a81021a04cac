import { formatHour, formatMeasure, formatQuantity } from "@meterplane/billing";
import type { Dec } from "@meterplane/core";
import { getLineWork } from "@meterplane/invoicing";
import { isMeterName, meters } from "@meterplane/wire";
import type { ReactNode } from "react";
import { Section } from "@/components/ui";
import { services } from "@/lib/server";

/** Hours shown per line; the total still covers them all, and the export API has every one. */
const rollupRows = 200;
/** Raw samples shown when asked for. */
const sampleRows = 100;

interface Line {
  id: string;
  description: string;
  sources: unknown;
}

/** The line's description with a link that opens its work below the invoice (only lines rated from usage). */
export function LineLink({ href, line }: { href: string; line: Line }) {
  const fromUsage = Array.isArray(line.sources) && line.sources.length > 0;
  return (
    <>
      {line.description}
      {fromUsage ? (
        <>
          {" "}
          <a href={`${href}?work=${line.id}#work`} className="nowrap">
            Show the work
          </a>
        </>
      ) : null}
    </>
  );
}

/**
 * "Show the work" as a table: each hourly rollup of the line (environment, meter, dimensions, hour, the figure
 * its metric reads in the meter's unit, its share of the line in the metric's unit), a total that adds up to
 * the line's quantity, and, on demand, the raw samples behind them.
 */
export async function LineWork({
  tenantId,
  lineId,
  href,
  samples,
}: {
  tenantId: string;
  lineId: string;
  href: string;
  samples: boolean;
}) {
  const work = await getLineWork({ db: services().db, tenantId, lineId, limit: samples ? sampleRows : 0 });
  const unit = work.metric?.unit ?? "";
  const shown = work.rollups.slice(0, rollupRows);
  const quantity = (value: Dec | string) => <Exact {...formatQuantity(value, unit)} />;
  return (
    <Section title={`The work behind “${work.line.description}”`}>
      <div id="work" className="muted">
        {work.metric
          ? `${work.metric.name}: the ${work.metric.aggregation.replace("_", "-")} of meter ${work.metric.meter}, divided by ${work.metric.divisor.toFixed()} into ${unit}.`
          : null}{" "}
        <a href={href}>Close</a>
      </div>
      <div className="table-wrap">
        <table data-testid="line-work">
          <thead>
            <tr>
              <th>Environment</th>
              <th>Meter</th>
              <th>Dimensions</th>
              <th>Hour (UTC)</th>
              <th className="num">Measured</th>
              <th className="num">Share of line</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <tr
                key={`${r.environmentId}|${r.meter}|${JSON.stringify(r.dimensions)}|${r.bucketStart.getTime()}`}
              >
                <td>
                  <div className="cell-scroll">{r.environmentName}</div>
                </td>
                <td>{r.meter}</td>
                <td>
                  <div className="cell-scroll">
                    <code>{dimensionsText(r.dimensions)}</code>
                  </div>
                </td>
                <td className="nowrap">{formatHour(r.bucketStart)}</td>
                <td className="num">
                  {r.figure === null ? "—" : <Exact {...formatMeasure(r.figure, meterUnit(r.meter))} />}
                </td>
                <td className="num">{r.contribution === null ? "—" : quantity(r.contribution)}</td>
              </tr>
            ))}
            {work.rollups.length > shown.length ? (
              <tr>
                <td colSpan={6} className="muted">
                  … {work.rollups.length - shown.length} more hours, counted in the total below.
                </td>
              </tr>
            ) : null}
          </tbody>
          <tfoot>
            <Row label={`Measured over ${work.rollups.length} hour${work.rollups.length === 1 ? "" : "s"}`}>
              {work.measured ? quantity(work.measured) : "—"}
            </Row>
            {work.freeUnits.isZero() ? null : (
              <Row label="Less free units">{quantity(work.freeUnits.neg())}</Row>
            )}
            <Row label="Line quantity" strong>
              {quantity(work.line.quantity)}
            </Row>
          </tfoot>
        </table>
      </div>
      {samples ? (
        <Samples work={work} />
      ) : (
        <p>
          <a href={`${href}?work=${lineId}&samples=1#samples`}>Show the raw samples behind these hours</a>
        </p>
      )}
    </Section>
  );
}

function Samples({ work }: { work: Awaited<ReturnType<typeof getLineWork>> }) {
  return (
    <div id="samples">
      <h3>Raw samples{work.truncated ? `: the first ${work.samples.length}, by start` : ""}</h3>
      <div className="table-wrap">
        <table data-testid="line-samples">
          <thead>
            <tr>
              <th>Start (UTC)</th>
              <th className="num">Seconds</th>
              <th>Meter</th>
              <th>Dimensions</th>
              <th className="num">Value</th>
              <th>Batch</th>
            </tr>
          </thead>
          <tbody>
            {work.samples.map((s, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: samples of one batch may share every field
              <tr key={`${s.batchId}-${i}`}>
                <td className="nowrap">{s.start.replace("T", " ").replace("Z", "")}</td>
                <td className="num">{s.seconds}</td>
                <td>{s.meter}</td>
                <td>
                  <div className="cell-scroll">
                    <code>{dimensionsText(s.dimensions ?? {})}</code>
                  </div>
                </td>
                <td className="num">
                  <Exact {...formatMeasure(s.value, meterUnit(s.meter))} />
                </td>
                <td>{s.batchId}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function Row({ label, strong, children }: { label: string; strong?: boolean; children: ReactNode }) {
  return (
    <tr className={strong ? "total-row strong" : "total-row"}>
      <td colSpan={5}>{label}</td>
      <td className="num">{children}</td>
    </tr>
  );
}

/** A rounded figure with every digit on hover. */
function Exact({ text, exact }: { text: string; exact: string }) {
  return <span title={exact}>{text}</span>;
}

function dimensionsText(dimensions: Record<string, string>): string {
  const pairs = Object.entries(dimensions);
  return pairs.length ? pairs.map(([k, v]) => `${k}=${v}`).join(", ") : "—";
}

function meterUnit(meter: string): string {
  return isMeterName(meter) ? meters[meter].unit : "";
}
