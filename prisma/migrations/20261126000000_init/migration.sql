-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "TenantStatus" AS ENUM ('active', 'suspended');

-- CreateEnum
CREATE TYPE "OperatorRole" AS ENUM ('owner', 'admin', 'billing', 'viewer');

-- CreateEnum
CREATE TYPE "EnvironmentKind" AS ENUM ('cgroup', 'systemd_unit', 'container', 'process_tree');

-- CreateEnum
CREATE TYPE "MetricAggregation" AS ENUM ('sum', 'max', 'avg', 'time_weighted', 'latest', 'unique');

-- CreateEnum
CREATE TYPE "BillingInterval" AS ENUM ('monthly', 'yearly');

-- CreateEnum
CREATE TYPE "ChargeModel" AS ENUM ('per_unit', 'graduated', 'volume', 'package', 'flat');

-- CreateEnum
CREATE TYPE "SubscriptionStatus" AS ENUM ('active', 'canceled');

-- CreateEnum
CREATE TYPE "InvoiceStatus" AS ENUM ('draft', 'finalized', 'paid', 'void', 'uncollectible');

-- CreateEnum
CREATE TYPE "InvoiceRunStatus" AS ENUM ('running', 'completed', 'failed');

-- CreateEnum
CREATE TYPE "StripeSyncState" AS ENUM ('pending', 'customer_ready', 'invoice_created', 'lines_added', 'finalized', 'failed');

-- CreateTable
CREATE TABLE "Tenant" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "status" "TenantStatus" NOT NULL DEFAULT 'active',
    "currency" CHAR(3) NOT NULL DEFAULT 'USD',
    "email" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Tenant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "User" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "operatorRole" "OperatorRole",
    "disabledAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TenantMember" (
    "tenantId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TenantMember_pkey" PRIMARY KEY ("tenantId","userId")
);

-- CreateTable
CREATE TABLE "Session" (
    "tokenHash" TEXT NOT NULL,
    "userId" UUID NOT NULL,
    "csrfToken" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "lastSeenAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("tokenHash")
);

