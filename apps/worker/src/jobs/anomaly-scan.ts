import { aggregatedThrough, deliverWebhooks, scanSeries, scanSilence } from "@meterplane/alerts";
import { detectorSettings } from "@meterplane/anomaly";
import { Counter, Gauge } from "prom-client";
import { every, type WorkerJob } from "./job.ts";

/**
 * Scores every series whose hourly rollup grew since its watermark, then raises silences; the state, the
 * watermark and the anomalies of a series are saved in one transaction, so a restarted worker continues
 * each series where it stopped. Every worker may run it: a series is written back only where its watermark
 * is still the one read, so two scans score each point once.
 *
 * A scan costs every grown series a point, so a wide fleet's scan takes long: it rests after each chunk of
 * series so that it uses at most `ANOMALY_SCAN_SHARE` of the time (`ANOMALY_SCAN_SHARE_BEHIND` while
 * aggregation is behind: rollups that bill come first), and the next starts at the first tick
 * after it ends. The points then come further apart (each is the mean of what its hour gained since the
 * last), which the detector learns as the series' interval; aggregation keeps the rest of the worker and
 * of Postgres throughout, even during the first scan of a fleet's million series.
 */
export const anomalyScanJob: WorkerJob = {
  name: "anomaly-scan",
  start({ env, db, log, metrics, isOutage, aggregationLag }) {
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
    const share = new Gauge({
      name: "mp_anomaly_scan_share",
      help: "The most of the time the anomaly scan may take now (less while aggregation is behind)",
      registers: [metrics],
    });
    const shareNow = () => {
      const now = aggregationLag.behind()
        ? Math.min(env.ANOMALY_SCAN_SHARE_BEHIND, env.ANOMALY_SCAN_SHARE)
        : env.ANOMALY_SCAN_SHARE;
      share.set(now);
      return now;
    };
    const lasted = new Gauge({
      name: "mp_anomaly_scan_seconds",
      help: "How long the last anomaly scan took",
      registers: [metrics],
    });
    return every("anomaly-scan", env.ANOMALY_SCAN_EVERY_MS, { log, isOutage }, async () => {
      const began = Date.now();
      // Read before scoring, so that every sample received before it is scored before silence is judged.
      const settledAt = await aggregatedThrough(db);
      const scan = await scanSeries({ db, settings, share: shareNow });
      const silences = await scanSilence({ db, settledAt });
      lasted.set((Date.now() - began) / 1000);
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
