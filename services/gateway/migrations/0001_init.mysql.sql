-- Gateway schema (mysql): the audit trail. One row per citizen per call;
-- the protobuf AuditEvent is the record, the other columns are for lookups.
CREATE TABLE IF NOT EXISTS audit_events (
  seq BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  id VARCHAR(40) NOT NULL,
  municipality CHAR(3) NOT NULL,
  citizen_id VARCHAR(64) NOT NULL,
  subject VARCHAR(128) NOT NULL,
  event_time BIGINT NOT NULL,
  body LONGBLOB NOT NULL,
  KEY audit_citizen (municipality, citizen_id, seq),
  KEY audit_subject (municipality, subject, seq),
  KEY audit_time (municipality, event_time, seq),
  KEY audit_purge (event_time)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
