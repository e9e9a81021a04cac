import { readFileSync } from "node:fs";
import { join } from "node:path";
import { upgradeStates } from "@meterplane/wire";
import { z } from "zod";
import { writeFileAtomic } from "../fs-atomic.ts";
import { parseJsonOrUndefined } from "../json.ts";

/**
 * `<stateDir>/upgrade.json`: where the last upgrade stands. Both versions read it across the restart: the
 * new one learns it is on trial and what to roll back to; the old one, after a rollback, that this release
 * failed and must not be tried again.
 */
const upgradeFileSchema = z.object({
  state: z.enum(upgradeStates),
  target: z.string(),
  /** The artifact tried: a failure is remembered per artifact, so a re-published fix is tried afresh. */
  sha256: z.string().optional(),
  reason: z.string().optional(),
  /** The version to roll back to while the target is on trial. */
  previous: z.string().optional(),
  at: z.string(),
});
export type UpgradeRecord = z.infer<typeof upgradeFileSchema>;

const path = (stateDir: string) => join(stateDir, "upgrade.json");

export function readUpgrade(stateDir: string): UpgradeRecord | undefined {
  let text: string;
  try {
    text = readFileSync(path(stateDir), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const parsed = upgradeFileSchema.safeParse(parseJsonOrUndefined(text));
  return parsed.success ? parsed.data : undefined;
}

export function writeUpgrade(stateDir: string, record: Omit<UpgradeRecord, "at">): UpgradeRecord {
  const written = { ...record, at: new Date().toISOString() };
  writeFileAtomic(path(stateDir), JSON.stringify(written));
  return written;
}
