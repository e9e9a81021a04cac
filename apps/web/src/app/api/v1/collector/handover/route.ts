import { authenticateHost, recordEnvironmentHandover } from "@meterplane/fleet";
import { environmentHandoverSchema } from "@meterplane/wire";
import { apiRoute, parseJson, readBody } from "@/lib/api";
import { services } from "@/lib/server";

/**
 * A collector hands over an environment that moved off its host: its closing readings at the move's instant,
 * which the next host's configuration then carries. Running totals list the processes and sockets they
 * were built from, so the body may be larger than a report.
 */
export const POST = apiRoute(async (request) => {
  const { db } = services();
  const host = await authenticateHost({ db, authorization: request.headers.get("authorization") });
  const handover = environmentHandoverSchema.parse(parseJson(await readBody(request, 1024 * 1024)));
  const { recorded } = await recordEnvironmentHandover({ db, hostId: host.hostId, handover });
  return Response.json({ recorded });
});
