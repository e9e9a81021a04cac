import { listInvoiceLines } from "@meterplane/exports";
import { services } from "@/lib/server";
import { endpoints } from "../../../_lib/endpoints";
import { v1Route } from "../../../_lib/v1-route";

export const GET = v1Route(endpoints.listInvoiceLines, ({ tenantId, params, query }) =>
  listInvoiceLines({ db: services().db, ...params, ...query, tenantId }),
);
