-- Columns for GetCoordinatorStats (docs/PERFORMANCE.md, "At national
-- scale"): its list of every guide's load is read from these instead of
-- parsing every guide of the municipality; only the guides with a training
-- expiring within the asked window are parsed.
--   guides.display_name      the guide's display name
--   guides.capacity          the guide's capacity
--   guides.training_expiry   the earliest valid_until of its trainings, in
--                            days since 1970-01-01; 2147483647 when none
-- Projected from the body on every write (GuidesStore, Kind<Guide>::Prepare);
-- NULL in rows written before this migration, for which the report falls
-- back to reading the bodies. Read in seq order through guides_list
-- (migration 0002). SQLite has no ADD COLUMN IF NOT EXISTS; the migration
-- runs once, in one transaction (schema_migrations).
ALTER TABLE guides ADD COLUMN display_name TEXT;
ALTER TABLE guides ADD COLUMN capacity INTEGER;
ALTER TABLE guides ADD COLUMN training_expiry INTEGER;
