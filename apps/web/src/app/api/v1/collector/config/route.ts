import { authenticateHost, getCollectorConfig, recordHostContact } from "@meterplane/fleet";
import { apiRoute } from "@/lib/api";
import { services } from "@/lib/server";

export const GET = apiRoute(async (request) => {
  const { db } = services();
  const host = await authenticateHost({ db, authorization: request.headers.get("authorization") });
  const version = request.headers.get("x-collector-version");
  if (version && /^\d+\.\d+\.\d+$/.test(version))
    await recordHostContact({ db, hostId: host.hostId, collectorVersion: version });
  const { config, etag } = await getCollectorConfig({ db, hostId: host.hostId });
  if (request.headers.get("if-none-match") === etag)
    return new Response(null, { status: 304, headers: { etag } });
  return Response.json(config, { headers: { etag, "cache-control": "no-cache" } });
});
