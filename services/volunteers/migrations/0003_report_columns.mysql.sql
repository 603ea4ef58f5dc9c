-- Columns and keys for GetMonthlyStats (docs/PERFORMANCE.md, "At national
-- scale"): the report aggregates these in SQL instead of parsing every
-- volunteer, hours entry and accompaniment of the municipality. Projected
-- from the body on every write (VolunteersStore: Kind<...>::Prepare and the
-- entry inserts); NULL in rows written before this migration, for which
-- the report falls back to reading the bodies.
--   volunteers.consent                    1 when consent_given, else 0
--   accompaniment_requests.window_start   window_start in Unix microseconds
--   entries.amount                        hours of an hours entry, score of an evaluation
ALTER TABLE volunteers ADD COLUMN IF NOT EXISTS consent INTEGER NULL;
ALTER TABLE accompaniment_requests ADD COLUMN IF NOT EXISTS window_start BIGINT NULL;
ALTER TABLE entries ADD COLUMN IF NOT EXISTS amount DOUBLE NULL;
-- Active volunteers with consent, counted from the key alone.
CREATE INDEX IF NOT EXISTS volunteers_consent ON volunteers (municipality, status, state, consent);
-- Completed accompaniments of a month.
CREATE INDEX IF NOT EXISTS accompaniment_requests_window ON accompaniment_requests (municipality, status, window_start);
-- Hours of a month, summed from the key alone.
CREATE INDEX IF NOT EXISTS entries_amount ON entries (municipality, kind, entry_date, amount);
