import { Dec } from "@meterplane/core";
import type { Rating } from "../charge-models/charge-model.ts";
import { rateCharge } from "../charge-models/index.ts";
import { billableQuantity, dimensionKey, matchesFilter } from "../metrics/billable-quantity.ts";
import { currencyExponent, roundMoney } from "../money/currency.ts";
import type { Coverage } from "../periods/proration.ts";
import type { DraftInvoiceLine, RollupSource } from "./draft-invoice.ts";
import { tierRow } from "./draft-invoice.ts";
import type { ParsedCharge, ParsedRollup } from "./rate-period-input.ts";

export type UnpositionedLine = Omit<DraftInvoiceLine, "position">;

export interface ChargeContext {
  currency: string;
  coverage: Coverage;
  periodSeconds: Dec;
}

/**
 * The lines of one charge: its own line and, when a minimum applies and the charge falls short of it, a
 * top-up line. The top-up is the (prorated, rounded) minimum less the charge's rounded amount, so the two
 * lines add up to the minimum exactly without a second rounding.
 */
export function chargeLines(
  charge: ParsedCharge,
  rollups: ParsedRollup[],
  ctx: ChargeContext,
): UnpositionedLine[] {
  const line = charge.metric === null ? flatLine(charge, ctx) : usageLine(charge, rollups, ctx);
  if (charge.minimumAmount === null) return [line];
  const minimum = {
    kind: "charge_minimum",
    chargeId: charge.id,
    description: `${label(charge)}: top-up to minimum`,
  } as const;
  const topUp = topUpLine(minimum, charge.minimumAmount, [line], ctx);
  return topUp ? [line, topUp] : [line];
}

/** The line topping a set of lines up to a minimum (prorated by coverage), or null when none is needed. */
export function topUpLine(
  { kind, chargeId, description }: Pick<UnpositionedLine, "kind" | "chargeId" | "description">,
  minimum: string,
  lines: UnpositionedLine[],
  { currency, coverage }: ChargeContext,
): UnpositionedLine | null {
  const target = roundMoney(new Dec(minimum).times(coverage.fraction), currency);
  const billed = lines.reduce((acc, l) => acc.plus(l.amount), new Dec(0));
  if (billed.gte(target)) return null;
  const topUp = target.minus(billed);
  return {
    kind,
    chargeId,
    description: `${description} ${money(target, currency)}`,
    quantity: "1",
    unitPrice: topUp.toString(),
    amount: money(topUp, currency),
    tiers: [],
    sources: [],
  };
}

function usageLine(charge: ParsedCharge, rollups: ParsedRollup[], ctx: ChargeContext): UnpositionedLine {
  const metric = charge.metric!;
  const used = rollups.filter((r) => matchesFilter(r.dimensions, metric.filter));
  const measured = billableQuantity(used, metric);
  const quantity = Dec.max(measured.minus(charge.freeUnits), 0);
  const rating = rateCharge(charge.model, quantity, charge.properties);
  const free = new Dec(charge.freeUnits).isZero() ? "" : `, after ${charge.freeUnits} free of ${measured}`;
  return {
    ...ratedLine(charge, rating, ctx.currency),
    description: `${label(charge)}: ${usageText(charge, quantity, rating)}${free}`,
    quantity: quantity.toString(),
    sources: sourcesOf(used),
  };
}

/** Flat fees are prorated by the share of the period the subscription covers (see the README). */
function flatLine(
  charge: ParsedCharge,
  { currency, coverage, periodSeconds }: ChargeContext,
): UnpositionedLine {
  const full = rateCharge(charge.model, new Dec(0), charge.properties);
  const prorated: Rating = {
    ...full,
    amount: full.amount.times(coverage.fraction),
    tiers: full.tiers.map((t) => {
      const fee = t.flatFee.times(coverage.fraction);
      return { ...t, flatFee: fee, amount: fee };
    }),
  };
  const covered = new Dec(coverage.covered.end.getTime() - coverage.covered.start.getTime()).div(1000);
  const note = coverage.fraction.eq(1) ? "" : `, prorated ${days(covered)} of ${days(periodSeconds)} days`;
  return { ...ratedLine(charge, prorated, currency), description: `${label(charge)}${note}`, quantity: "1" };
}

function ratedLine(charge: ParsedCharge, rating: Rating, currency: string): UnpositionedLine {
  return {
    kind: "charge",
    chargeId: charge.id,
    description: label(charge),
    quantity: "0",
    unitPrice: rating.unitPrice.toString(),
    amount: money(roundMoney(rating.amount, currency), currency),
    tiers: rating.tiers.map(tierRow),
    sources: [],
  };
}

function usageText(charge: ParsedCharge, quantity: Dec, rating: Rating): string {
  const tier = rating.tiers[0];
  switch (charge.model) {
    case "graduated":
      return `${quantity}, graduated over ${rating.tiers.length} tier(s)`;
    case "package":
      return `${quantity} in ${tier?.quantity ?? 0} package(s) × ${rating.unitPrice}`;
    case "volume":
      return `${quantity} × ${rating.unitPrice}${tier?.flatFee.gt(0) ? ` + ${tier.flatFee}` : ""}`;
    default:
      return `${quantity} × ${rating.unitPrice}`;
  }
}

function sourcesOf(rollups: ParsedRollup[]): RollupSource[] {
  const sources = rollups.map((r) => ({
    environmentId: r.environmentId,
    meter: r.meter,
    dimensionKey: dimensionKey(r.dimensions),
    bucketStart: r.bucketStart.toISOString(),
    bucketEnd: (
      r.bucketEnd ?? new Date(r.bucketStart.getTime() + granularityMs[r.granularity])
    ).toISOString(),
    granularity: r.granularity,
  }));
  const byKey = new Map(sources.map((s) => [sourceKey(s), s]));
  return [...byKey.keys()].sort().map((k) => byKey.get(k)!);
}

const granularityMs = { hour: 3_600_000, day: 86_400_000, span: 0 } as const;

function sourceKey(s: RollupSource): string {
  return [s.bucketStart, s.environmentId, s.meter, s.dimensionKey, s.granularity].join("|");
}

function label(charge: ParsedCharge): string {
  return charge.name ?? charge.metric?.name ?? "Flat fee";
}

function money(amount: Dec, currency: string): string {
  return amount.toFixed(currencyExponent(currency));
}

function days(seconds: Dec): string {
  return seconds.div(86400).toDecimalPlaces(2, Dec.ROUND_HALF_UP).toString();
}
