import type { Dec } from "@meterplane/core";
import { type Rating, validated } from "./charge-model.ts";
import { flatProperties, rateFlat } from "./flat.ts";
import { graduatedProperties, rateGraduated } from "./graduated.ts";
import { packageProperties, ratePackage } from "./package.ts";
import { perUnitProperties, ratePerUnit } from "./per-unit.ts";
import { rateVolume, volumeProperties } from "./volume.ts";

export const chargeModelNames = ["per_unit", "graduated", "volume", "package", "flat"] as const;
export type ChargeModelName = (typeof chargeModelNames)[number];

const models: Record<ChargeModelName, (quantity: Dec, properties: unknown) => Rating> = {
  per_unit: validated(perUnitProperties, ratePerUnit),
  graduated: validated(graduatedProperties, rateGraduated),
  volume: validated(volumeProperties, rateVolume),
  package: validated(packageProperties, ratePackage),
  flat: validated(flatProperties, rateFlat),
};

/** Rates a quantity with the named model, validating its properties (a charge row's `properties` JSON). */
export function rateCharge(model: ChargeModelName, quantity: Dec, properties: unknown): Rating {
  return models[model](quantity, properties);
}
