import { enrollHost } from "../credential.ts";
import type { Logger } from "../log.ts";

export async function enrollCommand(options: {
  server: string;
  token: string;
  stateDir: string;
  log: Logger;
}) {
  const stored = await enrollHost(options);
  options.log.info("host enrolled", {
    hostId: stored.hostId,
    server: stored.server,
    stateDir: options.stateDir,
    nextSequence: stored.nextSequence,
  });
}
