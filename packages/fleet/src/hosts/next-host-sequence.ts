import type { Prisma } from "@meterplane/db";

/**
 * The sequence a new collector state of this host should start at: one past the highest that ingest still
 * holds a key of for it, 1 for none. Ingest refuses a held sequence carrying other samples, so a reinstalled
 * collector starting again at 1 would have its batches refused until it passed them.
 */
export async function nextHostSequence(prisma: Prisma.TransactionClient, hostId: string): Promise<number> {
  const last = await prisma.batchKey.aggregate({ where: { hostId }, _max: { sequence: true } });
  return Number(last._max.sequence ?? 0n) + 1;
}
