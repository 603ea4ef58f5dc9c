-- One open (active or offered) application per citizen, kept by the schema;
-- see 0004_one_open_application.mysql.sql.
ALTER TABLE applications ADD COLUMN open_citizen TEXT;
CREATE UNIQUE INDEX IF NOT EXISTS applications_open_citizen ON applications (municipality, open_citizen);
