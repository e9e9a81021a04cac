import { getInvoiceDocument } from "@meterplane/invoicing";
import { notFound } from "next/navigation";
import {
  ActionForm,
  Badge,
  DataTable,
  Field,
  Hidden,
  LinkButton,
  PageHeader,
  Section,
} from "@/components/ui";
import { isUuid } from "@/lib/fields";
import { services } from "@/lib/server";
import { hasRole, requireOperator } from "@/lib/session";
import { creditNoteAction, finalizeInvoiceAction, voidInvoiceAction } from "../../actions";
import { LineWork } from "./line-work";

export const dynamic = "force-dynamic";

export default async function InvoicePage({ params }: { params: Promise<{ tenantId: string; id: string }> }) {
  const { tenantId, id } = await params;
  if (!isUuid(tenantId) || !isUuid(id)) notFound();
  const user = await requireOperator();
  const invoice = await getInvoiceDocument({ db: services().db, tenantId, invoiceId: id }).catch(() => null);
  if (!invoice) notFound();
  const billing = hasRole(user, "billing");
  const key = (
    <>
      <Hidden name="tenantId" value={tenantId} />
      <Hidden name="invoiceId" value={id} />
    </>
  );
  return (
    <>
      <PageHeader title={`Invoice ${invoice.number ?? "(draft)"}`}>
        <Badge>{invoice.status}</Badge>
        <LinkButton href={`/invoices/${tenantId}/${id}/pdf`} download>
          Download PDF
        </LinkButton>
        {billing && invoice.status === "draft" ? (
          <ActionForm inline action={finalizeInvoiceAction} submit="Finalize" testId="finalize">
            {key}
          </ActionForm>
        ) : null}
        {billing && invoice.status === "finalized" ? (
          <ActionForm
            inline
            action={voidInvoiceAction}
            submit="Void"
            variant="danger"
            confirm="Void this invoice? It keeps its number."
          >
            {key}
          </ActionForm>
        ) : null}
      </PageHeader>
      <p className="muted">
        <a href={`/tenants/${tenantId}`}>{invoice.tenant.name}</a> ·{" "}
        {invoice.periodStart.toISOString().slice(0, 10)} → {invoice.periodEnd.toISOString().slice(0, 10)}{" "}
        (UTC, end exclusive) · rated {invoice.ratedAt.toISOString()}
      </p>
      <DataTable
        testId="lines"
        rows={invoice.lines}
        rowKey={(l) => l.id}
        empty="This invoice has no lines."
        columns={[
          { key: "description", label: "Line", render: (l) => <LineWork tenantId={tenantId} line={l} /> },
          { key: "quantity", label: "Quantity", numeric: true, render: (l) => l.quantity.toString() },
          { key: "unitPrice", label: "Unit price", numeric: true, render: (l) => l.unitPrice.toString() },
          {
            key: "amount",
            label: `Amount (${invoice.currency})`,
            numeric: true,
            render: (l) => l.amount.toFixed(2),
          },
        ]}
      />
      <p className="num">
        Subtotal {invoice.subtotal.toFixed(2)} ·{" "}
        <strong data-testid="total">
          Total {invoice.currency} {invoice.total.toFixed(2)}
        </strong>
      </p>
      <Section title="Credit notes">
        <DataTable
          rows={invoice.creditNotes}
          rowKey={(c) => c.id}
          empty="No credit notes."
          columns={[
            { key: "number", label: "Number", render: (c) => c.number },
            { key: "amount", label: "Amount", numeric: true, render: (c) => c.amount.toFixed(2) },
            { key: "reason", label: "Reason", render: (c) => c.reason },
          ]}
        />
        {billing && (invoice.status === "finalized" || invoice.status === "paid") ? (
          <ActionForm action={creditNoteAction} submit="Issue credit note">
            {key}
            <Field label="Amount" name="amount" required placeholder="10.00" />
            <Field label="Reason" name="reason" required placeholder="service outage on Nov 3" />
          </ActionForm>
        ) : null}
      </Section>
    </>
  );
}
