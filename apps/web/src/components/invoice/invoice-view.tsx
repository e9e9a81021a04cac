import {
  formatDate,
  formatMoney,
  formatPeriod,
  formatQuantity,
  formatUnitPrice,
  type TierBreakdownRow,
} from "@meterplane/billing";
import type { InvoiceDocument } from "@meterplane/invoicing";
import type { ReactNode } from "react";
import { Badge } from "@/components/ui";

type Line = InvoiceDocument["lines"][number];

const tone = {
  draft: "neutral",
  finalized: "warn",
  paid: "good",
  void: "bad",
  uncollectible: "bad",
} as const;

/**
 * One invoice as the operator's page, the tenant's page and the PDF show it: seller and buyer, number, dates,
 * the period in words, lines with quantity, unit and unit price (tier slices beneath), subtotal, minimums,
 * total, credit notes and the amount due. `describe` lets the operator's page open a line's work.
 */
export function InvoiceView({
  invoice,
  describe = (line) => line.description,
}: {
  invoice: InvoiceDocument;
  describe?: (line: Line) => ReactNode;
}) {
  const money = (amount: Parameters<typeof formatMoney>[0]) => formatMoney(amount, invoice.currency);
  return (
    <article className="invoice" data-testid="invoice">
      <div className="invoice-parties">
        <Party title="From" lines={sellerLines(invoice.seller)} />
        <Party
          title="Bill to"
          lines={[invoice.tenant.name, invoice.tenant.email ?? "", `Customer ${invoice.tenant.slug}`]}
        />
        <dl className="invoice-facts">
          <dt>Status</dt>
          <dd>
            <Badge tone={tone[invoice.status]}>{invoice.status}</Badge>
          </dd>
          <dt>Issue date</dt>
          <dd>{invoice.issuedAt ? formatDate(invoice.issuedAt) : "not issued (draft)"}</dd>
          <dt>Due date</dt>
          <dd data-testid="due-date">{invoice.dueAt ? formatDate(invoice.dueAt) : "—"}</dd>
          <dt>Period</dt>
          <dd data-testid="period">{formatPeriod(invoice.periodStart, invoice.periodEnd)}</dd>
          <dt>Amount due</dt>
          <dd>
            <strong data-testid="amount-due">{money(invoice.amountDue)}</strong>
          </dd>
        </dl>
      </div>
      <div className="table-wrap">
        <table data-testid="lines" className="invoice-lines">
          <thead>
            <tr>
              <th>Description</th>
              <th className="num">Quantity</th>
              <th className="num">Unit price</th>
              <th className="num">Amount</th>
            </tr>
          </thead>
          <tbody>
            {invoice.charges.map((line) => (
              <LineRows key={line.id} line={line} currency={invoice.currency} describe={describe} />
            ))}
          </tbody>
          <tfoot>
            <Total label="Subtotal" amount={money(invoice.chargesSubtotal)} />
            {invoice.minimums.map((line) => (
              <Total key={line.id} label={line.description} amount={money(line.amount)} />
            ))}
            <Total label="Total" amount={money(invoice.total)} strong testId="total" />
            {invoice.creditNotes.map((note) => (
              <Total
                key={note.id}
                label={`Credit note ${note.number} (${formatDate(note.createdAt)}): ${note.reason}`}
                amount={`−${money(note.amount)}`}
              />
            ))}
            {invoice.status === "paid" && invoice.paidAt ? (
              <Total label={`Paid ${formatDate(invoice.paidAt)}`} amount="" />
            ) : null}
            <Total label={`Amount due (${invoice.currency})`} amount={money(invoice.amountDue)} strong />
          </tfoot>
        </table>
      </div>
    </article>
  );
}

function Party({ title, lines }: { title: string; lines: string[] }) {
  return (
    <div className="invoice-party">
      <div className="muted">{title}</div>
      {lines.filter(Boolean).map((line, i) => (
        <div key={line} className={i === 0 ? "strong" : undefined}>
          {line}
        </div>
      ))}
    </div>
  );
}

function sellerLines(seller: InvoiceDocument["seller"]): string[] {
  return [seller.name, ...seller.address, seller.email ?? "", seller.taxId ? `Tax ID ${seller.taxId}` : ""];
}

function LineRows({
  line,
  currency,
  describe,
}: {
  line: Line;
  currency: string;
  describe: (line: Line) => ReactNode;
}) {
  const quantity = line.unit === null ? null : formatQuantity(line.quantity, line.unit);
  const tiered = line.tiers.length > 1;
  return (
    <>
      <tr>
        <td className="wrap">{describe(line)}</td>
        <td className="num">
          {quantity ? <span title={quantity.exact}>{quantity.text}</span> : line.quantity.toFixed()}
        </td>
        <td className="num">{tiered ? "tiered" : formatUnitPrice(line.unitPrice, currency)}</td>
        <td className="num">{formatMoney(line.amount, currency)}</td>
      </tr>
      {tiered
        ? line.tiers.map((tier) => (
            <TierRow
              key={`${tier.from}-${tier.upTo}`}
              tier={tier}
              unit={line.unit ?? ""}
              currency={currency}
            />
          ))
        : null}
    </>
  );
}

function TierRow({ tier, unit, currency }: { tier: TierBreakdownRow; unit: string; currency: string }) {
  const quantity = formatQuantity(tier.quantity, unit);
  const fee = tier.flatFee !== "0" ? ` + ${formatMoney(tier.flatFee, currency)}` : "";
  return (
    <tr className="tier-row">
      <td>{tier.upTo === null ? `over ${tier.from}` : `${tier.from} – ${tier.upTo}`}</td>
      <td className="num">
        <span title={quantity.exact}>{quantity.text}</span>
      </td>
      <td className="num">
        {formatUnitPrice(tier.unitPrice, currency)}
        {fee}
      </td>
      <td className="num">{formatMoney(tier.amount, currency)}</td>
    </tr>
  );
}

function Total({
  label,
  amount,
  strong,
  testId,
}: {
  label: string;
  amount: string;
  strong?: boolean;
  testId?: string;
}) {
  return (
    <tr className={strong ? "total-row strong" : "total-row"}>
      <td colSpan={3} className="wrap">
        {label}
      </td>
      <td className="num" data-testid={testId}>
        {amount}
      </td>
    </tr>
  );
}
