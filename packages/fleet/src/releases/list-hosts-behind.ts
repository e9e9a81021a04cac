import type { Database } from "@meterplane/db";
import { compareVersions } from "@meterplane/wire";

export interface HostBehind {
  id: string;
  name: string;
  group: string | null;
  collectorVersion: string | null;
  minimumVersion: string;
  lastSeenAt: Date | null;
}

/** Active hosts whose collector is older than the minimum that applies to them (never reported = behind). */
export async function listHostsBehind({ db }: { db: Database }): Promise<HostBehind[]> {
  const [minimums, hosts] = await Promise.all([
    db.prisma.minimumCollectorVersion.findMany(),
    db.prisma.host.findMany({ where: { removedAt: null }, orderBy: { name: "asc" } }),
  ]);
  const global = minimums.find((m) => m.group === null)?.version;
  const behind: HostBehind[] = [];
  for (const host of hosts) {
    const candidates = [global, minimums.find((m) => host.group && m.group === host.group)?.version];
    const minimumVersion = candidates
      .filter((v): v is string => !!v)
      .sort(compareVersions)
      .at(-1);
    if (!minimumVersion) continue;
    if (!host.collectorVersion || compareVersions(host.collectorVersion, minimumVersion) < 0)
      behind.push({ ...host, minimumVersion });
  }
  return behind;
}
