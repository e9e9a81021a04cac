"use client";

import { useId } from "react";
import { Button } from "@/components/ui/button";
import { FieldError, useFormField } from "@/components/ui/form-state";
import type { ChargePreview } from "./actions";
import { type ChargeRow, type TierRow, tieredModels } from "./charge-rows";

/**
 * One input of the editor. `field` is its path in the submitted version (`charges.0.properties.tiers.2.unitPrice`):
 * the server's refusal of it shows here, prefixed with `named` (what the field is, in the form's words).
 */
function Input({
  label,
  value,
  onChange,
  size = 8,
  field,
  named = label,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  size?: number;
  field?: string;
  named?: string;
}) {
  const { error } = useFormField(field ?? "");
  const errorId = useId();
  return (
    <label className={error && field ? "field invalid" : "field"}>
      <span>{label}</span>
      <input
        aria-label={label}
        value={value}
        size={size}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error && field ? true : undefined}
        aria-describedby={error && field ? errorId : undefined}
      />
      {field ? <FieldError id={errorId} error={error && `${named}: ${error}`} /> : null}
    </label>
  );
}

/** Upper bounds with a price each; the last tier's bound is left empty (no end), as the engine wants. */
function TierFields({
  tiers,
  field,
  onChange,
}: {
  tiers: TierRow[];
  /** The tiers' path in the submitted version, `charges.<n>.properties.tiers`. */
  field: string;
  onChange: (tiers: TierRow[]) => void;
}) {
  const set = (i: number, patch: Partial<TierRow>) =>
    onChange(tiers.map((t, j) => (j === i ? { ...t, ...patch } : t)));
  return (
    <div className="tiers">
      {tiers.map((t, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: tiers have no identity but their position
        <div className="tier" key={i} data-testid="tier">
          <Input
            label={`Tier ${i + 1} up to`}
            value={t.upTo}
            onChange={(upTo) => set(i, { upTo })}
            field={`${field}.${i}.upTo`}
            named={`Tier ${i + 1} up to`}
          />
          <Input
            label="Unit price"
            value={t.unitPrice}
            onChange={(unitPrice) => set(i, { unitPrice })}
            field={`${field}.${i}.unitPrice`}
            named={`Tier ${i + 1} unit price`}
          />
          <Input
            label="Flat fee"
            value={t.flatFee}
            onChange={(flatFee) => set(i, { flatFee })}
            field={`${field}.${i}.flatFee`}
            named={`Tier ${i + 1} flat fee`}
          />
          {tiers.length > 1 ? (
            <Button variant="secondary" onClick={() => onChange(tiers.filter((_, j) => j !== i))}>
              Remove tier
            </Button>
          ) : null}
        </div>
      ))}
      <small>Each tier covers (previous bound, up to]; leave the last bound empty for no end.</small>
      <Button
        variant="secondary"
        onClick={() => onChange([...tiers, { upTo: "", unitPrice: "0", flatFee: "" }])}
      >
        Add tier
      </Button>
    </div>
  );
}

/** One charge of a plan version: its model, metric and prices, and what it costs for a quantity. */
export function ChargeFields({
  row,
  index,
  models,
  metrics,
  preview,
  onChange,
  onRemove,
}: {
  row: ChargeRow;
  index: number;
  models: readonly string[];
  metrics: { code: string; name: string }[];
  preview: ChargePreview | undefined;
  onChange: (patch: Partial<ChargeRow>) => void;
  onRemove: () => void;
}) {
  const flat = row.model === "flat";
  const at = `charges.${index}`;
  const metricError = useFormField(`${at}.metric`).error;
  return (
    <fieldset className="charge" data-testid={`charge-${index}`}>
      <legend>Charge {index + 1}</legend>
      <Input label="Name" value={row.name} onChange={(name) => onChange({ name })} size={14} />
      <label className="field">
        <span>Model</span>
        <select
          aria-label="Model"
          value={row.model}
          onChange={(e) =>
            onChange({ model: e.target.value, metric: e.target.value === "flat" ? "" : row.metric })
          }
        >
          {models.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
      </label>
      {flat ? null : (
        <label className="field">
          <span>Metric</span>
          <select
            aria-label="Metric"
            value={row.metric}
            onChange={(e) => onChange({ metric: e.target.value })}
            aria-invalid={metricError ? true : undefined}
          >
            <option value="">pick a metric</option>
            {metrics.map((m) => (
              <option key={m.code} value={m.code}>
                {m.name} ({m.code})
              </option>
            ))}
          </select>
          <FieldError id={`${at}-metric`} error={metricError} />
        </label>
      )}
      {flat ? (
        <Input
          label="Amount"
          value={row.amount}
          onChange={(amount) => onChange({ amount })}
          field={`${at}.properties.amount`}
        />
      ) : null}
      {row.model === "per_unit" ? (
        <Input
          label="Unit price"
          value={row.unitPrice}
          onChange={(unitPrice) => onChange({ unitPrice })}
          field={`${at}.properties.unitPrice`}
        />
      ) : null}
      {row.model === "package" ? (
        <>
          <Input
            label="Package size"
            value={row.packageSize}
            onChange={(packageSize) => onChange({ packageSize })}
            field={`${at}.properties.packageSize`}
          />
          <Input
            label="Package price"
            value={row.packagePrice}
            onChange={(packagePrice) => onChange({ packagePrice })}
            field={`${at}.properties.packagePrice`}
          />
        </>
      ) : null}
      {flat ? null : (
        <Input
          label="Free units"
          value={row.freeUnits}
          onChange={(freeUnits) => onChange({ freeUnits })}
          field={`${at}.freeUnits`}
        />
      )}
      <Input
        label="Minimum"
        value={row.minimumAmount}
        onChange={(minimumAmount) => onChange({ minimumAmount })}
        field={`${at}.minimumAmount`}
      />
      {tieredModels.includes(row.model) ? (
        <TierFields
          tiers={row.tiers}
          field={`${at}.properties.tiers`}
          onChange={(tiers) => onChange({ tiers })}
        />
      ) : null}
      <div className="charge-preview">
        {flat ? null : (
          <Input
            label="Preview quantity"
            value={row.quantity}
            onChange={(quantity) => onChange({ quantity })}
          />
        )}
        <output data-testid="charge-amount" className={preview && !preview.ok ? "charge-invalid" : undefined}>
          {preview === undefined ? "…" : preview.ok ? `${preview.amount} (${preview.work})` : preview.message}
        </output>
        <Button variant="danger" onClick={onRemove}>
          Remove charge
        </Button>
      </div>
    </fieldset>
  );
}
