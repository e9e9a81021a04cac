-- A batch that can never be aggregated (say, its rollups would overflow) is set aside after a few tries
-- instead of being retried forever: its tries, the last failure and when it was set aside.
ALTER TABLE "SampleBatch" ADD COLUMN "failedAttempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "failureReason" TEXT,
ADD COLUMN "deadLetteredAt" TIMESTAMPTZ(3);
