import { applyMigrations } from "../migrate.ts";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("migrate: DATABASE_URL is not set");
  process.exit(2);
}
applyMigrations(url).then(
  (applied) => console.log(applied.length ? `applied ${applied.join(", ")}` : "database is up to date"),
  (error: Error) => {
    console.error(`migrate: ${error.message}`);
    process.exit(1);
  },
);
