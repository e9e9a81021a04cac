import { AppError, hashSecret, parseSecret } from "@meterplane/core";
import type { Database } from "@meterplane/db";
import { authenticateHost } from "../hosts/authenticate-host.ts";

/**
 * Who may download a release's tarball: an enrolled host (its credential, to upgrade), or a host being
 * enrolled (its enrollment token while unused and unexpired, to install the collector the token then enrolls).
 * Reading does not use the token up; only `enrollHost` does.
 */
export async function authorizeArtifactDownload({
  db,
  authorization,
}: {
  db: Database;
  authorization: string | null;
}): Promise<void> {
  const token = authorization?.startsWith("Bearer ") ? authorization.slice(7).trim() : "";
  if (!token.startsWith("mpe_")) {
    await authenticateHost({ db, authorization });
    return;
  }
  const parsed = parseSecret("mpe", token);
  const live =
    parsed &&
    (await db.prisma.enrollmentToken.count({
      where: { tokenHash: hashSecret(parsed.secret), usedAt: null, expiresAt: { gt: new Date() } },
    }));
  if (!live) throw new AppError("UNAUTHENTICATED", "the enrollment token is unknown, used or expired");
}
