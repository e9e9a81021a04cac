import { randomBytes } from "node:crypto";
import { connectDatabase, type Database } from "@meterplane/db";
import { createScratchDatabase, postgresServerUrl } from "@meterplane/db/migrations";
import { afterAll, beforeAll } from "vitest";

export { postgresServerUrl };

export function redisUrl(): string {
  return process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
}

/** A queue prefix of this test file's own, so parallel files never share BullMQ keys. */
export function uniqueQueuePrefix(): string {
  return `{mp-test-${randomBytes(4).toString("hex")}}`;
}

export interface TestDatabase {
  readonly db: Database;
  readonly url: string;
}

/** A freshly migrated database for this test file, dropped when it ends. */
export function useTestDatabase(): TestDatabase {
  let state: { db: Database; url: string; drop: () => Promise<void> } | undefined;
  beforeAll(async () => {
    const scratch = await createScratchDatabase(postgresServerUrl());
    state = { db: connectDatabase(scratch.url), url: scratch.url, drop: scratch.drop };
  });
  afterAll(async () => {
    await state?.db.close();
    await state?.drop();
  });
  return {
    get db() {
      if (!state) throw new Error("the test database is only available inside tests");
      return state.db;
    },
    get url() {
      if (!state) throw new Error("the test database is only available inside tests");
      return state.url;
    },
  };
}
