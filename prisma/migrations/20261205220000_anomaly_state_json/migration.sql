-- A series' detector state is rewritten whole at every scan and never queried inside: json keeps its text
-- as sent, where jsonb converts each of its ~100 numbers to numeric and back (half of Postgres's CPU a scan).
ALTER TABLE "AnomalySeries" ALTER COLUMN "state" SET DATA TYPE JSON USING "state"::json;
