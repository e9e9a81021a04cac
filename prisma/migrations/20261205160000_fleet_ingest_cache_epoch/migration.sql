-- What a web process caches to check a host's batches (its credential, the host, its environments and their
-- assignments, the minimum collector version) is trusted until this epoch moves: each web process reads it
-- once a second, and a change to any of those rows moves it in the changing transaction, so a revocation or
-- a removal is seen within about a second of its commit, and steady ingest asks nothing per batch. Only
-- changes that could let a refused batch through move it: a new credential or environment is not cached yet
-- (or reloads at once), and aggregation's and ingest's own writes (lastSampleAt, lastSeenAt) touch no watched
-- column.
CREATE TABLE "IngestCacheEpoch" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "epoch" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "IngestCacheEpoch_pkey" PRIMARY KEY ("id")
);
INSERT INTO "IngestCacheEpoch" ("id", "epoch") VALUES (1, 0);

CREATE FUNCTION "bump_ingest_cache_epoch"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "IngestCacheEpoch" SET "epoch" = "epoch" + 1 WHERE "id" = 1;
  RETURN NULL;
END
$$;

CREATE TRIGGER "HostCredential_ingest_cache_epoch"
  AFTER UPDATE OF "revokedAt", "hostId", "prefix", "secretHash" OR DELETE ON "HostCredential"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_ingest_cache_epoch"();
CREATE TRIGGER "Host_ingest_cache_epoch"
  AFTER UPDATE OF "removedAt", "group" OR DELETE ON "Host"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_ingest_cache_epoch"();
CREATE TRIGGER "Environment_ingest_cache_epoch"
  AFTER UPDATE OF "removedAt", "hostId", "tenantId" OR DELETE ON "Environment"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_ingest_cache_epoch"();
CREATE TRIGGER "EnvironmentAssignment_ingest_cache_epoch"
  AFTER INSERT OR UPDATE OR DELETE ON "EnvironmentAssignment"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_ingest_cache_epoch"();
CREATE TRIGGER "MinimumCollectorVersion_ingest_cache_epoch"
  AFTER INSERT OR UPDATE OR DELETE ON "MinimumCollectorVersion"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_ingest_cache_epoch"();
