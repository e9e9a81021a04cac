import { systemActor } from "@meterplane/db";
import { aHost, useTestDatabase } from "@meterplane/testing";
import { describe, expect, it } from "vitest";
import { authenticateHost } from "./authenticate-host.ts";
import { enrollHost } from "./enroll-host.ts";
import { issueEnrollmentToken } from "./issue-enrollment-token.ts";

const t = useTestDatabase();

/** What ingest leaves behind for each accepted batch of a host: its (host, sequence) key. */
async function storeBatchKeys(hostId: string, sequences: number[]) {
  await t.db.prisma.batchKey.createMany({
    data: sequences.map((sequence, i) => ({ hostId, sequence, batchId: i + 1, receivedAt: new Date() })),
  });
}

const enrollWithNewToken = async (hostId: string) => {
  const { token } = await issueEnrollmentToken({ db: t.db, actor: systemActor, hostId });
  return { token, enrolled: await enrollHost({ db: t.db, token }) };
};

describe("enrollHost", () => {
  it("starts a host that never sent a batch at sequence 1", async () => {
    const { host } = await aHost(t.db);
    const { enrolled } = await enrollWithNewToken(host.id);
    expect(enrolled).toMatchObject({ hostId: host.id, nextSequence: 1 });
    await expect(
      authenticateHost({ db: t.db, authorization: `Bearer ${enrolled.credential}` }),
    ).resolves.toMatchObject({ hostId: host.id });
  });

  it("continues a re-enrolled host after the highest sequence stored for it, not another host's", async () => {
    const { host } = await aHost(t.db);
    const { host: other } = await aHost(t.db);
    // A collector's sequences may have gaps (a crash after reserving one): the highest counts, not the count.
    await storeBatchKeys(host.id, [1, 2, 3, 7]);
    await storeBatchKeys(other.id, [40]);

    const { token, enrolled } = await enrollWithNewToken(host.id);
    expect(enrolled).toMatchObject({ hostId: host.id, nextSequence: 8 });
    await expect(enrollHost({ db: t.db, token })).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
  });
});
