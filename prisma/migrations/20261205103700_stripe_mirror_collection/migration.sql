-- CreateEnum
CREATE TYPE "CollectionMethod" AS ENUM ('send_invoice', 'charge_automatically');

-- AlterEnum
ALTER TYPE "StripeSyncState" ADD VALUE 'skipped';

-- AlterTable
ALTER TABLE "StripeCustomer" ADD COLUMN     "defaultPaymentMethod" TEXT;

-- AlterTable
ALTER TABLE "StripeInvoice" ADD COLUMN     "collectionMethod" "CollectionMethod",
ADD COLUMN     "keyGeneration" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "mirroredStatus" "InvoiceStatus";

-- An invoice finalized in Stripe before this change carried our status of that moment.
UPDATE "StripeInvoice" SET "mirroredStatus" = 'finalized' WHERE state = 'finalized';

-- CreateTable
CREATE TABLE "StripeCollection" (
    "tenantId" UUID NOT NULL,
    "method" "CollectionMethod" NOT NULL DEFAULT 'send_invoice',
    "daysUntilDue" INTEGER NOT NULL DEFAULT 30,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "StripeCollection_pkey" PRIMARY KEY ("tenantId")
);

-- CreateTable
CREATE TABLE "StripeCreditNote" (
    "tenantId" UUID NOT NULL,
    "creditNoteId" UUID NOT NULL,
    "stripeCreditNoteId" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StripeCreditNote_pkey" PRIMARY KEY ("tenantId","creditNoteId")
);

-- CreateIndex
CREATE UNIQUE INDEX "StripeCreditNote_stripeCreditNoteId_key" ON "StripeCreditNote"("stripeCreditNoteId");

-- AddForeignKey
ALTER TABLE "StripeCollection" ADD CONSTRAINT "StripeCollection_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StripeCreditNote" ADD CONSTRAINT "StripeCreditNote_tenantId_creditNoteId_fkey" FOREIGN KEY ("tenantId", "creditNoteId") REFERENCES "CreditNote"("tenantId", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
