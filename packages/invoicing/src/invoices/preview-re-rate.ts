import { type DraftInvoiceLine, loadRatingInputs, ratePeriod } from "@meterplane/billing";
import { AppError, Dec } from "@meterplane/core";
import type { Database } from "@meterplane/db";

interface LineFigures {
  description: string;
  quantity: string;
  unitPrice: string;
  amount: string;
}

/**
 * What an invoice's period would come to if rated now, line by line beside what it says, without changing
 * anything: the preview before a credit note or a reissue. Lines are matched by charge and kind.
 */
export async function previewReRate({
  db,
  tenantId,
  invoiceId,
}: {
  db: Database;
  tenantId: string;
  invoiceId: string;
}) {
  const invoice = await db.prisma.invoice.findUnique({
    where: { tenantId_id: { tenantId, id: invoiceId } },
    include: { lines: { orderBy: { position: "asc" } }, subscription: true },
  });
  if (!invoice) throw new AppError("NOT_FOUND", `invoice ${invoiceId} not found`);
  const { subscription } = invoice;
  const [input] = await loadRatingInputs({
    db,
    targets: [
      {
        tenantId,
        subscriptionId: subscription.id,
        planVersionId: subscription.planVersionId,
        startAt: subscription.startAt,
        endAt: subscription.endAt,
        period: { start: invoice.periodStart, end: invoice.periodEnd },
      },
    ],
  });
  const rerated = ratePeriod(input!);
  const stored = byCharge(
    invoice.lines.map((l) => ({
      chargeId: l.chargeId,
      description: l.description,
      quantity: l.quantity.toFixed(),
      unitPrice: l.unitPrice.toFixed(),
      amount: l.amount.toFixed(),
    })),
  );
  const fresh = byCharge(rerated.lines);
  const lines = [...new Set([...stored.keys(), ...fresh.keys()])].map((k) => {
    const before = stored.get(k) ?? null;
    const after = fresh.get(k) ?? null;
    const difference = new Dec(after?.amount ?? 0).minus(before?.amount ?? 0);
    return {
      description: after?.description ?? before?.description ?? "",
      before: before && pick(before),
      after: after && pick(after),
      difference: difference.toFixed(),
    };
  });
  return {
    invoiceId,
    identical: rerated.ratingHash === invoice.ratingHash,
    totalBefore: invoice.total.toFixed(),
    totalAfter: rerated.total,
    difference: new Dec(rerated.total).minus(invoice.total.toFixed()).toFixed(),
    lines,
  };
}

/** A charge's line comes before its top-up, so (charge, n-th line of it) pairs old and new lines. */
function byCharge(lines: (LineFigures & Pick<DraftInvoiceLine, "chargeId">)[]): Map<string, LineFigures> {
  const seen = new Map<string, number>();
  return new Map(
    lines.map((line) => {
      const charge = line.chargeId ?? "invoice";
      const n = seen.get(charge) ?? 0;
      seen.set(charge, n + 1);
      return [`${charge}#${n}`, line];
    }),
  );
}

function pick({ quantity, unitPrice, amount }: LineFigures) {
  return {
    quantity: new Dec(quantity).toFixed(),
    unitPrice: new Dec(unitPrice).toFixed(),
    amount: new Dec(amount).toFixed(),
  };
}
