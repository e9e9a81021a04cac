import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { writeFileAtomic } from "./fs-atomic.ts";

/** The shipper's last result, kept on disk for `meterplane-collector status` and for start-up repair. */
export const shipStatusSchema = z.object({
  at: z.string(),
  result: z.enum(["accepted", "duplicate", "rejected", "retrying", "credential", "upgrade"]),
  sequence: z.number(),
  httpStatus: z.number().optional(),
  code: z.string().optional(),
  message: z.string().optional(),
});
export type ShipStatus = z.infer<typeof shipStatusSchema>;

const statusFileSchema = z.object({
  lastShip: shipStatusSchema.optional(),
  /** Highest sequence the server acknowledged; batches at or below it need never be spooled again. */
  lastAckedSequence: z.number().optional(),
});
export type StatusFile = z.infer<typeof statusFileSchema>;

export function readStatus(stateDir: string): StatusFile {
  let text: string;
  try {
    text = readFileSync(join(stateDir, "status.json"), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw error;
  }
  return statusFileSchema.parse(JSON.parse(text));
}

export function recordShip(stateDir: string, ship: ShipStatus): void {
  const current = readStatus(stateDir);
  const acked = ship.result === "accepted" || ship.result === "duplicate";
  const lastAckedSequence = acked
    ? Math.max(current.lastAckedSequence ?? 0, ship.sequence)
    : current.lastAckedSequence;
  writeFileAtomic(join(stateDir, "status.json"), JSON.stringify({ lastShip: ship, lastAckedSequence }));
}
