export type { RateFunction, Rating, TierBreakdown } from "./charge-models/charge-model.ts";
export { type FlatProperties, flatProperties, rateFlat } from "./charge-models/flat.ts";
export { type GraduatedProperties, graduatedProperties, rateGraduated } from "./charge-models/graduated.ts";
export { type ChargeModelName, chargeModelNames, rateCharge } from "./charge-models/index.ts";
export { type PackageProperties, packageProperties, ratePackage } from "./charge-models/package.ts";
export { type PerUnitProperties, perUnitProperties, ratePerUnit } from "./charge-models/per-unit.ts";
export { type Tiers, tiersSchema } from "./charge-models/tiers.ts";
export { rateVolume, type VolumeProperties, volumeProperties } from "./charge-models/volume.ts";
export {
  type DisplayedQuantity,
  formatDate,
  formatDateTime,
  formatHour,
  formatMeasure,
  formatMoney,
  formatPeriod,
  formatQuantity,
  formatUnitPrice,
} from "./display/format.ts";
export {
  type DraftInvoice,
  type DraftInvoiceLine,
  type LineKind,
  type RollupSource,
  rollupSourceSchema,
  type TierBreakdownRow,
  tierBreakdownRowSchema,
} from "./invoices/draft-invoice.ts";
export { ratePeriod } from "./invoices/rate-period.ts";
export { type RatePeriodInput, ratePeriodInput } from "./invoices/rate-period-input.ts";
export { loadRatingInputs, type RatingTarget } from "./loading/load-rating-inputs.ts";
export { loadSpans } from "./loading/rollup-tiles.ts";
export {
  type Aggregation,
  aggregations,
  billableQuantity,
  dimensionKey,
  type MetricDefinition,
  matchesFilter,
  type RollupFigures,
} from "./metrics/billable-quantity.ts";
export {
  currencyExponent,
  currencyProblem,
  isSupportedCurrency,
  roundMoney,
  supportedCurrencies,
  toMinorUnits,
} from "./money/currency.ts";
export {
  type BillingInterval,
  billingPeriodContaining,
  type Period,
  periodBoundary,
} from "./periods/billing-period.ts";
export { type Coverage, coverage, type SubscriptionWindow } from "./periods/proration.ts";
