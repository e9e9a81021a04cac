"use client";

import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { FieldError, useFormField } from "@/components/ui/form-state";
import { type PlanPreview, previewPlan } from "./actions";
import { ChargeFields } from "./charge-fields";
import { blankRow, type ChargeRow, toCharge } from "./charge-rows";

export interface VersionDraft {
  currency: string;
  interval: string;
  invoiceMinimum: string;
  charges: ChargeRow[];
}

/**
 * The terms of a plan version: currency, interval, an invoice minimum and any number of charges, with a
 * live preview priced by the server's rating engine. The charges travel to the action as one JSON field.
 */
export function PlanVersionEditor({
  initial,
  models,
  metrics,
  currencies,
}: {
  initial: VersionDraft;
  models: readonly string[];
  metrics: { code: string; name: string }[];
  /** The ISO 4217 codes a plan may bill in, offered while typing. */
  currencies: readonly string[];
}) {
  const nextKey = useRef(initial.charges.length);
  const [currency, setCurrency] = useState(initial.currency);
  const [interval, setBillingInterval] = useState(initial.interval);
  const [invoiceMinimum, setInvoiceMinimum] = useState(initial.invoiceMinimum);
  const [rows, setRows] = useState(initial.charges.map((row, key) => ({ key, row })));
  const [preview, setPreview] = useState<PlanPreview | null>(null);
  const currencyError = useFormField("currency").error;
  const charges = rows.map(({ row }) => toCharge(row));
  const chargesJson = JSON.stringify(charges);
  const quantities = rows.map(({ row }) => row.quantity).join("\n");

  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      const parsed = JSON.parse(chargesJson) as unknown[];
      const typed = quantities.split("\n");
      previewPlan({
        currency,
        invoiceMinimum,
        charges: parsed.map((charge, i) => ({ charge, quantity: typed[i] ?? "0" })),
      }).then(
        (p) => current && setPreview(p),
        // The preview is advice while typing: a failed request keeps the last one, and saving still validates.
        (error: unknown) => console.error("plan preview failed", error),
      );
    }, 250);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [chargesJson, quantities, currency, invoiceMinimum]);

  const update = (key: number, patch: Partial<ChargeRow>) =>
    setRows((all) => all.map((r) => (r.key === key ? { key, row: { ...r.row, ...patch } } : r)));
  const add = (model: string) =>
    setRows((all) => [...all, { key: nextKey.current++, row: blankRow(model, metrics[0]?.code ?? "") }]);

  return (
    <div className="version-editor">
      <label className={currencyError ? "field invalid" : "field"}>
        <span>Currency</span>
        <input
          name="currency"
          value={currency}
          maxLength={3}
          list="iso-currencies"
          onChange={(e) => setCurrency(e.target.value)}
          aria-invalid={currencyError ? true : undefined}
        />
        <datalist id="iso-currencies">
          {currencies.map((code) => (
            <option key={code} value={code} />
          ))}
        </datalist>
        <FieldError id="currency-error" error={currencyError} />
      </label>
      <label className="field">
        <span>Interval</span>
        <select name="interval" value={interval} onChange={(e) => setBillingInterval(e.target.value)}>
          <option value="monthly">monthly</option>
          <option value="yearly">yearly</option>
        </select>
      </label>
      <label className="field">
        <span>Invoice minimum</span>
        <input
          name="invoiceMinimum"
          value={invoiceMinimum}
          placeholder="optional"
          onChange={(e) => setInvoiceMinimum(e.target.value)}
        />
      </label>
      <input type="hidden" name="charges" value={chargesJson} />
      {rows.map(({ key, row }, index) => (
        <ChargeFields
          key={key}
          row={row}
          index={index}
          models={models}
          metrics={metrics}
          preview={preview?.charges.length === rows.length ? preview.charges[index] : undefined}
          onChange={(patch) => update(key, patch)}
          onRemove={() => setRows((all) => all.filter((r) => r.key !== key))}
        />
      ))}
      <div className="editor-actions">
        <Button variant="secondary" onClick={() => add("per_unit")}>
          Add usage charge
        </Button>
        <Button variant="secondary" onClick={() => add("flat")}>
          Add flat fee
        </Button>
        <div className="card preview" data-testid="price-preview">
          <div className="label">Preview total ({currency})</div>
          <div className="value" data-testid="preview-total">
            {preview?.total ?? "—"}
          </div>
          <div className="hint">{preview?.note ?? "…"}</div>
        </div>
      </div>
    </div>
  );
}
