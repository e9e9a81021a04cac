import { createUser } from "@meterplane/access";
import { isAppError } from "@meterplane/core";
import { connectDatabase, systemActor } from "@meterplane/db";
import { z } from "zod";

/**
 * `npm run create-owner -- <email> <name>` with the password in MP_OWNER_PASSWORD (never on the command line,
 * where `ps` and shell history would keep it): the first operator of a fresh installation.
 */
const args = z
  .object({
    DATABASE_URL: z.string().url(),
    MP_OWNER_PASSWORD: z.string().min(10, { message: "MP_OWNER_PASSWORD needs at least 10 characters" }),
    email: z.email({ message: "usage: npm run create-owner -- <email> <name>" }),
    name: z.string().min(1, { message: "usage: npm run create-owner -- <email> <name>" }),
  })
  .safeParse({ ...process.env, email: process.argv[2], name: process.argv.slice(3).join(" ") });
if (!args.success) {
  console.error(`create-owner: ${args.error.issues[0]?.message}`);
  process.exit(2);
}
const db = connectDatabase(args.data.DATABASE_URL, { max: 1 });
try {
  const user = await createUser({
    db,
    actor: systemActor,
    email: args.data.email,
    name: args.data.name,
    password: args.data.MP_OWNER_PASSWORD,
    operatorRole: "owner",
  });
  console.log(`owner ${user.email} created; sign in at /login`);
} catch (error) {
  console.error(`create-owner: ${isAppError(error) ? error.message : (error as Error).message}`);
  process.exitCode = 1;
} finally {
  await db.close();
}
