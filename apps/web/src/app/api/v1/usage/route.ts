import { listUsageRollups } from "@meterplane/exports";
import { services } from "@/lib/server";
import { endpoints } from "../_lib/endpoints";
import { v1Route } from "../_lib/v1-route";

// The range is checked by the reader (`from` before `to`, no wider than the granularity allows): 400.
export const GET = v1Route(endpoints.listUsage, ({ tenantId, query }) =>
  listUsageRollups({
    db: services().db,
    ...query,
    tenantId,
    from: new Date(query.from),
    to: new Date(query.to),
  }),
);
