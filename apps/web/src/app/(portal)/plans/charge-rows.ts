/**
 * The plan editor's rows: what a person types for one charge, as strings, and the charge a plan version
 * stores. Pure functions, shared by the server page (which fills the rows from a version) and the client
 * editor (which sends the charges).
 */
export interface TierRow {
  upTo: string;
  unitPrice: string;
  flatFee: string;
}

export interface ChargeRow {
  name: string;
  /** The billable metric's code; empty for a flat fee. */
  metric: string;
  model: string;
  unitPrice: string;
  packageSize: string;
  packagePrice: string;
  amount: string;
  tiers: TierRow[];
  freeUnits: string;
  minimumAmount: string;
  /** What the live preview prices this charge for. */
  quantity: string;
}

export interface ChargeInput {
  name?: string;
  metric?: string;
  model: string;
  properties: Record<string, unknown>;
  freeUnits: string;
  minimumAmount: string | null;
}

export const tieredModels = ["graduated", "volume"];

export function blankRow(model: string, metric: string): ChargeRow {
  return {
    name: "",
    metric: model === "flat" ? "" : metric,
    model,
    unitPrice: "0.05",
    packageSize: "1000",
    packagePrice: "5",
    amount: "",
    tiers: [
      { upTo: "100", unitPrice: "1", flatFee: "" },
      { upTo: "", unitPrice: "0.5", flatFee: "" },
    ],
    freeUnits: "0",
    minimumAmount: "",
    quantity: "100",
  };
}

function properties(row: ChargeRow): Record<string, unknown> {
  if (row.model === "flat") return { amount: row.amount };
  if (row.model === "package") return { packageSize: row.packageSize, packagePrice: row.packagePrice };
  if (tieredModels.includes(row.model))
    return {
      // An empty bound is the open-ended last tier.
      tiers: row.tiers.map((t) => ({
        upTo: t.upTo.trim() || null,
        unitPrice: t.unitPrice,
        ...(t.flatFee.trim() ? { flatFee: t.flatFee } : {}),
      })),
    };
  return { unitPrice: row.unitPrice };
}

export function toCharge(row: ChargeRow): ChargeInput {
  return {
    ...(row.name.trim() ? { name: row.name.trim() } : {}),
    ...(row.model === "flat" || !row.metric ? {} : { metric: row.metric }),
    model: row.model,
    properties: properties(row),
    freeUnits: row.freeUnits.trim() || "0",
    minimumAmount: row.minimumAmount.trim() || null,
  };
}

/** A stored charge as editor rows, so the next version starts from the current one. */
export function fromCharge(charge: {
  name: string | null;
  metric: string | null;
  model: string;
  properties: unknown;
  freeUnits: string;
  minimumAmount: string | null;
}): ChargeRow {
  const p = (charge.properties ?? {}) as Record<string, unknown>;
  const text = (v: unknown, fallback: string) => (v === undefined || v === null ? fallback : String(v));
  const base = blankRow(charge.model, charge.metric ?? "");
  const tiers = Array.isArray(p.tiers)
    ? (p.tiers as Record<string, unknown>[]).map((t) => ({
        upTo: text(t.upTo, ""),
        unitPrice: text(t.unitPrice, ""),
        flatFee: text(t.flatFee, ""),
      }))
    : base.tiers;
  return {
    ...base,
    name: charge.name ?? "",
    unitPrice: text(p.unitPrice, base.unitPrice),
    packageSize: text(p.packageSize, base.packageSize),
    packagePrice: text(p.packagePrice, base.packagePrice),
    amount: text(p.amount, base.amount),
    tiers,
    freeUnits: charge.freeUnits,
    minimumAmount: charge.minimumAmount ?? "",
  };
}

type Stringy = { toString(): string };

/** One line a person reads in a table: "CPU: graduated ≤100 at 1, then 0.5 · 10 free · minimum 5". */
export function describeCharge(
  charge: {
    name: string | null;
    model: string;
    properties: unknown;
    freeUnits: Stringy;
    minimumAmount: Stringy | null;
  },
  metricName: string | undefined,
): string {
  const p = (charge.properties ?? {}) as Record<string, unknown>;
  const tiers = Array.isArray(p.tiers) ? (p.tiers as { upTo: string | null; unitPrice: string }[]) : [];
  const prices: Record<string, string> = {
    flat: `${p.amount} per period`,
    per_unit: `${p.unitPrice} per unit`,
    package: `${p.packagePrice} per ${p.packageSize}`,
  };
  const terms =
    prices[charge.model] ??
    `${charge.model} ${tiers.map((t) => (t.upTo === null ? `then ${t.unitPrice}` : `≤${t.upTo} at ${t.unitPrice}`)).join(", ")}`;
  const free = charge.freeUnits.toString() === "0" ? "" : ` · ${charge.freeUnits} free`;
  const minimum = charge.minimumAmount === null ? "" : ` · minimum ${charge.minimumAmount}`;
  return `${charge.name ?? metricName ?? "Flat fee"}: ${terms}${free}${minimum}`;
}
