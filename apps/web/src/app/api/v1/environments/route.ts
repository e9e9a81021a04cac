import { listEnvironments } from "@meterplane/exports";
import { services } from "@/lib/server";
import { endpoints } from "../_lib/endpoints";
import { v1Route } from "../_lib/v1-route";

export const GET = v1Route(endpoints.listEnvironments, ({ tenantId, query }) =>
  listEnvironments({ db: services().db, ...query, tenantId }),
);
