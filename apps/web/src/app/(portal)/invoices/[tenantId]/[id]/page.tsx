import { formatDateTime } from "@meterplane/billing";
import { getInvoiceDocument } from "@meterplane/invoicing";
import { notFound } from "next/navigation";
import { InvoiceView } from "@/components/invoice/invoice-view";
import { ActionForm, Field, Hidden, LinkButton, PageHeader, Section } from "@/components/ui";
import { seller } from "@/lib/env";
import { isUuid } from "@/lib/fields";
import { services } from "@/lib/server";
import { hasRole, requireOperator } from "@/lib/session";
import { creditNoteAction, finalizeInvoiceAction, voidInvoiceAction } from "../../actions";
import { LineLink, LineWork } from "./line-work";
import { StripeStatus } from "./stripe-status";

export const dynamic = "force-dynamic";

export default async function InvoicePage({
  params,
  searchParams,
}: {
  params: Promise<{ tenantId: string; id: string }>;
  searchParams: Promise<{ work?: string; samples?: string }>;
}) {
  const { tenantId, id } = await params;
  const { work, samples } = await searchParams;
  if (!isUuid(tenantId) || !isUuid(id)) notFound();
  const user = await requireOperator();
  const invoice = await getInvoiceDocument({
    db: services().db,
    tenantId,
    invoiceId: id,
    seller: seller(),
  }).catch(() => null);
  if (!invoice) notFound();
  const billing = hasRole(user, "billing");
  const href = `/invoices/${tenantId}/${id}`;
  const key = (
    <>
      <Hidden name="tenantId" value={tenantId} />
      <Hidden name="invoiceId" value={id} />
    </>
  );
  return (
    <>
      <PageHeader title={`Invoice ${invoice.number ?? "(draft)"}`}>
        <LinkButton href={`/invoices/${tenantId}/${id}/pdf`} download>
          Download PDF
        </LinkButton>
        {billing && invoice.status === "draft" ? (
          // A period still under way can gain usage: its invoice is final only once the period has ended.
          invoice.periodEnd <= new Date() ? (
            <ActionForm
              inline
              action={finalizeInvoiceAction}
              submit="Finalize"
              testId="finalize"
              confirm="Finalize this invoice? It gets its number and can no longer change (only be voided or credited)."
            >
              {key}
            </ActionForm>
          ) : (
            <span className="muted" data-testid="finalize-later">
              Draft: the period ends {invoice.periodEnd.toISOString().slice(0, 16).replace("T", " ")} UTC, and
              the first invoice run after that finalizes it.
            </span>
          )
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
        <a href={`/tenants/${tenantId}`}>{invoice.tenant.name}</a> · rated {formatDateTime(invoice.ratedAt)}
      </p>
      <InvoiceView invoice={invoice} describe={(line) => <LineLink href={href} line={line} />} />
      {invoice.lines.some((line) => line.id === work) ? (
        <LineWork tenantId={tenantId} lineId={work!} href={href} samples={samples === "1"} />
      ) : null}
      {billing && (invoice.status === "finalized" || invoice.status === "paid") ? (
        <Section title="Issue a credit note">
          <ActionForm action={creditNoteAction} submit="Issue credit note">
            {key}
            <Field label="Amount" name="amount" required placeholder="10.00" />
            <Field label="Reason" name="reason" required placeholder="service outage on Nov 3" />
          </ActionForm>
        </Section>
      ) : null}
      <StripeStatus tenantId={tenantId} invoiceId={id} />
    </>
  );
}