-- CreateTable
CREATE TABLE "ClientPolicy" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "intervalSeconds" INTEGER NOT NULL DEFAULT 10,
    "meters" TEXT[],
    "spoolMaxBytes" BIGINT NOT NULL DEFAULT 268435456,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ClientPolicy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Host" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "group" TEXT,
    "policyId" UUID,
    "collectorVersion" TEXT,
    "lastSeenAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "removedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Host_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EnrollmentToken" (
    "id" UUID NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "hostId" UUID NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "usedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EnrollmentToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HostCredential" (
    "id" UUID NOT NULL,
    "hostId" UUID NOT NULL,
    "prefix" TEXT NOT NULL,
    "secretHash" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMPTZ(3),
    "revokedAt" TIMESTAMPTZ(3),

    CONSTRAINT "HostCredential_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CollectorRelease" (
    "version" TEXT NOT NULL,
    "notes" TEXT NOT NULL DEFAULT '',
    "publishedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CollectorRelease_pkey" PRIMARY KEY ("version")
);

-- CreateTable
CREATE TABLE "MinimumCollectorVersion" (
    "id" UUID NOT NULL,
    "group" TEXT,
    "version" TEXT NOT NULL,
    "setAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "setById" UUID,

    CONSTRAINT "MinimumCollectorVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Environment" (
    "tenantId" UUID NOT NULL,
    "id" UUID NOT NULL,
    "hostId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "EnvironmentKind" NOT NULL,
    "selector" TEXT NOT NULL,
    "meters" TEXT[],
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "removedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Environment_pkey" PRIMARY KEY ("tenantId","id")
);

-- CreateTable
CREATE TABLE "BatchKey" (
    "hostId" UUID NOT NULL,
    "sequence" BIGINT NOT NULL,
    "batchId" BIGINT NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "BatchKey_pkey" PRIMARY KEY ("hostId","sequence")
);

-- CreateTable
CREATE TABLE "SampleBatch" (
    "id" BIGSERIAL NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "hostId" UUID NOT NULL,
    "sequence" BIGINT NOT NULL,
    "sampleCount" INTEGER NOT NULL,
    "samples" JSONB NOT NULL,
    "aggregatedAt" TIMESTAMPTZ(3),

    CONSTRAINT "SampleBatch_pkey" PRIMARY KEY ("id","receivedAt")
) PARTITION BY RANGE ("receivedAt");
-- Partitioned by day so that retention drops whole partitions; packages/db/src/partitions.ts creates them ahead.

-- CreateTable
CREATE TABLE "UsageHourly" (
    "tenantId" UUID NOT NULL,
    "environmentId" UUID NOT NULL,
    "meter" TEXT NOT NULL,
    "dimensionKey" TEXT NOT NULL DEFAULT '',
    "bucketStart" TIMESTAMPTZ(3) NOT NULL,
    "dimensions" JSONB NOT NULL DEFAULT '{}',
    "sum" DECIMAL(38,12) NOT NULL,
    "count" BIGINT NOT NULL,
    "min" DECIMAL(38,12) NOT NULL,
    "max" DECIMAL(38,12) NOT NULL,
    "last" DECIMAL(38,12) NOT NULL,
    "lastAt" TIMESTAMPTZ(3) NOT NULL,
    "integral" DECIMAL(38,12) NOT NULL,
    "seconds" DECIMAL(38,12) NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UsageHourly_pkey" PRIMARY KEY ("tenantId","environmentId","meter","dimensionKey","bucketStart")
);

-- CreateTable
CREATE TABLE "UsageDaily" (
    "tenantId" UUID NOT NULL,
    "environmentId" UUID NOT NULL,
    "meter" TEXT NOT NULL,
    "dimensionKey" TEXT NOT NULL DEFAULT '',
    "bucketStart" TIMESTAMPTZ(3) NOT NULL,
    "dimensions" JSONB NOT NULL DEFAULT '{}',
    "sum" DECIMAL(38,12) NOT NULL,
    "count" BIGINT NOT NULL,
    "min" DECIMAL(38,12) NOT NULL,
    "max" DECIMAL(38,12) NOT NULL,
    "last" DECIMAL(38,12) NOT NULL,
    "lastAt" TIMESTAMPTZ(3) NOT NULL,
    "integral" DECIMAL(38,12) NOT NULL,
    "seconds" DECIMAL(38,12) NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UsageDaily_pkey" PRIMARY KEY ("tenantId","environmentId","meter","dimensionKey","bucketStart")
);

-- CreateTable
CREATE TABLE "BillableMetric" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "meter" TEXT NOT NULL,
    "aggregation" "MetricAggregation" NOT NULL,
    "unit" TEXT NOT NULL,
    "divisor" DECIMAL(38,12) NOT NULL DEFAULT 1,
    "filter" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BillableMetric_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Plan" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Plan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PlanVersion" (
    "id" UUID NOT NULL,
    "planId" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "interval" "BillingInterval" NOT NULL DEFAULT 'monthly',
    "invoiceMinimum" DECIMAL(24,6),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PlanVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Charge" (
    "id" UUID NOT NULL,
    "planVersionId" UUID NOT NULL,
    "billableMetricId" UUID,
    "model" "ChargeModel" NOT NULL,
    "properties" JSONB NOT NULL,
    "freeUnits" DECIMAL(38,12) NOT NULL DEFAULT 0,
    "minimumAmount" DECIMAL(24,6),
    "position" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "Charge_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Subscription" (
    "tenantId" UUID NOT NULL,
    "id" UUID NOT NULL,
    "planVersionId" UUID NOT NULL,
    "status" "SubscriptionStatus" NOT NULL DEFAULT 'active',
    "startAt" TIMESTAMPTZ(3) NOT NULL,
    "billingAnchor" TIMESTAMPTZ(3) NOT NULL,
    "canceledAt" TIMESTAMPTZ(3),
    "endAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Subscription_pkey" PRIMARY KEY ("tenantId","id")
);

-- CreateTable
CREATE TABLE "Invoice" (
    "tenantId" UUID NOT NULL,
    "id" UUID NOT NULL,
    "subscriptionId" UUID NOT NULL,
    "status" "InvoiceStatus" NOT NULL DEFAULT 'draft',
    "number" TEXT,
    "currency" CHAR(3) NOT NULL,
    "periodStart" TIMESTAMPTZ(3) NOT NULL,
    "periodEnd" TIMESTAMPTZ(3) NOT NULL,
    "subtotal" DECIMAL(24,6) NOT NULL,
    "total" DECIMAL(24,6) NOT NULL,
    "ratingHash" TEXT NOT NULL,
    "ratedAt" TIMESTAMPTZ(3) NOT NULL,
    "finalizedAt" TIMESTAMPTZ(3),
    "paidAt" TIMESTAMPTZ(3),
    "voidedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Invoice_pkey" PRIMARY KEY ("tenantId","id")
);

-- CreateTable
CREATE TABLE "InvoiceLine" (
    "tenantId" UUID NOT NULL,
    "id" UUID NOT NULL,
    "invoiceId" UUID NOT NULL,
    "chargeId" UUID,
    "position" INTEGER NOT NULL,
    "description" TEXT NOT NULL,
    "quantity" DECIMAL(38,12) NOT NULL,
    "unitPrice" DECIMAL(38,12) NOT NULL,
    "amount" DECIMAL(24,6) NOT NULL,
    "tiers" JSONB NOT NULL DEFAULT '[]',
    "sources" JSONB NOT NULL DEFAULT '[]',

    CONSTRAINT "InvoiceLine_pkey" PRIMARY KEY ("tenantId","id")
);

-- CreateTable
CREATE TABLE "InvoiceNumberSequence" (
    "issuer" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "next" BIGINT NOT NULL DEFAULT 1,

    CONSTRAINT "InvoiceNumberSequence_pkey" PRIMARY KEY ("issuer")
);

-- CreateTable
CREATE TABLE "CreditNote" (
    "tenantId" UUID NOT NULL,
    "id" UUID NOT NULL,
    "invoiceId" UUID NOT NULL,
    "number" TEXT NOT NULL,
    "amount" DECIMAL(24,6) NOT NULL,
    "reason" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CreditNote_pkey" PRIMARY KEY ("tenantId","id")
);

-- CreateTable
CREATE TABLE "InvoiceRun" (
    "id" UUID NOT NULL,
    "periodEnd" TIMESTAMPTZ(3) NOT NULL,
    "status" "InvoiceRunStatus" NOT NULL DEFAULT 'running',
    "total" INTEGER NOT NULL DEFAULT 0,
    "succeeded" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "retries" INTEGER NOT NULL DEFAULT 0,
    "amounts" JSONB NOT NULL DEFAULT '{}',
    "failures" JSONB NOT NULL DEFAULT '[]',
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "InvoiceRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StripeCustomer" (
    "tenantId" UUID NOT NULL,
    "stripeCustomerId" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StripeCustomer_pkey" PRIMARY KEY ("tenantId")
);

-- CreateTable
CREATE TABLE "StripeInvoice" (
    "tenantId" UUID NOT NULL,
    "invoiceId" UUID NOT NULL,
    "stripeInvoiceId" TEXT,
    "state" "StripeSyncState" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "StripeInvoice_pkey" PRIMARY KEY ("tenantId","invoiceId")
);

-- CreateTable
CREATE TABLE "StripeEvent" (
    "id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StripeEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiKey" (
    "id" UUID NOT NULL,
    "tenantId" UUID,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "secretHash" TEXT NOT NULL,
    "scopes" TEXT[],
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMPTZ(3),
    "revokedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ApiKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditLog" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" UUID,
    "actorKind" TEXT NOT NULL,
    "tenantId" UUID,
    "action" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "entityId" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,

    CONSTRAINT "AuditLog_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Tenant_slug_key" ON "Tenant"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE INDEX "TenantMember_userId_idx" ON "TenantMember"("userId");

-- CreateIndex
CREATE INDEX "Session_userId_idx" ON "Session"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "ClientPolicy_name_key" ON "ClientPolicy"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Host_name_key" ON "Host"("name");

-- CreateIndex
CREATE UNIQUE INDEX "EnrollmentToken_tokenHash_key" ON "EnrollmentToken"("tokenHash");

-- CreateIndex
CREATE INDEX "EnrollmentToken_hostId_idx" ON "EnrollmentToken"("hostId");

-- CreateIndex
CREATE UNIQUE INDEX "HostCredential_prefix_key" ON "HostCredential"("prefix");

-- CreateIndex
CREATE INDEX "HostCredential_hostId_idx" ON "HostCredential"("hostId");

-- CreateIndex
CREATE UNIQUE INDEX "MinimumCollectorVersion_group_key" ON "MinimumCollectorVersion"("group");

-- CreateIndex
CREATE INDEX "Environment_hostId_idx" ON "Environment"("hostId");

-- CreateIndex
CREATE INDEX "Environment_id_idx" ON "Environment"("id");

-- CreateIndex
CREATE INDEX "BatchKey_receivedAt_idx" ON "BatchKey"("receivedAt");

-- CreateIndex
CREATE INDEX "SampleBatch_aggregatedAt_receivedAt_idx" ON "SampleBatch"("aggregatedAt", "receivedAt");

-- CreateIndex
CREATE INDEX "UsageHourly_tenantId_bucketStart_idx" ON "UsageHourly"("tenantId", "bucketStart");

-- CreateIndex
CREATE INDEX "UsageDaily_tenantId_bucketStart_idx" ON "UsageDaily"("tenantId", "bucketStart");

-- CreateIndex
CREATE UNIQUE INDEX "BillableMetric_code_key" ON "BillableMetric"("code");

-- CreateIndex
CREATE UNIQUE INDEX "Plan_code_key" ON "Plan"("code");

-- CreateIndex
CREATE UNIQUE INDEX "PlanVersion_planId_version_key" ON "PlanVersion"("planId", "version");

-- CreateIndex
CREATE INDEX "Charge_planVersionId_idx" ON "Charge"("planVersionId");

-- CreateIndex
CREATE INDEX "Invoice_status_periodEnd_idx" ON "Invoice"("status", "periodEnd");

-- CreateIndex
CREATE UNIQUE INDEX "Invoice_tenantId_subscriptionId_periodStart_key" ON "Invoice"("tenantId", "subscriptionId", "periodStart");

-- CreateIndex
CREATE UNIQUE INDEX "Invoice_number_key" ON "Invoice"("number");

-- CreateIndex
CREATE INDEX "InvoiceLine_tenantId_invoiceId_idx" ON "InvoiceLine"("tenantId", "invoiceId");

-- CreateIndex
CREATE UNIQUE INDEX "CreditNote_number_key" ON "CreditNote"("number");

-- CreateIndex
CREATE UNIQUE INDEX "InvoiceRun_periodEnd_key" ON "InvoiceRun"("periodEnd");

-- CreateIndex
CREATE UNIQUE INDEX "StripeCustomer_stripeCustomerId_key" ON "StripeCustomer"("stripeCustomerId");

-- CreateIndex
CREATE UNIQUE INDEX "StripeInvoice_stripeInvoiceId_key" ON "StripeInvoice"("stripeInvoiceId");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_prefix_key" ON "ApiKey"("prefix");

-- CreateIndex
CREATE INDEX "ApiKey_tenantId_idx" ON "ApiKey"("tenantId");

-- CreateIndex
CREATE INDEX "AuditLog_at_idx" ON "AuditLog"("at");

-- CreateIndex
CREATE INDEX "AuditLog_tenantId_at_idx" ON "AuditLog"("tenantId", "at");

-- AddForeignKey
ALTER TABLE "TenantMember" ADD CONSTRAINT "TenantMember_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TenantMember" ADD CONSTRAINT "TenantMember_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Host" ADD CONSTRAINT "Host_policyId_fkey" FOREIGN KEY ("policyId") REFERENCES "ClientPolicy"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EnrollmentToken" ADD CONSTRAINT "EnrollmentToken_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HostCredential" ADD CONSTRAINT "HostCredential_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Environment" ADD CONSTRAINT "Environment_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Environment" ADD CONSTRAINT "Environment_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BatchKey" ADD CONSTRAINT "BatchKey_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UsageHourly" ADD CONSTRAINT "UsageHourly_tenantId_environmentId_fkey" FOREIGN KEY ("tenantId", "environmentId") REFERENCES "Environment"("tenantId", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UsageDaily" ADD CONSTRAINT "UsageDaily_tenantId_environmentId_fkey" FOREIGN KEY ("tenantId", "environmentId") REFERENCES "Environment"("tenantId", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlanVersion" ADD CONSTRAINT "PlanVersion_planId_fkey" FOREIGN KEY ("planId") REFERENCES "Plan"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Charge" ADD CONSTRAINT "Charge_planVersionId_fkey" FOREIGN KEY ("planVersionId") REFERENCES "PlanVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Charge" ADD CONSTRAINT "Charge_billableMetricId_fkey" FOREIGN KEY ("billableMetricId") REFERENCES "BillableMetric"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Subscription" ADD CONSTRAINT "Subscription_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Subscription" ADD CONSTRAINT "Subscription_planVersionId_fkey" FOREIGN KEY ("planVersionId") REFERENCES "PlanVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Invoice" ADD CONSTRAINT "Invoice_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Invoice" ADD CONSTRAINT "Invoice_tenantId_subscriptionId_fkey" FOREIGN KEY ("tenantId", "subscriptionId") REFERENCES "Subscription"("tenantId", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InvoiceLine" ADD CONSTRAINT "InvoiceLine_tenantId_invoiceId_fkey" FOREIGN KEY ("tenantId", "invoiceId") REFERENCES "Invoice"("tenantId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CreditNote" ADD CONSTRAINT "CreditNote_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CreditNote" ADD CONSTRAINT "CreditNote_tenantId_invoiceId_fkey" FOREIGN KEY ("tenantId", "invoiceId") REFERENCES "Invoice"("tenantId", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StripeCustomer" ADD CONSTRAINT "StripeCustomer_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StripeInvoice" ADD CONSTRAINT "StripeInvoice_tenantId_invoiceId_fkey" FOREIGN KEY ("tenantId", "invoiceId") REFERENCES "Invoice"("tenantId", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE SET NULL ON UPDATE CASCADE;

