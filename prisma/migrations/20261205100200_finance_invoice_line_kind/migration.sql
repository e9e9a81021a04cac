-- Invoices show minimums apart from the charges they top up, so each line records what it bills. Lines
-- written before this are classified as the rating engine wrote them: the invoice minimum is the one line
-- without a charge that says so, a charge's top-up the line after its charge's own line.
CREATE TYPE "InvoiceLineKind" AS ENUM ('charge', 'charge_minimum', 'invoice_minimum');

ALTER TABLE "InvoiceLine" ADD COLUMN "kind" "InvoiceLineKind" NOT NULL DEFAULT 'charge';

UPDATE "InvoiceLine" SET "kind" = 'invoice_minimum'
 WHERE "chargeId" IS NULL AND description LIKE 'Minimum commitment: top-up to %';

UPDATE "InvoiceLine" l SET "kind" = 'charge_minimum'
 WHERE l."chargeId" IS NOT NULL AND l.description LIKE '%: top-up to minimum %'
   AND EXISTS (SELECT 1 FROM "InvoiceLine" o
                WHERE o."tenantId" = l."tenantId" AND o."invoiceId" = l."invoiceId"
                  AND o."chargeId" = l."chargeId" AND o.position < l.position);
