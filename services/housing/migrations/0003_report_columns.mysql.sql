-- A column and key for GetHousingStats (docs/PERFORMANCE.md, "At national
-- scale"): the waiting applications per situation are summed in SQL instead
-- of parsing every application of the municipality.
--   applications.waiting_from   the screening date in days since 1970-01-01,
--                               2147483647 when not dated (counts 0 days)
-- Projected from the body on every write (HousingStore, Kind<Application>::
-- Prepare); NULL in rows written before this migration, for which the report
-- falls back to reading the bodies.
ALTER TABLE applications ADD COLUMN IF NOT EXISTS waiting_from BIGINT NULL;
CREATE INDEX IF NOT EXISTS applications_waiting ON applications (municipality, state, status, ref_id, waiting_from);
