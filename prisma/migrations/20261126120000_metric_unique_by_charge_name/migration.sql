-- AlterTable
ALTER TABLE "BillableMetric" ADD COLUMN     "uniqueBy" TEXT;

-- AlterTable
ALTER TABLE "Charge" ADD COLUMN     "name" TEXT;
