import { meterDisplay, type ResolvedUsageRange } from "@meterplane/usage";
import { type MeterName, meterNames } from "@meterplane/wire";
import type { ReactNode } from "react";
import type { UsageQuery, UsageSplit } from "@/lib/usage-series";

const presets = [
  ["24h", "24 h"],
  ["7d", "7 d"],
  ["30d", "30 d"],
  ["period", "This period"],
] as const;

const splitLabels: Record<UsageSplit, string> = {
  total: "total",
  environment: "by environment",
  dimension: "by dimension",
  tenant: "by tenant",
};

const day = (at: Date) => at.toISOString().slice(0, 10);

/**
 * Range presets (links, so they work before any script loads) and a GET form for a custom range, the
 * meter and how series split; every other query parameter is kept.
 */
export function UsageControls({
  path,
  query,
  range,
  splits,
  children,
}: {
  path: string;
  query: UsageQuery;
  range: ResolvedUsageRange | null;
  splits: readonly UsageSplit[];
  /** Extra fields of the form (a tenant or environment filter). */
  children?: ReactNode;
}) {
  const kept = Object.entries(query).filter(
    ([key, value]) => value !== undefined && !["range", "from", "to"].includes(key),
  ) as [string, string][];
  const href = (preset: string) => `${path}?${new URLSearchParams([...kept, ["range", preset]])}`;
  return (
    <div className="usage-controls" data-testid="usage-controls">
      <nav className="usage-presets" aria-label="Range">
        {presets.map(([preset, label]) => (
          <a key={preset} href={href(preset)} aria-current={range?.preset === preset} data-preset={preset}>
            {label}
          </a>
        ))}
      </nav>
      <form method="get" action={path}>
        <input type="hidden" name="range" value="custom" />
        <label>
          From
          <input type="date" name="from" defaultValue={range ? day(range.from) : query.from} />
        </label>
        <label>
          To (inclusive)
          <input
            type="date"
            name="to"
            defaultValue={range ? day(new Date(range.to.getTime() - 86_400_000)) : query.to}
          />
        </label>
        <label>
          Meter
          <select name="meter" defaultValue={query.meter ?? ""}>
            <option value="">all eight</option>
            {meterNames.map((m: MeterName) => (
              <option key={m} value={m}>
                {meterDisplay[m].title}
              </option>
            ))}
          </select>
        </label>
        <label>
          Split
          <select name="by" defaultValue={query.by}>
            {splits.map((s) => (
              <option key={s} value={s}>
                {splitLabels[s]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Show
          <select name="view" defaultValue={query.view}>
            <option value="stacked">stacked</option>
            <option value="lines">lines</option>
          </select>
        </label>
        {children}
        <button type="submit" className="btn btn-secondary">
          Show
        </button>
      </form>
    </div>
  );
}
