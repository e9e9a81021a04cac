"use server";

import { finalizeInvoice, issueCreditNote, voidInvoice } from "@meterplane/invoicing";
import { z } from "zod";
import { operatorAction } from "@/lib/actions";
import { fields } from "@/lib/fields";

const invoiceKey = z.object({ tenantId: fields.id, invoiceId: fields.id });

export const finalizeInvoiceAction = operatorAction("billing", invoiceKey, async (key, { db, actor }) => {
  const invoice = await finalizeInvoice({ db, actor, ...key });
  return { message: `Finalized as ${invoice.number}` };
});

export const voidInvoiceAction = operatorAction("billing", invoiceKey, async (key, { db, actor }) => {
  await voidInvoice({ db, actor, ...key });
  return { message: "Voided; its number stays used" };
});

export const creditNoteAction = operatorAction(
  "billing",
  invoiceKey.extend({ amount: fields.decimal, reason: fields.text(500) }),
  async (input, { db, actor }) => {
    const note = await issueCreditNote({ db, actor, ...input });
    return { message: `Credit note ${note.number} issued` };
  },
);
