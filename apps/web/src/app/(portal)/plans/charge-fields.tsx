"use client";

import { Button } from "@/components/ui/button";
import type { ChargePreview } from "./actions";
import { type ChargeRow, type TierRow, tieredModels } from "./charge-rows";

function Input({
  label,
  value,
  onChange,
  size = 8,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  size?: number;
}) {
  return (
    <label className="field">
      <span>{label}</span>
      <input aria-label={label} value={value} size={size} onChange={(e) => onChange(e.target.value)} />
    </label>
  );
}

/** Upper bounds with a price each; the last tier's bound is left empty (no end), as the engine wants. */
function TierFields({ tiers, onChange }: { tiers: TierRow[]; onChange: (tiers: TierRow[]) => void }) {
  const set = (i: number, patch: Partial<TierRow>) =>
    onChange(tiers.map((t, j) => (j === i ? { ...t, ...patch } : t)));
  return (
    <div className="tiers">
      {tiers.map((t, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: tiers have no identity but their position
        <div className="tier" key={i} data-testid="tier">
          <Input label={`Tier ${i + 1} up to`} value={t.upTo} onChange={(upTo) => set(i, { upTo })} />
          <Input label="Unit price" value={t.unitPrice} onChange={(unitPrice) => set(i, { unitPrice })} />
          <Input label="Flat fee" value={t.flatFee} onChange={(flatFee) => set(i, { flatFee })} />
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
          >
            <option value="">pick a metric</option>
            {metrics.map((m) => (
              <option key={m.code} value={m.code}>
                {m.name} ({m.code})
              </option>
            ))}
          </select>
        </label>
      )}
      {flat ? <Input label="Amount" value={row.amount} onChange={(amount) => onChange({ amount })} /> : null}
      {row.model === "per_unit" ? (
        <Input label="Unit price" value={row.unitPrice} onChange={(unitPrice) => onChange({ unitPrice })} />
      ) : null}
      {row.model === "package" ? (
        <>
          <Input
            label="Package size"
            value={row.packageSize}
            onChange={(packageSize) => onChange({ packageSize })}
          />
          <Input
            label="Package price"
            value={row.packagePrice}
            onChange={(packagePrice) => onChange({ packagePrice })}
          />
        </>
      ) : null}
      {flat ? null : (
        <Input label="Free units" value={row.freeUnits} onChange={(freeUnits) => onChange({ freeUnits })} />
      )}
      <Input
        label="Minimum"
        value={row.minimumAmount}
        onChange={(minimumAmount) => onChange({ minimumAmount })}
      />
      {tieredModels.includes(row.model) ? (
        <TierFields tiers={row.tiers} onChange={(tiers) => onChange({ tiers })} />
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
