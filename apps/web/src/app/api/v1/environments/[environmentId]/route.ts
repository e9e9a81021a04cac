import { AppError } from "@meterplane/core";
import { getEnvironment } from "@meterplane/exports";
import { services } from "@/lib/server";
import { endpoints } from "../../_lib/endpoints";
import { v1Route } from "../../_lib/v1-route";

export const GET = v1Route(endpoints.getEnvironment, async ({ tenantId, params }) => {
  const environment = await getEnvironment({ db: services().db, tenantId, ...params });
  if (!environment) throw new AppError("NOT_FOUND", "no such environment");
  return environment;
});
