export { type PerUnitProperties, perUnitProperties, ratePerUnit } from "./charge-models/per-unit.ts";
export { type Aggregation, billableQuantity, type RollupFigures } from "./metrics/billable-quantity.ts";
export { currencyExponent, roundMoney, toMinorUnits } from "./money/currency.ts";
