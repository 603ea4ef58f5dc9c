-- A column and key for GetHousingStats (docs/PERFORMANCE.md, "Soak"): the
-- offers per state and the declines per reason are counted in SQL instead of
-- parsing every offer of the municipality (the offers table only grows, and
-- the stats exporter reads it every 15 seconds).
--   offers.decline_reason   the offer's decline reason (0 unless declined);
--                           projected on every write (HousingStore: MakeOffer
--                           and SaveOffer)
-- NULL in rows written before this migration; the report reads the bodies of
-- those declined offers only. SQLite has no ADD COLUMN IF NOT EXISTS; the
-- migration runs once, in one transaction (schema_migrations).
ALTER TABLE offers ADD COLUMN decline_reason INTEGER;
CREATE INDEX IF NOT EXISTS offers_outcome ON offers (municipality, offer_state, decline_reason);
