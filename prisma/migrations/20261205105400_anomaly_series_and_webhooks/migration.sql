-- Anomalies: the detector's state per series, anomalies found, webhook endpoints and their deliveries.

-- CreateEnum
CREATE TYPE "AnomalyKind" AS ENUM ('spike', 'level_shift', 'drift', 'flat_line', 'silence');

-- CreateEnum
CREATE TYPE "WebhookDeliveryStatus" AS ENUM ('pending', 'delivered', 'failed');

-- CreateTable
CREATE TABLE "AnomalySeries" (
    "tenantId" UUID NOT NULL,
    "environmentId" UUID NOT NULL,
    "meter" TEXT NOT NULL,
    "dimensionKey" TEXT NOT NULL DEFAULT '',
    "state" JSONB NOT NULL,
    "markHour" TIMESTAMPTZ(3) NOT NULL,
    "markSum" DECIMAL(38,12) NOT NULL,
    "markCount" BIGINT NOT NULL,
    "mutedAt" TIMESTAMPTZ(3),
    "silentAfter" TIMESTAMPTZ(3),
    "silentSince" TIMESTAMPTZ(3),
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AnomalySeries_pkey" PRIMARY KEY ("tenantId","environmentId","meter","dimensionKey")
);

-- CreateTable
CREATE TABLE "Anomaly" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "environmentId" UUID NOT NULL,
    "meter" TEXT NOT NULL,
    "dimensionKey" TEXT NOT NULL DEFAULT '',
    "kind" "AnomalyKind" NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "value" DOUBLE PRECISION,
    "windowStart" TIMESTAMPTZ(3) NOT NULL,
    "windowEnd" TIMESTAMPTZ(3) NOT NULL,
    "detectedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "acknowledgedAt" TIMESTAMPTZ(3),
    "acknowledgedById" UUID,

    CONSTRAINT "Anomaly_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookEndpoint" (
    "id" UUID NOT NULL,
    "tenantId" UUID,
    "url" TEXT NOT NULL,
    "secret" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disabledAt" TIMESTAMPTZ(3),

    CONSTRAINT "WebhookEndpoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" UUID NOT NULL,
    "endpointId" UUID NOT NULL,
    "anomalyId" UUID,
    "body" TEXT NOT NULL,
    "status" "WebhookDeliveryStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "responseCode" INTEGER,
    "lastError" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deliveredAt" TIMESTAMPTZ(3),

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AnomalySeries_silentAfter_idx" ON "AnomalySeries"("silentAfter");

-- CreateIndex
CREATE INDEX "Anomaly_tenantId_detectedAt_idx" ON "Anomaly"("tenantId", "detectedAt");

-- CreateIndex
CREATE INDEX "Anomaly_environmentId_detectedAt_idx" ON "Anomaly"("environmentId", "detectedAt");

-- CreateIndex
CREATE INDEX "Anomaly_detectedAt_idx" ON "Anomaly"("detectedAt");

-- CreateIndex
CREATE INDEX "WebhookEndpoint_tenantId_idx" ON "WebhookEndpoint"("tenantId");

-- CreateIndex
CREATE INDEX "WebhookDelivery_status_nextAttemptAt_idx" ON "WebhookDelivery"("status", "nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookDelivery_endpointId_anomalyId_key" ON "WebhookDelivery"("endpointId", "anomalyId");

-- AddForeignKey
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_endpointId_fkey" FOREIGN KEY ("endpointId") REFERENCES "WebhookEndpoint"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_anomalyId_fkey" FOREIGN KEY ("anomalyId") REFERENCES "Anomaly"("id") ON DELETE CASCADE ON UPDATE CASCADE;
