-- Every scan rewrites each grown series' row (state, mark, silentAfter). With "silentAfter" indexed no such
-- update could be HOT: each added a tuple to both indexes. Unindexed, and with room left on each page for
-- the next version, they are updated in place; the silence scan (a few a minute) reads the table through.
DROP INDEX "AnomalySeries_silentAfter_idx";
ALTER TABLE "AnomalySeries" SET (fillfactor = 70);
