import type { AnomalyKind } from "@meterplane/anomaly";
import type pg from "pg";
import type { SeriesKey } from "./scan-series.ts";

export interface NewAnomaly extends SeriesKey {
  id: string;
  kind: AnomalyKind;
  score: number;
  value: number | null;
  windowStart: Date;
  windowEnd: Date;
  detectedAt: Date;
}

/** What a webhook receives for an anomaly: `id` is the anomaly's, the receiver's key to drop a repeat. */
export function anomalyMessage(anomaly: NewAnomaly): string {
  return JSON.stringify({
    type: "anomaly",
    id: anomaly.id,
    tenantId: anomaly.tenantId,
    environmentId: anomaly.environmentId,
    meter: anomaly.meter,
    dimensionKey: anomaly.dimensionKey,
    kind: anomaly.kind,
    score: anomaly.score,
    value: anomaly.value,
    windowStart: anomaly.windowStart.toISOString(),
    windowEnd: anomaly.windowEnd.toISOString(),
    detectedAt: anomaly.detectedAt.toISOString(),
  });
}

/**
 * Stores an anomaly and, in the same transaction, one delivery of it to every live endpoint that may see
 * it: the operators' (no tenant) and its tenant's own. One delivery per (endpoint, anomaly) at most.
 */
export async function recordAnomaly(client: pg.PoolClient, anomaly: NewAnomaly): Promise<void> {
  await client.query(
    `INSERT INTO "Anomaly" (id, "tenantId", "environmentId", meter, "dimensionKey", kind, score, value,
                            "windowStart", "windowEnd", "detectedAt")
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      anomaly.id,
      anomaly.tenantId,
      anomaly.environmentId,
      anomaly.meter,
      anomaly.dimensionKey,
      anomaly.kind,
      anomaly.score,
      anomaly.value,
      anomaly.windowStart,
      anomaly.windowEnd,
      anomaly.detectedAt,
    ],
  );
  await client.query(
    `INSERT INTO "WebhookDelivery" (id, "endpointId", "anomalyId", body)
     SELECT gen_random_uuid(), e.id, $1, $3 FROM "WebhookEndpoint" e
      WHERE e."disabledAt" IS NULL AND (e."tenantId" IS NULL OR e."tenantId" = $2)
     ON CONFLICT ("endpointId", "anomalyId") DO NOTHING`,
    [anomaly.id, anomaly.tenantId, anomalyMessage(anomaly)],
  );
}
