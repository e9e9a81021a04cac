-- Aggregation moves every environment's "lastSampleAt" on once per group, and ingest every host's
-- "lastSeenAt" every few seconds, one statement for many rows of each page. With full pages only half of the
-- environments' updates and an eighth of the hosts' were HOT; the rest added a tuple to every index (three on
-- "Environment"). Half of each page is left free, as for the rollups. Pages written from now on; existing
-- ones as they are rewritten.
ALTER TABLE "Environment" SET (fillfactor = 50);
ALTER TABLE "Host" SET (fillfactor = 50);
-- A scan rewrites every grown series' state (about 1.3 KB stored) a chunk at a time, several rows of a page in
-- one statement: at 70% only two in five of those updates found room on their page.
ALTER TABLE "AnomalySeries" SET (fillfactor = 50);
