-- Policies are delivered whole and versioned; hosts report which version they apply.
ALTER TABLE "ClientPolicy" ADD COLUMN "transactionsUdpPort" INTEGER,
  ADD COLUMN "version" INTEGER NOT NULL DEFAULT 1;

ALTER TABLE "Host" ADD COLUMN "appliedPolicyId" UUID,
  ADD COLUMN "appliedPolicyVersion" INTEGER;
