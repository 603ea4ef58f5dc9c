-- One open (active or offered) application per citizen, kept by the schema
-- and not only by the check in CreateApplication: two creates for the same
-- citizen with different request ids at the same moment could both pass
-- that check on MariaDB (neither sees the other's uncommitted row).
--   applications.open_citizen   the citizen_id while the application is open
--                               and not archived, else NULL (NULLs do not
--                               collide); projected on every write
--                               (Kind<Application>::Prepare).
-- Rows from before this migration keep NULL until written again; the check
-- in CreateApplication still covers them.
ALTER TABLE applications ADD COLUMN IF NOT EXISTS open_citizen VARCHAR(64) NULL;
CREATE UNIQUE INDEX IF NOT EXISTS applications_open_citizen ON applications (municipality, open_citizen);
