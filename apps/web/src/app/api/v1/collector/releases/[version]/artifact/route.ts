import { authorizeArtifactDownload, readReleaseArtifact } from "@meterplane/fleet";
import { apiRoute } from "@/lib/api";
import { services } from "@/lib/server";

/**
 * A release's tarball, for enrolled hosts (the collector checks it against the digest and signature) and for a
 * host being enrolled with its token (the enrollment command checks the digest).
 */
export const GET = apiRoute(async (request, { params }: { params: Promise<{ version: string }> }) => {
  const { db } = services();
  await authorizeArtifactDownload({ db, authorization: request.headers.get("authorization") });
  const { bytes, sha256 } = await readReleaseArtifact({ db, version: (await params).version });
  return new Response(bytes, {
    headers: {
      "content-type": "application/gzip",
      "content-length": String(bytes.byteLength),
      "x-artifact-sha256": sha256,
      "cache-control": "no-store",
    },
  });
});
