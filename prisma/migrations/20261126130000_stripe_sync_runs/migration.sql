-- AlterTable
ALTER TABLE "StripeInvoice" ADD COLUMN     "invoiceRunId" UUID,
ADD COLUMN     "paymentFailedAt" TIMESTAMPTZ(3),
ADD COLUMN     "stripeStatus" TEXT;

-- CreateIndex
CREATE INDEX "StripeInvoice_invoiceRunId_idx" ON "StripeInvoice"("invoiceRunId");

-- CreateIndex
CREATE INDEX "StripeInvoice_state_idx" ON "StripeInvoice"("state");

-- AddForeignKey
ALTER TABLE "StripeInvoice" ADD CONSTRAINT "StripeInvoice_invoiceRunId_fkey" FOREIGN KEY ("invoiceRunId") REFERENCES "InvoiceRun"("id") ON DELETE SET NULL ON UPDATE CASCADE;
