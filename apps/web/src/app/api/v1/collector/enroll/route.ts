import { enrollHost } from "@meterplane/fleet";
import { enrollRequestSchema } from "@meterplane/wire";
import { apiRoute, parseJson, readBody } from "@/lib/api";
import { env } from "@/lib/env";
import { services } from "@/lib/server";

export const POST = apiRoute(async (request) => {
  const { token } = enrollRequestSchema.parse(parseJson(await readBody(request, 4096)));
  const enrolled = await enrollHost({ db: services().db, token });
  const releasePublicKey = env().COLLECTOR_RELEASE_PUBLIC_KEY;
  return Response.json({ ...enrolled, ...(releasePublicKey ? { releasePublicKey } : {}) }, { status: 201 });
});
