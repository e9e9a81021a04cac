import { AppError } from "@meterplane/core";
import { listUsageRollups } from "@meterplane/exports";
import { services } from "@/lib/server";
import { endpoints } from "../_lib/endpoints";
import { v1Route } from "../_lib/v1-route";

export const GET = v1Route(endpoints.listUsage, ({ tenantId, query }) => {
  const from = new Date(query.from);
  const to = new Date(query.to);
  if (!(from < to)) throw new AppError("VALIDATION_FAILED", "`from` must be before `to`");
  return listUsageRollups({ db: services().db, ...query, tenantId, from, to });
});
