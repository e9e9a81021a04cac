-- AlterEnum
ALTER TYPE "MetricAggregation" ADD VALUE 'count';

-- DropIndex
DROP INDEX "BillableMetric_code_key";

-- AlterTable
ALTER TABLE "BillableMetric" ADD COLUMN     "archivedAt" TIMESTAMPTZ(3),
ADD COLUMN     "effectiveFrom" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 1;

-- CreateIndex
CREATE UNIQUE INDEX "BillableMetric_code_version_key" ON "BillableMetric"("code", "version");
