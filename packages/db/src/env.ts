/** The Postgres server tests and benchmarks create their scratch databases on (`npm test` sets it). */
export function postgresServerUrl(): string {
  const url = process.env.MP_PG_SERVER_URL;
  if (!url)
    throw new Error(
      "MP_PG_SERVER_URL is not set: run tests with `npm test` (or set it to a Postgres server URL)",
    );
  return url;
}
