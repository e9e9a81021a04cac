-- Releases carry the collector they name: its tarball, SHA-256 and the operator's Ed25519 signature.
ALTER TABLE "CollectorRelease" ADD COLUMN "artifact" BYTEA,
  ADD COLUMN "artifactSha256" TEXT,
  ADD COLUMN "artifactSignature" TEXT;

-- Each host's last upgrade report, for the portal.
ALTER TABLE "Host" ADD COLUMN "upgradeState" TEXT,
  ADD COLUMN "upgradeTarget" TEXT,
  ADD COLUMN "upgradeReason" TEXT,
  ADD COLUMN "upgradeReportedAt" TIMESTAMPTZ(3);
