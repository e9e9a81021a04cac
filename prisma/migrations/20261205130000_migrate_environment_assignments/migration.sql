-- An environment moves between hosts at an instant: which host meters it when, half-open [validFrom, validTo).
-- An environment that never moved has no rows (it belongs to its hostId at all times), so nothing is backfilled.

-- CreateTable
CREATE TABLE "EnvironmentAssignment" (
    "tenantId" UUID NOT NULL,
    "id" UUID NOT NULL,
    "environmentId" UUID NOT NULL,
    "hostId" UUID NOT NULL,
    "validFrom" TIMESTAMPTZ(3),
    "validTo" TIMESTAMPTZ(3),
    "handover" JSONB,
    "handedOverAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EnvironmentAssignment_pkey" PRIMARY KEY ("tenantId","id")
);

-- CreateIndex
CREATE INDEX "EnvironmentAssignment_hostId_idx" ON "EnvironmentAssignment"("hostId");

-- CreateIndex
CREATE INDEX "EnvironmentAssignment_environmentId_idx" ON "EnvironmentAssignment"("environmentId");

-- AddForeignKey
ALTER TABLE "EnvironmentAssignment" ADD CONSTRAINT "EnvironmentAssignment_tenantId_environmentId_fkey" FOREIGN KEY ("tenantId", "environmentId") REFERENCES "Environment"("tenantId", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EnvironmentAssignment" ADD CONSTRAINT "EnvironmentAssignment_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
