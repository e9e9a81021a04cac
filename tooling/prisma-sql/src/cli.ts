import { userInfo } from "node:os";
import { prismaSqlFor } from "./index.ts";

// Prints the SQL Prisma would write for the schema: the starting point of a new migration.
const schema = process.argv[2] ?? "prisma/schema.prisma";
const url = process.env.DATABASE_URL ?? `postgresql://${userInfo().username}@127.0.0.1:5432/postgres`;
process.stdout.write(await prismaSqlFor(schema, url));
