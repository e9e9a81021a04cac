import { sealHours } from "@meterplane/usage";
import { Counter } from "prom-client";
import { every, type WorkerJob } from "./job.ts";

/**
 * Folds each hour, once it has ended (and a grace period with it), into the daily rollups and environment
 * months, so that aggregation writes open hours to the hourly rollups alone. Every worker runs it; an hour
 * is sealed once whichever worker gets there first.
 */
export const sealHoursJob: WorkerJob = {
  name: "seal-hours",
  start(context) {
    const { env, db, log, metrics } = context;
    const sealedHours = new Counter({
      name: "mp_sealed_hours_total",
      help: "Hours whose hourly rollups were folded into the daily rollups",
      registers: [metrics],
    });
    return every("seal-hours", env.SEAL_EVERY_MS, context, async () => {
      const sealed = await sealHours({ db, graceMs: env.SEAL_GRACE_MS });
      sealedHours.inc(sealed.length);
      if (sealed.length) log.info({ hours: sealed }, "sealed hours into the daily rollups");
    });
  },
};
