-- Aggregation rewrites every open series-hour and series-day row once per fold window, changing no indexed
-- column: with half of each page left free, the new version fits on the row's own page and the update is
-- HOT (heap-only), so none of the three indexes gains an entry per update (they did, and those insertions
-- and their WAL were most of Postgres's CPU per row). Half, because one statement updates every row of a
-- page at once, and the versions it replaces are pruned only after it commits. Pages written from now on.
ALTER TABLE "UsageHourly" SET (fillfactor = 50);
ALTER TABLE "UsageDaily" SET (fillfactor = 50);
