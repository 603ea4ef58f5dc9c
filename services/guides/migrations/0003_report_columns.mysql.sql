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
-- (migration 0002).
ALTER TABLE guides ADD COLUMN IF NOT EXISTS display_name TEXT NULL;
ALTER TABLE guides ADD COLUMN IF NOT EXISTS capacity INTEGER NULL;
ALTER TABLE guides ADD COLUMN IF NOT EXISTS training_expiry BIGINT NULL;
