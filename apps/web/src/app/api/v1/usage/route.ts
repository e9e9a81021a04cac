import { authenticateApiKey } from "@meterplane/access";
import { AppError } from "@meterplane/core";
import { getUsage } from "@meterplane/usage";
import { z } from "zod";
import { apiRoute } from "@/lib/api";
import { services } from "@/lib/server";

const query = z.object({
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  granularity: z.enum(["hour", "day"]).default("hour"),
  environmentId: z.uuid().optional(),
  meter: z.string().max(64).optional(),
  tenantId: z.uuid().optional(),
});

export const GET = apiRoute(async (request) => {
  const { db } = services();
  const principal = await authenticateApiKey({
    db,
    authorization: request.headers.get("authorization"),
    scope: "usage:read",
  });
  const params = query.parse(Object.fromEntries(new URL(request.url).searchParams));
  if (principal.tenantId && params.tenantId && params.tenantId !== principal.tenantId) {
    throw new AppError("FORBIDDEN", "this key can only read its own tenant's usage");
  }
  const from = new Date(params.from);
  const to = new Date(params.to);
  if (!(from < to)) throw new AppError("VALIDATION_FAILED", "`from` must be before `to`");
  const rows = await getUsage({
    db,
    tenantId: principal.tenantId ?? params.tenantId ?? null,
    environmentId: params.environmentId,
    meter: params.meter,
    from,
    to,
    granularity: params.granularity,
  });
  return Response.json({ data: rows });
});
