import { authenticateHost, recordCollectorReport } from "@meterplane/fleet";
import { collectorReportSchema } from "@meterplane/wire";
import { apiRoute, parseJson, readBody } from "@/lib/api";
import { services } from "@/lib/server";

/** A collector says which version it runs and how its upgrade stands (the portal's host pages show it). */
export const POST = apiRoute(async (request) => {
  const { db } = services();
  const host = await authenticateHost({ db, authorization: request.headers.get("authorization") });
  const report = collectorReportSchema.parse(parseJson(await readBody(request, 8192)));
  await recordCollectorReport({ db, hostId: host.hostId, report });
  return new Response(null, { status: 204 });
});
