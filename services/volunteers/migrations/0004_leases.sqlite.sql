-- Leases (common/store/lease.h): one row per lease, held by one process of
-- the deployment until expires_at (microseconds since 1970, UTC). "stats":
-- the process that exports the domain gauges (stats_exporter.h), so that
-- they are exported once per deployment, not once per replica.
CREATE TABLE IF NOT EXISTS helhed_leases (
  name VARCHAR(64) NOT NULL PRIMARY KEY,
  holder VARCHAR(64) NOT NULL,
  expires_at BIGINT NOT NULL
);
INSERT OR IGNORE INTO helhed_leases (name, holder, expires_at) VALUES ('stats', '', 0);
