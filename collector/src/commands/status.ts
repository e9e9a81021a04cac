import { join } from "node:path";
import { spoolSize } from "../spool.ts";
import { readStatus, type StatusFile } from "../status.ts";

export interface CollectorStatus extends StatusFile {
  spool: { batches: number; bytes: number; oldestSequence?: number; oldestWrittenAt?: string };
}

export function collectorStatus(stateDir: string): CollectorStatus {
  const { count, bytes, oldest } = spoolSize(join(stateDir, "spool"));
  return {
    ...readStatus(stateDir),
    spool: {
      batches: count,
      bytes,
      oldestSequence: oldest?.sequence,
      oldestWrittenAt: oldest ? oldest.writtenAt.toISOString() : undefined,
    },
  };
}

export function formatStatus(status: CollectorStatus): string {
  const lines = [
    `spool: ${status.spool.batches} batch(es), ${status.spool.bytes} bytes` +
      (status.spool.oldestSequence === undefined
        ? ""
        : `, oldest #${status.spool.oldestSequence} written ${status.spool.oldestWrittenAt}`),
  ];
  const ship = status.lastShip;
  lines.push(
    ship
      ? `last ship: ${ship.result} #${ship.sequence} at ${ship.at}${ship.httpStatus ? ` (HTTP ${ship.httpStatus}${ship.code ? ` ${ship.code}` : ""})` : ""}${ship.message ? `: ${ship.message}` : ""}`
      : "last ship: never",
  );
  return lines.join("\n");
}
