import { aggregatedThrough, deliverWebhooks, scanSeries, scanSilence } from "@meterplane/alerts";
import { detectorSettings } from "@meterplane/anomaly";
import { Counter } from "prom-client";
import { every, type WorkerJob } from "./job.ts";

/**
 * Scores every series whose hourly rollup grew since its watermark, then raises silences; the state, the
 * watermark and the anomalies of a series are saved in one transaction, so a restarted worker continues
 * each series where it stopped. Every worker may run it: series rows are locked while scored.
 */
export const anomalyScanJob: WorkerJob = {
  name: "anomaly-scan",
  start({ env, db, log, metrics, isOutage }) {
    const settings = { ...detectorSettings, warmup: env.ANOMALY_WARMUP_POINTS ?? detectorSettings.warmup };
    const points = new Counter({
      name: "mp_anomaly_points_total",
      help: "Series points scored",
      registers: [metrics],
    });
    const raised = new Counter({
      name: "mp_anomalies_total",
      help: "Anomalies raised (silences included)",
      registers: [metrics],
    });
    return every("anomaly-scan", env.ANOMALY_SCAN_EVERY_MS, { log, isOutage }, async () => {
      // Read before scoring, so that every sample received before it is scored before silence is judged.
      const settledAt = await aggregatedThrough(db);
      const scan = await scanSeries({ db, settings });
      const silences = await scanSilence({ db, settledAt });
      points.inc(scan.points);
      raised.inc(scan.anomalies + silences);
      if (scan.anomalies || silences) log.info({ ...scan, silences }, "anomalies raised");
    });
  },
};

/** Posts due webhook deliveries (signed, retried with backoff); claims make concurrent workers safe. */
export const webhookDeliveryJob: WorkerJob = {
  name: "webhook-delivery",
  start({ env, db, log, isOutage }) {
    return every("webhook-delivery", env.WEBHOOK_DELIVER_EVERY_MS, { log, isOutage }, async () => {
      const outcome = await deliverWebhooks({ db });
      if (outcome.failed) log.warn(outcome, "webhook deliveries failed (retried with backoff)");
    });
  },
};
