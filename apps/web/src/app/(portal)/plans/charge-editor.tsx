"use client";

import { useEffect, useState } from "react";
import { type PricePreview, previewPrice } from "./actions";

const examples: Record<string, string> = {
  per_unit: '{"unitPrice":"0.05"}',
  graduated: '{"tiers":[{"upTo":"100","unitPrice":"1"},{"upTo":null,"unitPrice":"0.5"}]}',
  volume: '{"tiers":[{"upTo":"5","unitPrice":"7"},{"upTo":null,"unitPrice":"5","flatFee":"2"}]}',
  package: '{"packageSize":"1000","packagePrice":"5"}',
  flat: '{"amount":"49"}',
};

/** Model and properties of a usage charge, with what a quantity would cost as you type. */
export function ChargeEditor({ metrics }: { metrics: { code: string; name: string }[] }) {
  const [model, setModel] = useState("per_unit");
  const [properties, setProperties] = useState(examples.per_unit!);
  const [quantity, setQuantity] = useState("100");
  const [preview, setPreview] = useState<PricePreview | null>(null);
  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      previewPrice(model, properties, quantity).then((p) => current && setPreview(p));
    }, 250);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [model, properties, quantity]);
  return (
    <>
      <label className="field">
        <span>Usage metric</span>
        <select name="metric" defaultValue={metrics[0]?.code ?? ""}>
          <option value="">no usage charge</option>
          {metrics.map((m) => (
            <option key={m.code} value={m.code}>
              {m.name} ({m.code})
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Model</span>
        <select
          name="model"
          value={model}
          onChange={(e) => {
            setModel(e.target.value);
            setProperties(examples[e.target.value] ?? "{}");
          }}
        >
          {Object.keys(examples).map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
      </label>
      <label className="field" style={{ flexBasis: "100%" }}>
        <span>Properties (JSON)</span>
        <textarea
          name="properties"
          rows={2}
          value={properties}
          onChange={(e) => setProperties(e.target.value)}
        />
      </label>
      <label className="field">
        <span>Free units</span>
        <input name="freeUnits" defaultValue="0" />
      </label>
      <div className="card preview" data-testid="price-preview">
        <div className="label">
          Preview for{" "}
          <input
            aria-label="Preview quantity"
            value={quantity}
            onChange={(e) => setQuantity(e.target.value)}
            size={8}
          />{" "}
          units
        </div>
        {preview === null ? (
          <div className="muted">…</div>
        ) : preview.ok ? (
          <>
            <div className="value" data-testid="preview-amount">
              {preview.amount}
            </div>
            <div className="hint">{preview.tiers.join(" · ")}</div>
          </>
        ) : (
          <div className="error">{preview.message}</div>
        )}
      </div>
    </>
  );
}
