-- Gateway schema (sqlite): the audit trail. One row per citizen per call;
-- the protobuf AuditEvent is the record, the other columns are for lookups.
CREATE TABLE IF NOT EXISTS audit_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id VARCHAR(40) NOT NULL,
  municipality CHAR(3) NOT NULL,
  citizen_id VARCHAR(64) NOT NULL,
  subject VARCHAR(128) NOT NULL,
  event_time BIGINT NOT NULL,
  body BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_citizen ON audit_events (municipality, citizen_id, seq);
CREATE INDEX IF NOT EXISTS audit_subject ON audit_events (municipality, subject, seq);
CREATE INDEX IF NOT EXISTS audit_time ON audit_events (municipality, event_time, seq);
CREATE INDEX IF NOT EXISTS audit_purge ON audit_events (event_time);
