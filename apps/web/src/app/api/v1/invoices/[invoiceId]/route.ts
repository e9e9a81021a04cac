import { AppError } from "@meterplane/core";
import { getInvoice } from "@meterplane/exports";
import { services } from "@/lib/server";
import { endpoints } from "../../_lib/endpoints";
import { v1Route } from "../../_lib/v1-route";

export const GET = v1Route(endpoints.getInvoice, async ({ tenantId, params }) => {
  const invoice = await getInvoice({ db: services().db, tenantId, ...params });
  if (!invoice) throw new AppError("NOT_FOUND", "no such invoice");
  return invoice;
});
