import { AppError } from "@meterplane/core";
import { sampleContentTypes, streamSamples } from "@meterplane/exports";
import { services } from "@/lib/server";
import { endpoints } from "../_lib/endpoints";
import { v1Route } from "../_lib/v1-route";

export const GET = v1Route(endpoints.exportSamples, async ({ tenantId, query }) => {
  const from = new Date(query.from);
  const to = new Date(query.to);
  if (!(from < to)) throw new AppError("VALIDATION_FAILED", "`from` must be before `to`");
  const body = streamSamples({ db: services().db, ...query, tenantId, from, to });
  return new Response(body, {
    headers: {
      "Content-Type": sampleContentTypes[query.format],
      "Content-Disposition": `attachment; filename="samples-${query.from}-${query.to}.${query.format}"`,
      "Cache-Control": "no-store",
    },
  });
});
